// Access statements of the bucket key's policy (ModelBucket adds the account's administration,
// iam/bucketBaseline.ts keyAdministration): read-only roles decrypt via S3 only, the publisher
// encrypts via S3 only. Pure.
// In a key policy, Resource "*" means the key itself.
import type { Statement } from "./types";
import { KMS_READ_ACTIONS, KMS_UPLOAD_ACTIONS } from "./s3Actions";

export interface AccessKeyPolicyArgs {
  accountId: string;
  /** kms:ViaService of S3 in the key's region (see iam/arn.ts s3ViaService). */
  viaService: string;
  readOnlyRoleArns: string[];
  publisherRoleArn?: string;
}

/** One read-only role's key statement (Sid suffix distinguishes contributors to the one key policy). */
export function readOnlyKeyStatement(roleArn: string, accountId: string, viaService: string, sidSuffix = ""): Statement {
  return {
    Sid: `ReadOnlyDecryptViaS3${sidSuffix}`,
    Effect: "Allow",
    Principal: { AWS: roleArn },
    Action: [...KMS_READ_ACTIONS],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": viaService, "kms:CallerAccount": accountId } },
  };
}

export function publisherKeyStatement(roleArn: string, accountId: string, viaService: string, sidSuffix = ""): Statement {
  return {
    Sid: `PublisherEncryptViaS3${sidSuffix}`,
    Effect: "Allow",
    Principal: { AWS: roleArn },
    Action: [...KMS_UPLOAD_ACTIONS],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": viaService, "kms:CallerAccount": accountId } },
  };
}

/** A statement id suffix from a logical name: Sids allow only [A-Za-z0-9]. */
export function sidSuffixOf(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

/** All roles in two statements (for a policy written in one piece). */
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
