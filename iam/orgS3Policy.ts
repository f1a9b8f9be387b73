// The organization-level S3 policy: Organizations policy type S3_POLICY, whose one setting turns on all
// four S3 Block Public Access settings for every account it is attached to. Under it an account's own
// PutPublicAccessBlock can fail with 403 ("Organization-level policies override account-level
// settings"), which is why AccountGuardrails can rely on it instead (components/AccountGuardrails.ts).
// Syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3_syntax.html
// 403: https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html
// Pure.

/** The AccountGuardrails input that records "organization" mode (plan/orgPerimeter.ts reads it from the plan). */
export const PUBLIC_ACCESS_BLOCK_INPUT = "publicAccessBlock";

/** The Organizations policy type (the provider's `type`; also what `enable-policy-type` takes). */
export const S3_POLICY_TYPE = "S3_POLICY";

/** "all" turns on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy and RestrictPublicBuckets; "none" turns them off. */
export type S3PublicAccessAssign = "all" | "none";

export interface OrgS3PolicyDocument {
  s3_attributes: { public_access_block_configuration: { "@@assign": S3PublicAccessAssign } };
}

/** model-vault only ever asks for "all": the policy exists to keep every bucket in the accounts non-public. */
export function orgS3BlockPublicAccessPolicy(): OrgS3PolicyDocument {
  return { s3_attributes: { public_access_block_configuration: { "@@assign": "all" } } };
}

/** Whether a policy content (JSON text) is an S3 policy that turns every Block Public Access setting on. */
export function blocksAllPublicAccess(content: string): boolean {
  try {
    const d = JSON.parse(content) as Partial<OrgS3PolicyDocument>;
    return d.s3_attributes?.public_access_block_configuration?.["@@assign"] === "all";
  } catch {
    return false;
  }
}

/** How a workload stack gets account-wide Block Public Access (model-vault:publicAccessBlock). */
export type PublicAccessBlockMode = "manage" | "organization";
