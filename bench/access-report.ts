// The access report's reader on large generated CloudTrail input: records/s and the reading process's peak RSS
// (measured in a child process, so nothing else in the bench inflates it), at two input sizes. Flat memory means
// the peak RSS barely moves while the input grows several-fold.
import { fork } from "node:child_process";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { tempDir } from "../tests/support/model-dir";
import { FIXED_NAMES, writeLargeCloudTrail, type SampleNames } from "../tests/support/access-sample";

export const BENCH_NAMES: SampleNames = FIXED_NAMES;

export interface AccessReportBenchRow {
  records: number;
  uncompressedMB: number;
  recordsPerSecond: number;
  peakRssMB: number;
}

async function uncompressedBytes(file: string): Promise<number> {
  let n = 0;
  for await (const c of createReadStream(file).pipe(createGunzip())) n += (c as Buffer).length;
  return n;
}

function readInChild(file: string): Promise<{ records: number; ms: number; maxRssKB: number }> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(__dirname, "access-report-child.ts"), [file], { execArgv: ["-r", path.join(__dirname, "../tools/register.js")], stdio: ["ignore", "ignore", "inherit", "ipc"] });
    child.once("message", (m) => resolve(m as { records: number; ms: number; maxRssKB: number }));
    child.once("error", reject);
    child.once("exit", (code) => code && reject(new Error(`access-report bench child exited ${code}`)));
  });
}

export async function benchAccessReport(opts: { sizes?: number[] } = {}): Promise<AccessReportBenchRow[]> {
  const sizes = opts.sizes ?? [50_000, 300_000];
  const dir = await tempDir("bench-access-report");
  const rows: AccessReportBenchRow[] = [];
  try {
    for (const records of sizes) {
      const file = path.join(dir, `trail-${records}.json.gz`);
      await writeLargeCloudTrail(file, BENCH_NAMES, records);
      const bytes = await uncompressedBytes(file);
      const r = await readInChild(file);
      const row = { records: r.records, uncompressedMB: bytes / 1e6, recordsPerSecond: r.records / (r.ms / 1000), peakRssMB: r.maxRssKB / 1024 };
      rows.push(row);
      console.log(`  access-report reader: ${row.records} records (${row.uncompressedMB.toFixed(0)} MB of JSON): ${Math.round(row.recordsPerSecond)} records/s, peak RSS ${row.peakRssMB.toFixed(0)} MB`);
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return rows;
}
