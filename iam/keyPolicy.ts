// Access statements of the bucket key's policy (ModelBucket adds the account's administration,
// iam/bucketBaseline.ts keyAdministration): read-only roles decrypt via S3 only, the publisher
// encrypts via S3 only. Pure.
// In a key policy, Resource "*" means the key itself.
import type { Statement } from "./types";
import { CONSUMER_ROLE_NAME_PREFIX, ROLE_PATH } from "./arns";
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

/** Sid of the one statement every consumer role decrypts by. */
export const CONSUMER_ROLES_KEY_SID = "ConsumerRolesDecryptViaS3";

/**
 * The ARN pattern of every consumer role in `roleArn`'s account and partition
 * (`...:role/model-vault/access-consumer-*`), or undefined when `roleArn` is not so named (then the
 * role gets a statement of its own). Derived from the role's own ARN so it follows the partition.
 */
export function consumerRoleArnPattern(roleArn: string): string | undefined {
  const at = roleArn.indexOf(":role/");
  if (at < 0) return undefined;
  const base = roleArn.slice(0, at + ":role".length);
  return roleArn.startsWith(`${base}${ROLE_PATH}${CONSUMER_ROLE_NAME_PREFIX}`) ? `${base}${ROLE_PATH}${CONSUMER_ROLE_NAME_PREFIX}*` : undefined;
}

/**
 * One statement for all consumer roles, so the key policy stays the same size at 1,000 consumers
 * (KMS caps it at 32,768 bytes; one statement per role passed it at ~95). The account principal
 * grants nothing by itself: a role also needs its own identity policy's kms:Decrypt (each consumer's
 * inline policy has it), and the condition admits only roles under the consumer name pattern, which
 * no other model-vault role (publisher, broker) matches and only IAM administrators could create.
 * https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn
 */
export function consumerRolesKeyStatement(accountRootArn: string, rolePattern: string, accountId: string, viaService: string): Statement {
  return {
    Sid: CONSUMER_ROLES_KEY_SID,
    Effect: "Allow",
    Principal: { AWS: accountRootArn },
    Action: [...KMS_READ_ACTIONS],
    Resource: "*",
    Condition: { StringEquals: { "kms:ViaService": viaService, "kms:CallerAccount": accountId }, ArnLike: { "aws:PrincipalArn": rolePattern } },
  };
}

/** The shared consumer statement when `roleArn` is a consumer role (the account root spelled in the role's partition). */
export function consumerKeyStatementFor(roleArn: string, accountId: string, viaService: string): Statement | undefined {
  const pattern = consumerRoleArnPattern(roleArn);
  if (!pattern) return undefined;
  const root = `${roleArn.slice(0, roleArn.indexOf(":role/"))}:root`;
  return consumerRolesKeyStatement(root, pattern, accountId, viaService);
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
