// ARN parsing and validation helpers for the access builders, and the one home of the AWS partition
// (which ARN prefix, DNS suffix and service principals a stack uses). Pure: no Pulumi import.

/**
 * The partitions model-vault supports: the three AWS documents as the ARN partitions
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). The ISO partitions
 * (us-iso-*, us-isob-*, eu-isoe-*, us-isof-*) are refused: their DNS suffixes and service
 * availability are not in public documentation this project can check.
 */
export const PARTITIONS = ["aws", "aws-cn", "aws-us-gov"] as const;
export type Partition = (typeof PARTITIONS)[number];

/**
 * The partition of a region: cn-* is aws-cn, us-gov-* is aws-us-gov, every other public region is
 * aws (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html; China:
 * https://docs.amazonaws.cn/en_us/aws/latest/userguide/ARNs.html). Throws on an ISO region.
 */
export function partitionOf(region: string): Partition {
  if (/^[a-z]{2}-iso[a-z]?-/.test(region)) {
    throw new Error(`region ${region} is in an AWS ISO partition, which model-vault does not support (only ${PARTITIONS.join(", ")})`);
  }
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}

/** An ARN in the given partition: every ARN model-vault builds goes through here. */
export function arn(partition: Partition, service: string, region: string, account: string, resource: string): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/**
 * A service principal: `<service>.amazonaws.com` in every supported partition, China and GovCloud
 * included. AWS CDK dropped its per-partition table for this reason ("Service principals are now
 * globally <SERVICE>.amazonaws.com", aws-cdk-lib/region-info/lib/default.ts), and IAM in China
 * rejects `.amazonaws.com.cn` principals such as monitoring.rds.amazonaws.com.cn
 * (https://github.com/terraform-aws-modules/terraform-aws-rds-aurora/issues/437). Endpoints and
 * kms:ViaService values do differ: see dnsSuffix.
 */
export function servicePrincipal(service: string): string {
  return `${service}.amazonaws.com`;
}

export interface Arn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, e.g. "role/path/name" or "key/1234...". */
  resource: string;
}

const ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):([a-z0-9-]+):([a-z0-9-]*):(\d{12}|aws)?:(.+)$/;

/** Parses an ARN; returns undefined when it is not one. */
export function parseArn(arn: string): Arn | undefined {
  const m = ARN_RE.exec(arn);
  if (!m) return undefined;
  return { partition: m[1], service: m[2], region: m[3], account: m[4] ?? "", resource: m[5] };
}

/** Parses an ARN or throws an Error naming what was expected. */
export function mustParseArn(arn: string, what = "an ARN"): Arn {
  const a = parseArn(arn);
  if (!a) throw new Error(`expected ${what}, got ${JSON.stringify(arn)}`);
  return a;
}

export const ROLE_ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/;
export const ACCOUNT_ROOT_ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:root$/;
/** arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789 */
export const EKS_OIDC_PROVIDER_ARN_RE =
  /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:oidc-provider\/oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\/[A-Za-z0-9]{1,64}$/;

export function isRoleArn(s: string): boolean {
  return ROLE_ARN_RE.test(s);
}

/** "oidc.eks.REGION.amazonaws.com/id/XYZ": the prefix of the provider's condition keys (`<issuer>:sub`). */
export function oidcIssuerOf(providerArn: string): string {
  const a = mustParseArn(providerArn, "an IAM OIDC provider ARN");
  if (a.service !== "iam" || !a.resource.startsWith("oidc-provider/")) {
    throw new Error(`expected an IAM OIDC provider ARN, got ${JSON.stringify(providerArn)}`);
  }
  return a.resource.slice("oidc-provider/".length);
}

/** The account id in an ARN (throws when there is none). */
export function accountOf(arn: string): string {
  const a = mustParseArn(arn);
  if (!/^\d{12}$/.test(a.account)) throw new Error(`ARN ${arn} names no account`);
  return a.account;
}

export function regionOf(arn: string): string {
  const a = mustParseArn(arn);
  if (!a.region) throw new Error(`ARN ${arn} names no region`);
  return a.region;
}

/** The partition an ARN names. */
export function arnPartition(arn: string): Partition {
  return mustParseArn(arn).partition as Partition;
}

/** Bucket name of an S3 bucket ARN (arn:aws:s3:::NAME). */
export function bucketNameOf(bucketArn: string): string {
  const a = mustParseArn(bucketArn, "an S3 bucket ARN");
  if (a.service !== "s3" || a.resource.includes("/")) throw new Error(`expected an S3 bucket ARN, got ${JSON.stringify(bucketArn)}`);
  return a.resource;
}

/**
 * The DNS suffix of the partition's endpoints: amazonaws.com.cn in China (the China Regions' endpoint
 * domain: https://docs.amazonaws.cn/en_us/aws/latest/userguide/general-info.html), amazonaws.com in the
 * aws and aws-us-gov partitions (https://docs.aws.amazon.com/govcloud-us/latest/UserGuide/using-govcloud-endpoints.html).
 * kms:ViaService values follow the endpoint (s3.cn-north-1.amazonaws.com.cn): assumed from the endpoint
 * domain, not found spelled out in AWS KMS's China documentation.
 */
export function dnsSuffix(partition: Partition): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** The kms:ViaService value of S3 in the key's region, e.g. s3.us-east-1.amazonaws.com. */
export function s3ViaService(keyArn: string): string {
  return `s3.${regionOf(keyArn)}.${dnsSuffix(arnPartition(keyArn))}`;
}
