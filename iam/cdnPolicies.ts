// IAM statements for the CloudFront distribution (ModelCdn). Pure: no Pulumi import.
//
// - the model bucket lets cloudfront.amazonaws.com read the distributed prefixes only, and only
//   when the request comes from this distribution (AWS:SourceArn), never another one in AWS;
// - the bucket's KMS key lets CloudFront decrypt, pinned the same way;
// - the log bucket lets CloudWatch log delivery (CloudFront logging v2) write under the log prefix,
//   pinned to this account and this delivery source.
import type { Statement } from "./types";
import { arnPartition, servicePrincipal } from "./arn";

export const CLOUDFRONT_SERVICE = servicePrincipal("cloudfront");
export const LOG_DELIVERY_SERVICE = servicePrincipal("delivery.logs");

/** Statement ids, stable so reviewers and the plan can name what decided. */
export const CDN_SIDS = {
  read: "CloudFrontReadDistributedPrefixes",
  decrypt: "CloudFrontDecryptDistributedObjects",
  logs: "CloudFrontLogDeliveryWrite",
} as const;

const DISTRIBUTION_ARN = /^arn:aws[a-z-]*:cloudfront::(\d{12}):distribution\/([A-Z0-9]+)$/;

/** The account that owns a distribution, from its ARN (arn:aws:cloudfront::ACCOUNT:distribution/ID). */
export function accountOfDistributionArn(distributionArn: string): string {
  const m = DISTRIBUTION_ARN.exec(distributionArn);
  if (!m) throw new Error(`not a CloudFront distribution ARN: ${distributionArn}`);
  return m[1];
}

function requirePrefixes(prefixes: readonly string[]): void {
  if (prefixes.length === 0) throw new Error("CloudFront needs at least one distributed prefix");
  for (const p of prefixes) {
    if (!p.endsWith("/") || p.startsWith("/") || /[*?]/.test(p)) throw new Error(`bad distributed prefix "${p}": expected e.g. models/ (ends with '/', no wildcard, no leading '/')`);
  }
}

/** Object ARN patterns of the distributed prefixes: `${bucketArn}/${prefix}*`. */
export function distributedObjectArns(bucketArn: string, prefixes: readonly string[]): string[] {
  requirePrefixes(prefixes);
  return prefixes.map((p) => `${bucketArn}/${p}*`);
}

/**
 * Bucket-policy statement: CloudFront (through Origin Access Control) may GET objects under the
 * distributed prefixes, only on behalf of this distribution. No s3:ListBucket: a missing key is a
 * 403 at the edge, nobody enumerates the bucket through the CDN.
 */
export function cloudFrontReadStatement(args: { bucketArn: string; prefixes: readonly string[]; distributionArn: string }): Statement {
  accountOfDistributionArn(args.distributionArn);
  return {
    Sid: CDN_SIDS.read,
    Effect: "Allow",
    Principal: { Service: CLOUDFRONT_SERVICE },
    Action: "s3:GetObject",
    Resource: distributedObjectArns(args.bucketArn, args.prefixes),
    Condition: { StringEquals: { "AWS:SourceArn": args.distributionArn } },
  };
}

/**
 * Key-policy statement: CloudFront may decrypt (SSE-KMS objects it fetches through OAC), only on
 * behalf of this distribution. In a key policy, Resource "*" means this key.
 */
export function cloudFrontDecryptStatement(args: { distributionArn: string }): Statement {
  accountOfDistributionArn(args.distributionArn);
  return {
    Sid: CDN_SIDS.decrypt,
    Effect: "Allow",
    Principal: { Service: CLOUDFRONT_SERVICE },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: { StringEquals: { "AWS:SourceArn": args.distributionArn } },
  };
}

/**
 * Log-bucket-policy statement for CloudFront standard logging v2 (CloudWatch Logs vended delivery
 * to S3): delivery.logs.amazonaws.com may PutObject under the log prefix only, with the bucket
 * owner in control, from this account and this delivery source.
 */
export function logDeliveryWriteStatement(args: { logBucketArn: string; prefix: string; accountId: string; deliverySourceArn: string }): Statement {
  requirePrefixes([args.prefix]);
  if (!/^\d{12}$/.test(args.accountId)) throw new Error(`not an AWS account id: ${args.accountId}`);
  return {
    Sid: CDN_SIDS.logs,
    Effect: "Allow",
    Principal: { Service: LOG_DELIVERY_SERVICE },
    Action: "s3:PutObject",
    Resource: `${args.logBucketArn}/${args.prefix}*`,
    Condition: {
      StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceAccount": args.accountId },
      ArnLike: { "aws:SourceArn": args.deliverySourceArn },
    },
  };
}

/**
 * Rows for the plan's access matrix: the CloudFront service principal asking for objects, as this
 * distribution and as another one, inside and outside the distributed prefixes. `contextVariables`
 * is what the request carries (iam-simulate's shape); `expected` is what the design promises.
 */
export interface CdnAccessProbe {
  principal: string;
  label: string;
  action: string;
  resource: string;
  contextVariables: Record<string, string>;
  expected: "Allowed" | "ImplicitlyDenied";
}

export function cdnAccessProbes(args: { bucketArn: string; prefixes: readonly string[]; distributionArn: string; outsideKey?: string }): CdnAccessProbe[] {
  requirePrefixes(args.prefixes);
  const account = accountOfDistributionArn(args.distributionArn);
  const other = `arn:${arnPartition(args.distributionArn)}:cloudfront::${account}:distribution/EOTHERDISTRIBUTION`;
  const inside = `${args.bucketArn}/${args.prefixes[0]}example.safetensors`;
  const outsideKey = args.outsideKey ?? "not-distributed/example.safetensors";
  const outside = `${args.bucketArn}/${outsideKey}`;
  const rows: CdnAccessProbe[] = [];
  const as = (sourceArn: string, label: string, resource: string, expected: CdnAccessProbe["expected"]) =>
    rows.push({ principal: CLOUDFRONT_SERVICE, label, action: "s3:GetObject", resource, contextVariables: { "aws:SourceArn": sourceArn, "aws:SourceAccount": account }, expected });
  as(args.distributionArn, "cloudfront as this distribution", inside, "Allowed");
  if (!args.prefixes.some((p) => outsideKey.startsWith(p))) as(args.distributionArn, "cloudfront as this distribution", outside, "ImplicitlyDenied");
  as(other, "cloudfront as another distribution", inside, "ImplicitlyDenied");
  return rows;
}
