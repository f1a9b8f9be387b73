// The statements every model-vault bucket carries whatever else is granted: TLS only, TLS 1.2+,
// and (for the model bucket) no upload that asks for a different encryption or key.
import { accountRoot, bucketArn, objectsArn } from "./arns";
import { servicePrincipal, type Partition } from "./arn";
import type { Statement } from "./types";

export function denyInsecureTransport(partition: Partition, bucket: string): Statement[] {
  const resources = [bucketArn(partition, bucket), objectsArn(partition, bucket)];
  return [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyTlsBelow12",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: resources,
      Condition: { NumericLessThan: { "s3:TlsVersion": "1.2" } },
    },
  ];
}

/**
 * Uploads that name no encryption get the bucket default (SSE-KMS with the bucket key).
 * Each statement pairs a Null check with the comparison because negated operators are true
 * when the header is absent: without the pair, every plain upload would be denied.
 */
export function denyForeignEncryption(partition: Partition, bucket: string, keyArn: string): Statement[] {
  const objects = objectsArn(partition, bucket);
  return [
    {
      Sid: "DenyUploadsWithOtherEncryption",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: {
        Null: { "s3:x-amz-server-side-encryption": "false" },
        StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" },
      },
    },
    {
      Sid: "DenyUploadsWithOtherKmsKey",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: {
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
      },
    },
    {
      Sid: "DenyUploadsWithCustomerKeys",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      Condition: { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } },
    },
  ];
}

/** ACLs are off, so S3 server access logs are delivered by bucket policy, pinned to the source bucket and account. */
export function allowAccessLogDelivery(partition: Partition, logBucket: string, prefix: string, sourceBucket: string, accountId: string): Statement {
  return {
    Sid: "AllowS3ServerAccessLogDelivery",
    Effect: "Allow",
    Principal: { Service: servicePrincipal("logging.s3") },
    Action: "s3:PutObject",
    Resource: objectsArn(partition, logBucket, prefix),
    Condition: {
      ArnEquals: { "aws:SourceArn": bucketArn(partition, sourceBucket) },
      StringEquals: { "aws:SourceAccount": accountId },
    },
  };
}

/** Key administration for the account, spelled out: a key policy with kms:* would fail the pack's wildcard rule. */
export const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListAliases",
  "kms:ListGrants",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RevokeGrant",
  "kms:RotateKeyOnDemand",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

export function keyAdministration(partition: Partition, accountId: string): Statement {
  return {
    Sid: "AccountAdministersKey",
    Effect: "Allow",
    Principal: { AWS: accountRoot(partition, accountId) },
    Action: KEY_ADMIN_ACTIONS,
    Resource: "*",
  };
}
