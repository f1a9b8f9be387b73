// ARN spellings used across builders, so every document names resources the same way, in the
// stack's partition (iam/arn.ts partitionOf).
import { arn, type Partition } from "./arn";

export const bucketArn = (partition: Partition, bucket: string) => arn(partition, "s3", "", "", bucket);
export const objectsArn = (partition: Partition, bucket: string, prefix = "") => `${bucketArn(partition, bucket)}/${prefix}*`;
export const accountRoot = (partition: Partition, accountId: string) => arn(partition, "iam", "", accountId, "root");
export const roleArn = (partition: Partition, accountId: string, name: string) => arn(partition, "iam", "", accountId, `role/${name}`);

/**
 * The IAM path of every role model-vault creates. The organization's SCPs name model-vault's roles by
 * it (`role/model-vault/*`), so they protect exactly these roles and never another team's role that
 * happens to share a name prefix.
 */
export const ROLE_PATH = "/model-vault/";

/**
 * Consumer roles' names (AccessRoles "access" + "-consumer-<name>", auto-named), reserved: the bucket
 * key lets roles under ROLE_PATH so named decrypt (iam/keyPolicy.ts); no other model-vault role is.
 */
export const CONSUMER_ROLE_NAME_PREFIX = "access-consumer-";

/**
 * The JIT broker's name in the program (index.ts): its functions, table and roles are auto-named
 * `<prefix>-<part>-<suffix>`, which is how the organization's SCPs find them (iam/scp.ts).
 */
export const JIT_NAME_PREFIX = "model-vault-jit";

// The SCP-protected `model-vault:role` values live with the tag key (iam/tags.ts).
export { AUDIT_KEY_ROLE, CDN_ROLE, MODEL_KEY_ROLE } from "./tags";

/** The audit trail's log bucket: named after the model bucket, so the org SCPs' bucket pattern covers it. */
export const auditBucketName = (modelBucketName: string) => `${modelBucketName}-audit`;

/**
 * The model bucket's server access log bucket (config/storage.ts keeps bucket names short enough for
 * it). Named after the model bucket like the audit bucket: the org SCPs find both by suffix.
 */
export const accessLogBucketName = (modelBucketName: string) => `${modelBucketName}-logs`;

/**
 * IAM Identity Center's roles: only Identity Center may change them; IAM principals of the account,
 * administrators included, get "Cannot perform the operation on the protected role"
 * (https://repost.aws/knowledge-center/identity-center-aws-reserved-sso,
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/identity-center-and-iam-roles.html).
 * The JIT broker reads a person from their session names; the SCPs keep anyone else from creating a
 * role that looks like one (iam/scp.ts DenyIdentityCenterLookalikes).
 */
export const IDENTITY_CENTER_ROLE_PREFIX = "AWSReservedSSO_";

/** Identity Center creates its roles under this path; an assumed-role ARN shows only the name. */
export const IDENTITY_CENTER_ROLE_PATH = "aws-reserved/sso.amazonaws.com/";

/**
 * The SAML provider Identity Center creates in each account it assigns, which its roles trust
 * (observed as `AWSSSO_<id>_DO_NOT_DELETE`; not verified against an account here). Whoever rewrites
 * its metadata signs in to any permission set under any session name.
 */
export const IDENTITY_CENTER_SAML_PROVIDER_PREFIX = "AWSSSO_";
