// A release under an S3 prefix. Reads only what the verifier asks for, as ranged GETs: never a whole shard.
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import type { ReleaseFile, ReleaseSource } from "./source";

export interface S3Location {
  bucket: string;
  /** Empty, or ending in '/'. */
  prefix: string;
}

/** Parses `s3://BUCKET/PREFIX/`; a message when it is not one. */
export function parseS3Url(url: string): S3Location | string {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url);
  if (!m) return `${url} is not an S3 URL: expected s3://BUCKET/PREFIX/`;
  const raw = m[2] ?? "";
  const prefix = raw === "" || raw.endsWith("/") ? raw : `${raw}/`;
  if (prefix.split("/").slice(0, -1).some((s) => s === "" || s === "." || s === ".."))
    return `${url}: the prefix may not contain empty, '.' or '..' segments`;
  return { bucket: m[1], prefix };
}

export class S3Source implements ReleaseSource {
  constructor(private readonly s3: S3Client, readonly loc: S3Location) {}
  get label(): string {
    return `s3://${this.loc.bucket}/${this.loc.prefix}`;
  }

  async list(): Promise<ReleaseFile[]> {
    const out: ReleaseFile[] = [];
    let token: string | undefined;
    do {
      const r = await this.s3.send(new ListObjectsV2Command({ Bucket: this.loc.bucket, Prefix: this.loc.prefix, ContinuationToken: token }));
      for (const o of r.Contents ?? []) {
        if (!o.Key || o.Key.endsWith("/")) continue;
        out.push({ path: o.Key.slice(this.loc.prefix.length), size: o.Size ?? 0 });
      }
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return out;
  }

  async read(path: string, start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    // HTTP ranges are inclusive. https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html#API_GetObject_RequestSyntax
    const r = await this.s3.send(new GetObjectCommand({ Bucket: this.loc.bucket, Key: this.loc.prefix + path, Range: `bytes=${start}-${end - 1}` }));
    const bytes = r.Body ? await r.Body.transformToByteArray() : new Uint8Array(0);
    // A server that ignores Range sends the whole object: keep the contract (never more than asked for).
    return bytes.length > end - start ? bytes.subarray(0, end - start) : bytes;
  }

  /**
   * HeadObject with ChecksumMode ENABLED returns the upload's ChecksumSHA256 (composite "-N" for multipart).
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html
   * S3-compatible stores that keep no checksums fall back to the hex digest publish writes as metadata.
   */
  async storedChecksum(path: string): Promise<string | undefined> {
    const r = await this.s3.send(new HeadObjectCommand({ Bucket: this.loc.bucket, Key: this.loc.prefix + path, ChecksumMode: "ENABLED" }));
    return r.ChecksumSHA256 ?? r.Metadata?.sha256;
  }
}
