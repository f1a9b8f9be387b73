// SHA-256 in the two forms a release needs: hex for people, and the form S3 stores for an upload.
// S3 reports a multipart object's SHA-256 as a checksum of checksums: base64(SHA-256(concat(part digests)))
// followed by "-<part count>"; a single PUT's as base64(SHA-256(object)).
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html#large-object-checksums
import { createHash } from "node:crypto";

/** S3's minimum part size (except the last part) and maximum part count. https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */
export const S3_MIN_PART_BYTES = 5 * 1024 * 1024;
export const S3_MAX_PARTS = 10_000;
/** Files up to this size go in one PUT; larger ones in parts of this size. */
export const DEFAULT_PART_BYTES = 64 * 1024 * 1024;

/** The part size for a file: the default, grown when the file would need more than S3's part count. */
export function partSizeFor(size: number, partBytes = DEFAULT_PART_BYTES): number {
  return Math.max(partBytes, S3_MIN_PART_BYTES, Math.ceil(size / S3_MAX_PARTS));
}

export function partCount(size: number, partBytes: number): number {
  return size <= partBytes ? 1 : Math.ceil(size / partBytes);
}

/** The object-level ChecksumSHA256 S3 reports once every part is uploaded. */
export function s3ChecksumForm(partDigests: Uint8Array[], multipart: boolean): string {
  if (!multipart) return Buffer.from(partDigests[0]).toString("base64");
  const h = createHash("sha256");
  for (const d of partDigests) h.update(d);
  return `${h.digest("base64")}-${partDigests.length}`;
}

/** Streams a file's byte ranges through SHA-256 per part and whole: one read yields both forms. */
export class ReleaseHasher {
  private readonly whole = createHash("sha256");
  private part = createHash("sha256");
  private inPart = 0;
  private readonly parts: Buffer[] = [];
  constructor(readonly size: number, readonly partBytes: number) {}

  update(chunk: Uint8Array): void {
    this.whole.update(chunk);
    let off = 0;
    while (off < chunk.length) {
      const take = Math.min(chunk.length - off, this.partBytes - this.inPart);
      this.part.update(chunk.subarray(off, off + take));
      this.inPart += take;
      off += take;
      if (this.inPart === this.partBytes) this.closePart();
    }
  }

  private closePart(): void {
    this.parts.push(this.part.digest());
    this.part = createHash("sha256");
    this.inPart = 0;
  }

  digest(): { sha256: string; s3ChecksumSHA256: string; partDigests: Buffer[] } {
    if (this.inPart > 0 || this.parts.length === 0) this.closePart();
    const multipart = partCount(this.size, this.partBytes) > 1;
    return { sha256: this.whole.digest("hex"), s3ChecksumSHA256: s3ChecksumForm(this.parts, multipart), partDigests: this.parts };
  }
}
