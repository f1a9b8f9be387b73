// Child of bench/access-report.ts: reads one CloudTrail file through the report's whole pipeline (reader,
// normalizer, tally) and reports records, time and its own peak RSS to the parent.
import { Tally } from "../report/aggregate";
import { readLogs } from "../report/run";
import { createReadStream, statSync } from "node:fs";
import { BENCH_NAMES } from "./access-report";

async function main(file: string) {
  const grants = [
    { principal: BENCH_NAMES.consumers["sagemaker-inference"], label: "consumer sm", ops: ["read" as const], prefixes: ["models/llama/"] },
    { principal: BENCH_NAMES.publisher, label: "publisher", ops: ["write" as const], prefixes: ["models/"], elevated: true },
  ];
  const total = new Tally({ grants, prefixes: ["models/llama/", "models/"], publisherArn: BENCH_NAMES.publisher, readDataEvents: "all", range: {} });
  const t = process.hrtime.bigint();
  await readLogs([{ name: file, kind: "cloudtrail", size: statSync(file).size, open: async () => createReadStream(file) }], total, {
    modelBucket: BENCH_NAMES.bucket,
    roleArnByName: (a, n) => `arn:aws:iam::${a}:role/${n}`,
    onSkip: (f, e) => {
      throw new Error(`${f}: ${e}`);
    },
  });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  process.send?.({ records: total.records.cloudtrail, ms, maxRssKB: process.resourceUsage().maxRSS });
}

main(process.argv[2]).catch((e) => {
  console.error(e);
  process.exit(1);
});
