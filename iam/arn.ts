// ARN parsing and validation helpers for the access builders. Pure: no Pulumi import.

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

export function partitionOf(arn: string): string {
  return mustParseArn(arn).partition;
}

/** Bucket name of an S3 bucket ARN (arn:aws:s3:::NAME). */
export function bucketNameOf(bucketArn: string): string {
  const a = mustParseArn(bucketArn, "an S3 bucket ARN");
  if (a.service !== "s3" || a.resource.includes("/")) throw new Error(`expected an S3 bucket ARN, got ${JSON.stringify(bucketArn)}`);
  return a.resource;
}

/** The DNS suffix of the partition (amazonaws.com, or amazonaws.com.cn in China). */
export function dnsSuffix(partition: string): string {
  return partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
}

/** The kms:ViaService value of S3 in the key's region, e.g. s3.us-east-1.amazonaws.com. */
export function s3ViaService(keyArn: string): string {
  return `s3.${regionOf(keyArn)}.${dnsSuffix(partitionOf(keyArn))}`;
}
