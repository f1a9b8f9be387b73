// AWS size limits of IAM documents, checked before anything is registered. Pure.

/** Aggregate size of a role's inline policies, whitespace excluded. */
export const ROLE_INLINE_POLICIES_MAX = 10_240;
/** A customer-managed policy (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const MANAGED_POLICY_MAX = 6_144;
/** A role's trust policy (default quota; can be raised to 4,096). */
export const ROLE_TRUST_POLICY_MAX = 2_048;

export function policySize(json: string): number {
  return json.replace(/\s/g, "").length;
}

export function assertPolicySize(json: string, max: number, what: string): string {
  const n = policySize(json);
  if (n > max) throw new Error(`${what}: ${n} characters, over the ${max} AWS accepts (fewer or shorter prefixes?)`);
  return json;
}
