// Statements of the bucket key's policy: the account administers the key (no cryptographic use),
// read-only roles decrypt via S3 only, the publisher encrypts via S3 only. Pure.
// In a key policy, Resource "*" means the key itself.
import type { Statement } from "./types";
import { KMS_READ_ACTIONS, KMS_UPLOAD_ACTIONS } from "./s3Actions";

/** Key management without encrypt/decrypt and without CreateGrant (a grant could delegate Decrypt). */
export const KMS_ADMIN_ACTIONS = [
  "kms:DescribeKey",
  "kms:GetKeyPolicy",
  "kms:PutKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:EnableKeyRotation",
  "kms:DisableKeyRotation",
  "kms:RotateKeyOnDemand",
  "kms:ListKeyRotations",
  "kms:EnableKey",
  "kms:DisableKey",
  "kms:ListGrants",
  "kms:RevokeGrant",
  "kms:ListKeyPolicies",
  "kms:ListResourceTags",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:CreateAlias",
  "kms:UpdateAlias",
  "kms:DeleteAlias",
  "kms:ListAliases",
  "kms:UpdateKeyDescription",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
];

export function keyAdminStatements(accountId: string, partition = "aws"): Statement[] {
  return [
    {
      Sid: "AccountAdministersKey",
      Effect: "Allow",
      Principal: { AWS: `arn:${partition}:iam::${accountId}:root` },
      Action: KMS_ADMIN_ACTIONS,
      Resource: "*",
    },
  ];
}

export interface AccessKeyPolicyArgs {
  accountId: string;
  /** kms:ViaService of S3 in the key's region (see iam/arn.ts s3ViaService). */
  viaService: string;
  readOnlyRoleArns: string[];
  publisherRoleArn?: string;
}

export function accessKeyPolicyStatements(a: AccessKeyPolicyArgs): Statement[] {
  const via = { StringEquals: { "kms:ViaService": a.viaService, "kms:CallerAccount": a.accountId } };
  const out: Statement[] = [];
  if (a.readOnlyRoleArns.length > 0) {
    out.push({
      Sid: "ReadOnlyRolesDecryptViaS3",
      Effect: "Allow",
      Principal: { AWS: [...a.readOnlyRoleArns].sort() },
      Action: [...KMS_READ_ACTIONS],
      Resource: "*",
      Condition: via,
    });
  }
  if (a.publisherRoleArn) {
    out.push({
      Sid: "PublisherEncryptsViaS3",
      Effect: "Allow",
      Principal: { AWS: a.publisherRoleArn },
      Action: [...KMS_UPLOAD_ACTIONS],
      Resource: "*",
      Condition: via,
    });
  }
  return out;
}
