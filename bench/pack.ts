// Pack benchmark: a synthetic stack of 10,000 resources carrying IAM documents, evaluated by every
// rule of the pack (resource rules on each, stack rules on the set) through plan/policy.ts.
// Reported: the median resources/s of 5 runs (the process's first included: no run is set aside), and the ratio to
// merely JSON-parsing the same documents (the floor any IAM rule has to pay), the parse timed over enough repetitions
// (>= 200 ms a run) to be stable. Target from issue 7: >= 20,000 resources/s.

import { evaluatePolicyPack } from "../plan/policy";
import type { PlanResource } from "../plan/types";
import { doc, resource } from "../tests/support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";

export interface PackBenchResult {
  resources: number;
  seconds: number;
  resourcesPerSecond: number;
  parseOnlyPerSecond: number;
  /** Evaluation time / parse-only time. */
  ratioToParse: number;
  violations: number;
}

export function syntheticStack(n: number): PlanResource[] {
  const out: PlanResource[] = [];
  for (let i = 0; i < n; i++) {
    const acct = String(100000000000 + (i % 1000));
    const bucket = `models-${i}`;
    switch (i % 8) {
      case 0:
        out.push(resource(T.managedPolicy, { policy: doc({ Sid: "Read", Effect: "Allow", Action: ["s3:GetObject", "s3:GetObjectVersion"], Resource: `arn:aws:s3:::${bucket}/weights/*` }, { Sid: "List", Effect: "Allow", Action: "s3:ListBucket", Resource: `arn:aws:s3:::${bucket}`, Condition: { StringLike: { "s3:prefix": ["weights/*"] } } }) }));
        break;
      case 1:
        out.push(resource(T.role, { assumeRolePolicy: doc({ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": acct } } }), maxSessionDuration: 3600, tags: { "model-vault:role": "consumer" } }));
        break;
      case 2:
        out.push(resource(T.bucketPolicy, { bucket, policy: doc({ Sid: "DenyNonTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }, { Sid: "Reader", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${acct}:role/reader` }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` }) }));
        break;
      case 3:
        out.push(resource(T.rolePolicy, { role: `role-${i}`, policy: doc({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: `arn:aws:kms:us-east-1:${acct}:key/k-${i}` }) }));
        break;
      case 5:
        out.push(resource("aws:ecr/repositoryPolicy:RepositoryPolicy", { repository: `repo-${i}`, policy: doc({ Sid: "Pull", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }) }));
        break;
      case 6:
        out.push(resource(T.rolePolicyAttachment, { role: `role-${i}`, policyArn: i % 16 === 6 ? "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" : `arn:aws:iam::${acct}:policy/reader` }));
        break;
      default:
        out.push(resource(T.kmsKey, { enableKeyRotation: true, policy: doc({ Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: "kms:DescribeKey", Resource: "*" }) }));
    }
  }
  return out;
}

function documentsOfStack(rs: PlanResource[]): string[] {
  return rs.map((r) => (r.inputs["policy"] ?? r.inputs["assumeRolePolicy"]) as string | undefined).filter((d): d is string => d !== undefined);
}

const RUNS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Parsing the documents once takes a few ms: repeated until a run lasts this long, then divided. */
const PARSE_RUN_MS = 200;

export async function benchPack(n = 10_000): Promise<PackBenchResult> {
  // Interleaved, medians over every run; each run gets a fresh stack so the reader's per-props cache starts cold.
  const times: number[] = [];
  const parseTimes: number[] = [];
  let violations: unknown[] = [];
  let keep = 0;
  for (let run = 0; run < RUNS; run++) {
    const stack = syntheticStack(n);
    const t0 = process.hrtime.bigint();
    violations = evaluatePolicyPack(stack, "bench", { all: "mandatory" });
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);

    const docs = documentsOfStack(syntheticStack(n));
    let reps = 0;
    const p0 = process.hrtime.bigint();
    let elapsed = 0;
    do {
      for (const d of docs) keep += (JSON.parse(d) as { Statement: unknown[] }).Statement.length;
      reps++;
      elapsed = Number(process.hrtime.bigint() - p0) / 1e6;
    } while (elapsed < PARSE_RUN_MS);
    parseTimes.push(elapsed / 1e3 / reps);
  }
  const seconds = median(times);
  const parseSeconds = median(parseTimes);
  if (keep === 0) throw new Error("parse produced nothing");

  const result: PackBenchResult = {
    resources: n,
    seconds,
    resourcesPerSecond: Math.round(n / seconds),
    parseOnlyPerSecond: Math.round(n / parseSeconds),
    ratioToParse: Number((seconds / parseSeconds).toFixed(1)),
    violations: violations.length,
  };
  console.log(
    `policy pack: ${result.resources} resources, median of ${RUNS} runs ${result.seconds.toFixed(3)}s = ${result.resourcesPerSecond} resources/s ` +
      `(JSON.parse alone: ${result.parseOnlyPerSecond}/s; pack is ${result.ratioToParse}x parse; ${result.violations} violations)`,
  );
  return result;
}

if (require.main === module) {
  benchPack().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
