// Reads every log file once, in order (CloudTrail files first, so access-log lines the trail also recorded are
// recognized), each into its own tally; a file that fails is named on one line and skipped whole.
import type { Readable } from "node:stream";
import { cloudTrailRecords, fromCloudTrail, type ReaderStats } from "./cloudtrail";
import { fromAccessLog, lines, parseAccessLogLine } from "./access-log";
import { Tally } from "./aggregate";

export interface LogFile {
  name: string;
  kind: "cloudtrail" | "access-log";
  size?: number;
  open(): Promise<Readable>;
}

/** CloudTrail's files are `<account>_CloudTrail_<region>_<time>_<id>.json.gz`; everything else is an access log. */
export function kindOf(name: string): LogFile["kind"] {
  return /\.json(\.gz)?$/.test(name) ? "cloudtrail" : "access-log";
}

export interface RunOptions {
  modelBucket: string;
  roleArnByName: (account: string, name: string) => string;
  onSkip: (file: string, error: string) => void;
  onFile?: (done: number, total: number, bytes: number) => void;
  stats?: ReaderStats;
}

export async function readLogs(files: LogFile[], total: Tally, o: RunOptions): Promise<{ read: number; skipped: { file: string; error: string }[] }> {
  const ordered = [...files].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "cloudtrail" ? -1 : 1));
  const skipped: { file: string; error: string }[] = [];
  let read = 0;
  let bytes = 0;
  for (const [i, f] of ordered.entries()) {
    const t = total.fork();
    try {
      const input = await f.open();
      if (f.kind === "cloudtrail") {
        for await (const r of cloudTrailRecords(input, { gzip: f.name.endsWith(".gz"), stats: o.stats })) {
          t.records.cloudtrail++;
          const e = fromCloudTrail(r, o.modelBucket);
          if (e) t.add(e);
        }
        t.sawTrail = true;
      } else {
        let n = 0;
        let bad = 0;
        for await (const line of lines(input)) {
          n++;
          if (!line.trim()) continue;
          const l = parseAccessLogLine(line);
          if (!l) {
            bad++;
            // A file whose first line is not an access-log line is not an access log at all.
            if (n === 1) throw new Error(`line 1 is not an S3 server access log line`);
            continue;
          }
          t.records.accessLog++;
          const e = fromAccessLog(l, o.modelBucket, o.roleArnByName);
          if (e) t.add(e);
        }
        if (bad) o.onSkip(`${f.name}`, `${bad} unreadable line(s) skipped, the rest kept`);
      }
      total.merge(t);
      read++;
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      skipped.push({ file: f.name, error });
      o.onSkip(f.name, `skipped: ${error}`);
    }
    bytes += f.size ?? 0;
    o.onFile?.(i + 1, ordered.length, bytes);
  }
  return { read, skipped };
}
