// AWS size limits of IAM documents, checked before anything is registered. Pure.

/** Aggregate size of a role's inline policies, whitespace excluded. */
export const ROLE_INLINE_POLICIES_MAX = 10_240;
/** A customer-managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const MANAGED_POLICY_MAX = 6_144;
/** A role's trust policy (default quota; can be raised to 4,096). */
export const ROLE_TRUST_POLICY_MAX = 2_048;

/** An S3 bucket policy (https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-iam-policies.html: "limited to 20 KB"). */
export const BUCKET_POLICY_MAX = 20_480;
/** A KMS key policy (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-overview.html: 32,768 bytes). */
export const KEY_POLICY_MAX = 32_768;
/**
 * An SCP document, in characters of the minified JSON
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_reference_limits.html).
 */
export const SCP_MAX_CHARS = 5_120;
/** SCPs attached directly to one root, OU or account, FullAWSAccess included (same page). */
export const SCP_MAX_PER_TARGET = 5;
/** A resource control policy (RCP), in characters of the minified JSON (same page: "Resource control policy: 5,120 characters"). */
export const RCP_MAX_CHARS = 5_120;
/** RCPs attached directly to one root, OU or account, RCPFullAWSAccess included (same page; as for SCPs). */
export const RCP_MAX_PER_TARGET = 5;
/**
 * The session policy passed on AssumeRole (https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html).
 * jit/session-policy.ts enforces it (iam/limits.ts has no imports, so the Lambda bundle takes only this file).
 */
export const SESSION_POLICY_MAX = 2_048;

/**
 * Values of all conditions in all advanced event selectors of one CloudTrail trail
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html: "up to a maximum of
 * 500 values for all conditions and selectors on a trail").
 */
export const TRAIL_SELECTOR_VALUES_MAX = 500;

export function policySize(json: string): number {
  return json.replace(/\s/g, "").length;
}

export function assertPolicySize(json: string, max: number, what: string): string {
  const n = policySize(json);
  if (n > max) throw new Error(`${what}: ${n} characters, over the ${max} AWS accepts (fewer or shorter prefixes?)`);
  return json;
}
