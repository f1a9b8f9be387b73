// An S3-compatible server (s3rver, MIT) in-process on 127.0.0.1, and an SDK client for it that records
// every request it sends: what the tests assert about ranged GETs rests on that record.
import { promises as fs } from "node:fs";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { tempDir } from "./model-dir";

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverCtor = new (o: { address: string; port: number; silent: boolean; directory: string; configureBuckets: { name: string }[] }) => S3rverInstance;
// s3rver ships no types; its constructor options are documented in its README.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as S3rverCtor;

export interface SentRequest {
  command: string;
  key?: string;
  range?: string;
}

export interface LocalS3 {
  endpoint: string;
  client(): S3Client;
  sent: SentRequest[];
  close(): Promise<void>;
}

export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  const directory = await tempDir("s3rver");
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: buckets.map((name) => ({ name })) });
  const addr = await server.run();
  const endpoint = `http://127.0.0.1:${addr.port}`;
  const sent: SentRequest[] = [];
  const client = () => {
    const c = new S3Client({
      endpoint,
      region: "us-east-1",
      forcePathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      // s3rver predates flexible checksums and aws-chunked trailers.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
    c.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as { Key?: string; Range?: string };
        sent.push({ command: context.commandName ?? "?", key: input.Key, range: input.Range });
        return next(args);
      },
      { step: "initialize", name: "recordRequests" },
    );
    return c;
  };
  return {
    endpoint,
    client,
    sent,
    close: async () => {
      await server.close();
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}

/** Uploads every file of a local directory under a prefix (plain PUTs: the fixture, not the code under test). */
export async function uploadDir(s3: S3Client, bucket: string, prefix: string, dir: string): Promise<void> {
  for (const name of await fs.readdir(dir)) {
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: prefix + name, Body: await fs.readFile(path.join(dir, name)) }));
  }
}
