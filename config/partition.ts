// What a stack's partition (aws, aws-cn, aws-us-gov: decided by aws:region, iam/arn.ts partitionOf)
// rules out in its stack file: features AWS does not offer there, and ARNs of another partition.
import { partitionOf, type Partition } from "../iam/arn";
import type { RawStackConfig } from "./schema";
import { keyPath } from "./errors";

const NAMES: Record<Partition, string> = { aws: "aws", "aws-cn": "aws-cn (China)", "aws-us-gov": "aws-us-gov (AWS GovCloud (US))" };

/** Why a feature is refused in a partition, with the AWS page that says so; absent where it is available. */
const UNAVAILABLE: Record<"cdn" | "jit", Partial<Record<Partition, string>>> = {
  cdn: {
    // https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/setting-up-credentials.html: CloudFront is
    // outside the GovCloud boundary and is set up with standard (aws partition) credentials.
    "aws-us-gov":
      "CloudFront is not part of the AWS GovCloud (US) partition (it runs outside the GovCloud boundary with standard AWS credentials: " +
      "https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/setting-up-credentials.html), so a GovCloud stack cannot create the distribution",
    // https://docs.amazonaws.cn/en_us/aws/latest/userguide/cloudfront.html: no default *.cloudfront.cn
    // domain, an ICP-recorded alternate domain is required; model-vault's OAC, key-group signing and
    // logging v2 setup has not been checked against CloudFront in the China Regions.
    "aws-cn":
      "unverified: CloudFront in the China Regions serves only an ICP-recorded alternate domain (no *.cloudfront.cn default: " +
      "https://docs.amazonaws.cn/en_us/aws/latest/userguide/cloudfront.html), and model-vault's Origin Access Control, signed URLs and log delivery are not verified there",
  },
  jit: {
    // The broker's API is a Lambda function URL (components/JitBroker.ts).
    "aws-us-gov":
      "the JIT broker is served through a Lambda function URL, which AWS Lambda does not offer in AWS GovCloud (US) " +
      "(https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/govcloud-lambda.html)",
    "aws-cn":
      "the JIT broker is served through a Lambda function URL, which AWS Lambda does not offer in the China Regions " +
      "(https://docs.amazonaws.cn/en_us/aws/latest/userguide/lambda.html)",
  },
};
/** Every ARN-valued string in a config value, with its key path (`["consumers", 4, "principalArn"]`). */
/** Every ARN-valued string in a config value, with its key path (`consumers[4].principalArn`). */
function arnsIn(value: unknown, path: PropertyKey[], out: Array<{ path: PropertyKey[]; arn: string }>): void {
  if (typeof value === "string") {
    if (value.startsWith("arn:")) out.push({ path, arn: value });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => arnsIn(v, [...path, i], out));
  } else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) arnsIn(v, [...path, k], out);
  }
}

/**
 * Every problem the stack's partition finds in its stack file, each naming the key:
 * - `cdn.enabled` / `jit.enabled` where the partition lacks the feature;
 * - an ARN of another partition (an account and its principals live in one partition:
 *   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html), which IAM would never match;
 * - `organization.partition` set to another partition than the org stack's region's.
 * @param raw the stack file's values as written (before defaults), to tell a set key from a default
 */
export function partitionProblems(namespace: string, region: string, config: Partial<RawStackConfig>, raw: Record<string, unknown>): string[] {
  const partition = partitionOf(region);
  const where = `aws:region ${region} is in partition ${NAMES[partition]}`;
  const problems: string[] = [];
  for (const feature of ["cdn", "jit"] as const) {
    const why = UNAVAILABLE[feature][partition];
    if (config[feature]?.enabled && why) problems.push(`${namespace}:${feature}.enabled: must be false: ${where}; ${why}`);
  }
  const declared = (raw.organization as { partition?: unknown } | undefined)?.partition;
  if (declared !== undefined && declared !== partition) {
    problems.push(`${namespace}:organization.partition: ${JSON.stringify(declared)} contradicts ${where} (leave it out: the org stack's region decides it)`);
  }
  const arns: Array<{ path: PropertyKey[]; arn: string }> = [];
  arnsIn(config, [], arns);
  for (const a of arns) {
    const named = a.arn.split(":")[1];
    if (named !== partition && !/[*?]/.test(named)) {
      problems.push(`${keyPath(namespace, a.path, raw)}: ${JSON.stringify(a.arn)} names partition ${named}, but ${where}: expected arn:${partition}:...`);
    }
  }
  return problems;
}
