// Publishing a release: verify locally, upload every file with SHA-256 checksums and If-None-Match (so an
// immutable bucket accepts it and nothing published is ever replaced), weights first, the manifest last,
// then verify the remote release. A release is "published" only once its manifest exists.
// Resume: files already under the prefix with the manifest's checksum are skipped; a multipart upload's
// parts already sent are recorded in a local state file and not sent again (CompleteMultipartUpload
// re-checks every part's ETag and checksum, so a stale record fails loudly rather than silently).
import { promises as fs } from "node:fs";
import { createHash } from "node:crypto";
import * as os from "node:os";
import * as path from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  PutObjectCommand,
  UploadPartCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { buildManifest } from "./build-manifest";
import { partCount } from "./checksum";
import { MANIFEST_FILE, isWeights } from "./layout";
import { LocalSource } from "./local-source";
import type { Manifest, ManifestFile } from "./manifest";
import type { Progress } from "./progress";
import { S3Source, type S3Location } from "./s3-source";
import { formatProblem } from "./source";
import { verifyRelease } from "./verify";

export class PublishError extends Error {
  override name = "PublishError";
}

export interface PublishOptions {
  /** Files (or parts) in flight at once. Default 4. */
  concurrency?: number;
  /** Where multipart progress is kept between runs. Default ~/.cache/model-vault/publish. */
  stateDir?: string;
  /** Part size override (tests); by default the manifest's. */
  partBytes?: number;
  onProgress?: (p: Progress) => void;
}

export interface PublishResult {
  uploaded: string[];
  skipped: string[];
  partsSent: number;
  partsResumed: number;
  manifest: Manifest;
}

interface UploadState {
  uploadId: string;
  parts: Record<string, { ETag: string; ChecksumSHA256: string }>;
}

function statusOf(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const fh = await fs.open(file, "r");
  try {
    const buf = Buffer.alloc(end - start);
    const { bytesRead } = await fh.read(buf, 0, buf.length, start);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** At most `n` uploads (single PUTs and parts together) in flight, however files and parts interleave. */
function semaphore(n: number): <T>(fn: () => Promise<T>) => Promise<T> {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async (fn) => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** The file keeping one multipart upload's progress: keyed by bucket, key and content, so other content never resumes it. */
export function multipartStatePath(stateDir: string, loc: S3Location, f: ManifestFile): string {
  return path.join(stateDir, `${createHash("sha256").update(`${loc.bucket}\0${loc.prefix}${f.path}\0${f.s3ChecksumSHA256}`).digest("hex").slice(0, 32)}.json`);
}

/** Upload order: weights (the long part) first, other files next, the manifest strictly last. */
export function uploadOrder(files: ManifestFile[]): ManifestFile[] {
  const rank = (f: ManifestFile) => (isWeights(f.path) ? 0 : 1);
  return [...files].sort((a, b) => rank(a) - rank(b) || b.size - a.size || a.path.localeCompare(b.path));
}

export async function publishRelease(s3: S3Client, dir: string, loc: S3Location, opts: PublishOptions = {}): Promise<PublishResult> {
  const local = new LocalSource(path.resolve(dir));
  const before = await verifyRelease(local);
  // A local manifest that no longer matches its files means they changed after it was made: refuse too.
  if (before.problems.length) throw new PublishError(`${local.label} is incomplete; nothing uploaded:\n${before.problems.map(formatProblem).join("\n")}`);

  const manifest = await buildManifest(local, opts.partBytes);
  const partSize = manifest.partSize;
  const key = (p: string) => loc.prefix + p;
  const remote = new S3Source(s3, loc);
  const existing = await s3.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: key(MANIFEST_FILE) })).then(
    () => true,
    (e) => {
      if (statusOf(e) === 404) return false;
      throw e;
    },
  );
  if (existing) throw new PublishError(`${remote.label} is already published (its ${MANIFEST_FILE} exists): publish a new version prefix instead`);

  const stateDir = opts.stateDir ?? path.join(os.homedir(), ".cache", "model-vault", "publish");
  await fs.mkdir(stateDir, { recursive: true });
  const statePath = (f: ManifestFile) => multipartStatePath(stateDir, loc, f);

  const progress: Progress = { bytesDone: 0, bytesTotal: manifest.files.reduce((a, f) => a + f.size, 0), filesDone: 0, filesTotal: manifest.files.length + 1, bytesSkipped: 0 };
  const tick = (bytes: number, skipped = false) => {
    progress.bytesDone += bytes;
    if (skipped) progress.bytesSkipped += bytes;
    opts.onProgress?.({ ...progress });
  };
  const result: PublishResult = { uploaded: [], skipped: [], partsSent: 0, partsResumed: 0, manifest };
  const concurrency = opts.concurrency ?? 4;
  const slot = semaphore(concurrency);

  /** Already there with this checksum: skip. There with another: refuse (never replace). */
  const alreadyThere = async (f: ManifestFile): Promise<boolean> => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: loc.bucket, Key: key(f.path), ChecksumMode: "ENABLED" })).catch((e) => {
      if (statusOf(e) === 404) return undefined;
      throw e;
    });
    if (!head) return false;
    const stored = head.ChecksumSHA256 ?? head.Metadata?.sha256;
    if (stored === f.s3ChecksumSHA256 || stored === f.sha256) return true;
    throw new PublishError(`${remote.label}${f.path} already exists with other content: a published file is never replaced; publish a new version prefix`);
  };

  const putWhole = async (f: ManifestFile, body: Buffer) => {
    await slot(() => s3.send(
      new PutObjectCommand({
        Bucket: loc.bucket,
        Key: key(f.path),
        Body: body,
        ChecksumSHA256: Buffer.from(f.sha256, "hex").toString("base64"),
        // Metadata carries the hex digest for S3-compatible stores that keep no checksums.
        Metadata: { sha256: f.sha256 },
        IfNoneMatch: "*",
      }),
    ));
  };

  const putMultipart = async (f: ManifestFile) => {
    const file = path.join(local.root, f.path);
    const sp = statePath(f);
    let state: UploadState | undefined = await fs.readFile(sp, "utf8").then((s) => JSON.parse(s) as UploadState, () => undefined);
    if (!state) {
      const created = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: loc.bucket, Key: key(f.path), ChecksumAlgorithm: "SHA256", Metadata: { sha256: f.sha256 } }),
      );
      state = { uploadId: created.UploadId as string, parts: {} };
      await fs.writeFile(sp, JSON.stringify(state));
    }
    const st = state;
    const n = partCount(f.size, partSize);
    const numbers = Array.from({ length: n }, (_, i) => i + 1);
    // State writes are serialized: parts finish in any order.
    let saving = Promise.resolve();
    await mapLimit(numbers, concurrency, async (no) => {
      const start = (no - 1) * partSize;
      const end = Math.min(f.size, start + partSize);
      if (st.parts[no]) {
        result.partsResumed++;
        tick(end - start, true);
        return;
      }
      const r = await slot(async () => {
        // Read inside the slot: at most `concurrency` parts are held in memory.
        const body = await readRange(file, start, end);
        const checksum = createHash("sha256").update(body).digest("base64");
        const sent = await s3.send(new UploadPartCommand({ Bucket: loc.bucket, Key: key(f.path), UploadId: st.uploadId, PartNumber: no, Body: body, ChecksumSHA256: checksum }));
        return { ETag: sent.ETag as string, checksum };
      });
      st.parts[no] = { ETag: r.ETag, ChecksumSHA256: r.checksum };
      result.partsSent++;
      saving = saving.then(() => fs.writeFile(sp, JSON.stringify(st)));
      await saving;
      tick(end - start);
    });
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: loc.bucket,
        Key: key(f.path),
        UploadId: st.uploadId,
        MultipartUpload: { Parts: numbers.map((no) => ({ PartNumber: no, ...st.parts[no] })) },
        IfNoneMatch: "*",
      }),
    );
    await fs.rm(sp, { force: true });
  };

  await mapLimit(uploadOrder(manifest.files), concurrency, async (f) => {
    if (await alreadyThere(f)) {
      result.skipped.push(f.path);
      tick(f.size, true);
    } else if (partCount(f.size, partSize) === 1) {
      await putWhole(f, await fs.readFile(path.join(local.root, f.path)));
      result.uploaded.push(f.path);
      tick(f.size);
    } else {
      await putMultipart(f).catch(async (e) => {
        // The recorded upload is gone (aborted by the lifecycle rule, or by hand): start this file afresh, once.
        if ((e as { name?: string }).name !== "NoSuchUpload") throw e;
        await fs.rm(statePath(f), { force: true });
        await putMultipart(f);
      });
      result.uploaded.push(f.path);
    }
    progress.filesDone++;
    opts.onProgress?.({ ...progress });
  });

  // Every file is there and whole: only now does the release become "published".
  const body = Buffer.from(JSON.stringify(manifest, null, 2) + "\n");
  await s3.send(
    new PutObjectCommand({
      Bucket: loc.bucket,
      Key: key(MANIFEST_FILE),
      Body: body,
      ChecksumSHA256: createHash("sha256").update(body).digest("base64"),
      IfNoneMatch: "*",
    }),
  );
  progress.filesDone++;
  opts.onProgress?.({ ...progress });

  const after = await verifyRelease(remote, { checksums: true });
  if (after.problems.length) throw new PublishError(`${remote.label} was uploaded but does not verify:\n${after.problems.map(formatProblem).join("\n")}`);
  return result;
}

