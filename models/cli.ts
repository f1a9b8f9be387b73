// npm run models -- verify <DIR | s3://BUCKET/PREFIX/> | manifest <DIR> | publish <DIR> s3://BUCKET/PREFIX/
// Exit status: 0 complete, 1 incomplete (one line per problem), 2 bad usage or bad input.
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { Command, CommanderError } from "commander";
import { S3Client } from "@aws-sdk/client-s3";
import { LocalSource } from "./local-source";
import { S3Source, parseS3Url } from "./s3-source";
import { NotAModelError, verifyRelease } from "./verify";
import { formatProblem, type ReleaseSource } from "./source";
import { buildManifest } from "./build-manifest";
import { MANIFEST_FILE } from "./layout";
import { PublishError, publishRelease } from "./publish";
import { formatProgress } from "./progress";

export class UsageError extends Error {}

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** The S3 client for s3:// URLs; the SDK's default credential chain when absent. */
  s3?: () => S3Client;
  /** Redraws the progress line (a TTY only); absent: no progress bar. */
  progress?: (line: string) => void;
  /** Where publish keeps multipart progress between runs (tests). */
  publishStateDir?: string;
}

async function localDir(dir: string): Promise<LocalSource> {
  const st = await fs.stat(dir).catch(() => undefined);
  if (!st) throw new UsageError(`${dir}: no such directory`);
  if (!st.isDirectory()) throw new UsageError(`${dir}: not a directory`);
  return new LocalSource(path.resolve(dir));
}

export async function openSource(target: string, io: CliIo): Promise<ReleaseSource> {
  if (/^[a-z0-9]+:\/\//i.test(target)) {
    const loc = parseS3Url(target);
    if (typeof loc === "string") throw new UsageError(loc);
    return new S3Source(io.s3 ? io.s3() : new S3Client({}), loc);
  }
  return localDir(target);
}

/** One line for what the SDK says when it cannot reach or sign for S3. */
export function awsErrorLine(e: unknown): string | undefined {
  const err = e as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  if (err?.name === "CredentialsProviderError" || /Could not load credentials/i.test(err?.message ?? ""))
    return "no AWS credentials: set AWS_PROFILE (e.g. a credential_process profile from `npm run jit -- claim --credential-process`) or the AWS_* environment variables";
  if (err?.$metadata?.httpStatusCode) return `S3 refused the request: ${err.name ?? "error"} (HTTP ${err.$metadata.httpStatusCode})${err.message ? `: ${err.message}` : ""}`;
  return undefined;
}

export async function runModelsCli(argv: string[], io: CliIo): Promise<number> {
  let status = 0;
  const program = new Command("models")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .description("Verify, describe and publish model releases");

  program
    .command("verify")
    .argument("<target>", "a model directory or s3://BUCKET/PREFIX/")
    .option("--checksums", "also compare SHA-256 checksums with the manifest (local: reads every file; S3: HeadObject)")
    .action(async (target: string, o: { checksums?: boolean }) => {
      const src = await openSource(target, io);
      const r = await verifyRelease(src, { checksums: o.checksums });
      for (const p of r.problems) io.out(formatProblem(p));
      if (r.problems.length) {
        io.err(`${src.label}: incomplete, ${r.problems.length} problem(s)`);
        status = 1;
      } else io.out(`${src.label}: complete (${r.files} files, ${r.shardsChecked} safetensors headers checked${r.manifest ? ", manifest matched" : ", no manifest"})`);
    });

  program
    .command("manifest")
    .argument("<dir>", "a local model directory")
    .action(async (dir: string) => {
      const src = await localDir(dir);
      const r = await verifyRelease(src);
      const blocking = r.problems.filter((p) => p.file !== MANIFEST_FILE && !p.message.includes(MANIFEST_FILE));
      if (blocking.length) {
        for (const p of blocking) io.out(formatProblem(p));
        io.err(`${src.label}: incomplete, no manifest written`);
        status = 1;
        return;
      }
      const m = await buildManifest(src);
      await fs.writeFile(path.join(src.root, MANIFEST_FILE), JSON.stringify(m, null, 2) + "\n");
      io.out(`${path.join(src.root, MANIFEST_FILE)}: ${m.files.length} files, part size ${m.partSize}`);
    });

  program
    .command("publish")
    .argument("<dir>", "a local model directory")
    .argument("<target>", "s3://BUCKET/PREFIX/ (a new version prefix)")
    .option("--concurrency <n>", "files or parts in flight at once", "4")
    .action(async (dir: string, target: string, o: { concurrency: string }) => {
      const concurrency = Number(o.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`--concurrency: expected a whole number 1-64, got ${o.concurrency}`);
      await localDir(dir);
      const loc = parseS3Url(target);
      if (typeof loc === "string") throw new UsageError(loc);
      const s3 = io.s3 ? io.s3() : new S3Client({});
      const r = await publishRelease(s3, dir, loc, {
        concurrency,
        stateDir: io.publishStateDir,
        onProgress: io.progress ? (p) => io.progress?.(formatProgress(p)) : undefined,
      });
      io.out(
        `s3://${loc.bucket}/${loc.prefix}: published and verified (${r.uploaded.length} files uploaded, ${r.skipped.length} already there, ` +
          `${r.partsSent} parts sent, ${r.partsResumed} resumed; ${MANIFEST_FILE} written last)`,
      );
    });

  try {
    await program.parseAsync(argv, { from: "user" });
    return status;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    if (e instanceof PublishError) {
      io.err(e.message);
      return 1;
    }
    if (e instanceof UsageError || e instanceof NotAModelError) {
      io.err(e.message);
      return 2;
    }
    const aws = awsErrorLine(e);
    if (aws) {
      io.err(aws);
      return 2;
    }
    throw e;
  }
}
