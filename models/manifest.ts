// The release manifest: every file of a release with its size and SHA-256, in hex and in the form S3
// reports for the upload that publish makes. Written last by publish: a release is "published" once it exists.
import { z } from "zod";
import { MANIFEST_FILE } from "./layout";
import type { Problem, ReleaseFile } from "./source";

export const MANIFEST_FORMAT = "model-vault.release/1";

const relativePath = z
  .string()
  .min(1)
  .refine((p) => !p.startsWith("/") && !p.split("/").some((s) => s === ".." || s === "." || s === ""), "a relative path without '.', '..' or empty segments");

export const manifestFileSchema = z.strictObject({
  path: relativePath,
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits"),
  /** What S3's HeadObject reports as ChecksumSHA256 after publish's upload with `partSize`. */
  s3ChecksumSHA256: z.string().regex(/^[A-Za-z0-9+/]{43}=(-\d{1,5})?$/, "base64 SHA-256, with -<parts> for a multipart upload"),
});

export const manifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  createdAt: z.iso.datetime(),
  /** The part size publish uses for files larger than it (bytes). */
  partSize: z.number().int().positive(),
  files: z.array(manifestFileSchema).min(1),
});
export type Manifest = z.infer<typeof manifestSchema>;
export type ManifestFile = z.infer<typeof manifestFileSchema>;

/** Parses manifest bytes; every problem at once, each naming the key path. */
export function parseManifest(bytes: Uint8Array): { manifest?: Manifest; problems: Problem[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch (e) {
    return { problems: [{ file: MANIFEST_FILE, message: `not valid JSON (${e instanceof Error ? e.message : String(e)})` }] };
  }
  const r = manifestSchema.safeParse(doc);
  if (!r.success) return { problems: r.error.issues.map((i) => ({ file: MANIFEST_FILE, message: `${i.path.join(".") || "(root)"}: ${i.message}` })) };
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const f of r.data.files) {
    if (seen.has(f.path)) problems.push({ file: MANIFEST_FILE, message: `lists ${f.path} twice` });
    seen.add(f.path);
  }
  return problems.length ? { problems } : { manifest: r.data, problems };
}

/**
 * Compares a release's listing with its manifest: nothing missing, nothing extra, sizes equal, and,
 * where the source can tell (`checksum`), the stored checksum equal to the manifest's.
 */
export async function checkAgainstManifest(
  manifest: Manifest,
  files: ReleaseFile[],
  checksum?: (path: string) => Promise<string | undefined>,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const present = new Map(files.map((f) => [f.path, f.size]));
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const f of manifest.files) {
    const size = present.get(f.path);
    if (size === undefined) problems.push({ file: f.path, message: `missing: listed in ${MANIFEST_FILE}` });
    else if (size !== f.size) problems.push({ file: f.path, message: `${size} bytes but ${MANIFEST_FILE} says ${f.size}` });
    else if (checksum) {
      const got = await checksum(f.path);
      if (got === undefined) problems.push({ file: f.path, message: `no stored SHA-256 checksum to compare with ${MANIFEST_FILE}` });
      else {
        // A local source recomputes the hex form; S3 reports the upload form.
        const want = /^[0-9a-f]{64}$/.test(got) ? f.sha256 : f.s3ChecksumSHA256;
        if (got !== want) problems.push({ file: f.path, message: `SHA-256 ${got} differs from ${MANIFEST_FILE} (${want})` });
      }
    }
  }
  for (const f of files) if (f.path !== MANIFEST_FILE && !listed.has(f.path)) problems.push({ file: f.path, message: `not listed in ${MANIFEST_FILE}` });
  return problems;
}
