// Builds a local release's manifest: one streaming read per file yields both SHA-256 forms.
import { createReadStream } from "node:fs";
import * as path from "node:path";
import { ReleaseHasher, partSizeFor, DEFAULT_PART_BYTES } from "./checksum";
import { MANIFEST_FILE } from "./layout";
import { MANIFEST_FORMAT, manifestSchema, type Manifest } from "./manifest";
import type { LocalSource } from "./local-source";

export async function hashFile(file: string, size: number, partBytes: number): Promise<ReturnType<ReleaseHasher["digest"]>> {
  const h = new ReleaseHasher(size, partBytes);
  for await (const chunk of createReadStream(file, { highWaterMark: 4 * 1024 * 1024 })) h.update(chunk as Buffer);
  return h.digest();
}

export async function buildManifest(src: LocalSource, partBytes = DEFAULT_PART_BYTES, now = new Date()): Promise<Manifest> {
  const files = (await src.list()).filter((f) => f.path !== MANIFEST_FILE).sort((a, b) => a.path.localeCompare(b.path));
  // One part size for the release: the one its largest file needs.
  const partSize = partSizeFor(Math.max(0, ...files.map((f) => f.size)), partBytes);
  const entries = [];
  for (const f of files) {
    const d = await hashFile(path.join(src.root, f.path), f.size, partSize);
    entries.push({ path: f.path, size: f.size, sha256: d.sha256, s3ChecksumSHA256: d.s3ChecksumSHA256 });
  }
  // Parsed on the way out: a manifest this tool writes is one it accepts.
  return manifestSchema.parse({ format: MANIFEST_FORMAT, createdAt: now.toISOString(), partSize, files: entries });
}
