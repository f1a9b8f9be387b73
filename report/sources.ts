// Where log files come from: a local folder (walked recursively), or a bucket through the caller's credentials
// (@aws-sdk/client-s3; each object streamed, never loaded whole). A progress bar goes to stderr.
import { createReadStream, promises as fs } from "node:fs";
import * as path from "node:path";
import type { Readable } from "node:stream";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { kindOf, type LogFile } from "./run";

export async function localFiles(dir: string): Promise<LogFile[]> {
  const out: LogFile[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await fs.readdir(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile() && !e.name.startsWith(".") && e.name !== "README.md") {
        const size = (await fs.stat(p)).size;
        out.push({ name: p, kind: kindOf(e.name), size, open: async () => createReadStream(p) });
      }
    }
  };
  await walk(dir);
  return out;
}

/** Every object under a prefix (ListObjectsV2 pages of up to 1,000 keys). */
export async function s3Files(s3: S3Client, bucket: string, prefix: string): Promise<LogFile[]> {
  const out: LogFile[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const o of page.Contents ?? []) {
      const key = o.Key as string;
      if (key.endsWith("/")) continue;
      out.push({
        name: `s3://${bucket}/${key}`,
        kind: kindOf(key),
        size: o.Size,
        open: async () => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body as Readable,
      });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return out;
}

/** `[#####-----] 12/40 files, 3.2 MB` on one stderr line, redrawn in place. */
export function progressBar(write: (s: string) => void, width = 30) {
  return (done: number, total: number, bytes: number) => {
    const filled = total ? Math.round((done / total) * width) : width;
    write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} files, ${(bytes / 1e6).toFixed(1)} MB${done === total ? "\n" : ""}`);
  };
}
