// What the verifier needs from a release, wherever it lives: a listing and byte ranges.
// A local directory and an S3 prefix both implement it; the verifier itself imports neither fs nor AWS.

export interface ReleaseFile {
  /** Path relative to the release root, with '/' separators. */
  path: string;
  size: number;
}

export interface ReleaseSource {
  /** Human name of the release (a directory or an s3:// URL), used in messages. */
  readonly label: string;
  /** Every file under the release root. */
  list(): Promise<ReleaseFile[]>;
  /** Bytes [start, end) of a file; fewer when the file is shorter. */
  read(path: string, start: number, end: number): Promise<Uint8Array>;
  /** The SHA-256 of a file as S3 would report it for the manifest's upload form, or undefined when unknown to this source. */
  storedChecksum?(path: string): Promise<string | undefined>;
}

/** A problem found in a release: the file it concerns and what is wrong with it. */
export interface Problem {
  file: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  return `${p.file}: ${p.message}`;
}
