// The publish progress line: pure, so its rendering is tested; the CLI draws it only on a TTY.

export interface Progress {
  bytesDone: number;
  bytesTotal: number;
  filesDone: number;
  filesTotal: number;
  /** Bytes found already uploaded (resumed) rather than sent. */
  bytesSkipped: number;
}

const units = ["B", "KB", "MB", "GB", "TB"];
export function humanBytes(n: number): string {
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatProgress(p: Progress, width = 30): string {
  const ratio = p.bytesTotal === 0 ? 1 : Math.min(1, p.bytesDone / p.bytesTotal);
  const filled = Math.round(ratio * width);
  const bar = "#".repeat(filled) + "-".repeat(width - filled);
  const skipped = p.bytesSkipped > 0 ? `, ${humanBytes(p.bytesSkipped)} already there` : "";
  return `[${bar}] ${Math.floor(ratio * 100)}% ${humanBytes(p.bytesDone)}/${humanBytes(p.bytesTotal)}, files ${p.filesDone}/${p.filesTotal}${skipped}`;
}
