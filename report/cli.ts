// npm run access-report -- --stack NAME (--logs FOLDER | --s3) [--from ISO] [--to ISO] [--json] [--html FILE]
//                          [--fail-on anomalies] [--broker-table NAME]
// Who actually did what on the model bucket, judged against the stack's offline plan (docs/audit.md).
import { promises as fs } from "node:fs";
import { Command, Option } from "commander";
import { S3Client } from "@aws-sdk/client-s3";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { buildPlan, type PlanResult } from "../plan/build";
import { ACCESS_LOG_PREFIX } from "../components/ModelBucket";
import { DynamoRequestStore } from "../jit/store";
import { Tally } from "./aggregate";
import { finalize, type BrokerLookup } from "./finalize";
import { grantsFromPlan } from "./grants";
import { renderHtml } from "./render-html";
import { renderText } from "./render-text";
import { readLogs, type LogFile } from "./run";
import { localFiles, progressBar, s3Files } from "./sources";
import type { AccessReport } from "./types";

export interface ReportArgs {
  stack: string;
  logs?: string;
  s3?: boolean;
  from?: string;
  to?: string;
  brokerTable?: string;
  /** Test seam: the S3/DynamoDB endpoint (a local server); real runs use the SDK's default resolution. */
  endpoint?: string;
  progress?: boolean;
  /** A plan already built for this stack (tests share one); default: build it. */
  plan?: PlanResult;
}

function time(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`--${name}: expected an ISO 8601 time like 2026-11-30T00:00:00Z, got "${v}"`);
  return t;
}

export async function accessReport(a: ReportArgs, err: (s: string) => void): Promise<AccessReport> {
  const range = { from: time("from", a.from), to: time("to", a.to) };
  if (!a.logs && !a.s3) throw new Error("expected --logs FOLDER or --s3 (the stack's log buckets)");
  const { plan, config } = a.plan ?? (await buildPlan(a.stack));
  const bucket = String(plan.outputs.bucketName);
  const grants = grantsFromPlan(plan, config);
  const publisherArn = typeof plan.outputs.publisherRoleArn === "string" ? plan.outputs.publisherRoleArn : undefined;
  const byName = new Map(grants.filter((g) => g.principal.includes(":role/")).map((g) => [g.principal.split("/").pop() as string, g.principal]));
  const roleArnByName = (account: string, name: string) => byName.get(name) ?? `arn:aws:iam::${account}:role/${name}`;
  let files: LogFile[];
  const clientOpts = a.endpoint ? { endpoint: a.endpoint, region: config.region, forcePathStyle: true } : { region: config.region };
  if (a.logs) files = await localFiles(a.logs);
  else {
    const s3 = new S3Client(clientOpts);
    files = [
      ...(await s3Files(s3, String(plan.outputs.auditLogBucketName), `AWSLogs/${config.accountId}/CloudTrail/`)),
      ...(await s3Files(s3, String(plan.outputs.accessLogBucketName), ACCESS_LOG_PREFIX)),
    ];
  }
  const readDataEvents = config.audit.readDataEvents;
  const trailExcludedReaders = Object.values((plan.outputs.consumerRoleArns ?? {}) as Record<string, string>);
  const total = new Tally({ grants, prefixes: [...new Set(grants.flatMap((g) => g.prefixes))], publisherArn, readDataEvents, trailExcludedReaders, range });
  const result = await readLogs(files, total, {
    modelBucket: bucket,
    roleArnByName,
    onSkip: (file, error) => err(`${file}: ${error}\n`),
    onFile: a.progress ? progressBar(err) : undefined,
  });
  let broker: BrokerLookup | undefined;
  if (a.brokerTable) broker = new DynamoRequestStore(new DynamoDBClient(clientOpts), a.brokerTable);
  return finalize(total, { stack: a.stack, bucket, grants, range: { from: a.from, to: a.to }, readDataEvents, files: result, broker });
}

export async function main(argv: string[]): Promise<number> {
  const program = new Command("access-report")
    .description("who actually did what on the model bucket, judged against the stack's plan")
    .requiredOption("--stack <name>", "the stack whose plan the logs are judged against")
    .option("--logs <folder>", "a local folder of CloudTrail .json.gz files and S3 server access logs")
    .option("--s3", "read the stack's audit and access-log buckets with your AWS credentials")
    .option("--from <iso>", "start of the period (inclusive)")
    .option("--to <iso>", "end of the period (exclusive)")
    .option("--json", "print the report as JSON")
    .option("--html <file>", "also write a self-contained HTML report")
    .addOption(new Option("--fail-on <what>", "exit 1 when anything is flagged").choices(["anomalies"]))
    .option("--broker-table <name>", "check elevated sessions against the JIT broker's table (needs dynamodb:GetItem on it)")
    .addOption(new Option("--endpoint <url>").hideHelp())
    .exitOverride();
  let o: Record<string, string | boolean | undefined>;
  try {
    o = program.parse(argv, { from: "user" }).opts();
  } catch (e) {
    return (e as { exitCode?: number }).exitCode ?? 2;
  }
  try {
    const report = await accessReport(
      { stack: String(o.stack), logs: o.logs as string | undefined, s3: Boolean(o.s3), from: o.from as string | undefined, to: o.to as string | undefined, brokerTable: o.brokerTable as string | undefined, endpoint: o.endpoint as string | undefined, progress: Boolean(o.s3) || process.stderr.isTTY },
      (s) => process.stderr.write(s),
    );
    process.stdout.write(o.json ? JSON.stringify(report, null, 2) + "\n" : renderText(report));
    if (typeof o.html === "string") await fs.writeFile(o.html, renderHtml(report));
    return o.failOn === "anomalies" && report.anomalies.total > 0 ? 1 : 0;
  } catch (e) {
    process.stderr.write(`access-report: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
