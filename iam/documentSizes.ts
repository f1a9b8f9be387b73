// The IAM documents whose size a stack's config decides, measured before anything is registered:
// a stack past an AWS limit fails with the document, its size, the limit and the config key that
// caused it, instead of an error from inside a deployment. The shared documents (bucket policy, key
// policy) no longer grow with consumers (iam/keyPolicy.ts) and are still checked where they are
// sealed (components/statementCollector.ts). Pure.
import type { AccessConfig } from "../config/access";
import { partitionOf } from "./arn";
import { bucketArn } from "./arns";
import { ROLE_INLINE_POLICIES_MAX, ROLE_TRUST_POLICY_MAX, policySize } from "./limits";
import { publisherPolicy } from "./publisher";
import { readOnlyPolicy } from "./readOnly";
import { consumerTrustPolicy, publisherTrustPolicy } from "./trust";
import { toJson, type PolicyDocument } from "./types";

export interface SizedStack {
  access: AccessConfig;
  accountId: string;
  bucketName: string;
  region: string;
  /** The JIT broker replaces the publisher's trusted principals with its own issuer. */
  brokered: boolean;
}

/** A KMS key id is a UUID: the placeholder has the real key ARN's length. */
const KEY_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000";

function keyArnLike(region: string, accountId: string): string {
  return `arn:${partitionOf(region)}:kms:${region}:${accountId}:key/${KEY_ID_PLACEHOLDER}`;
}

function over(doc: PolicyDocument, max: number, key: string, what: string, fix: string): string[] {
  const n = policySize(toJson(doc));
  return n > max ? [`${key}: ${what} would be ${n} characters, over the ${max} AWS accepts (${fix})`] : [];
}

/** Every size problem of the stack, each naming the config key that caused it. */
export function documentSizeProblems(s: SizedStack, namespace = "model-vault"): string[] {
  const bucket = bucketArn(partitionOf(s.region), s.bucketName);
  const keyArn = keyArnLike(s.region, s.accountId);
  const problems: string[] = [];
  s.access.consumers.forEach((c, i) => {
    const at = `${namespace}:consumers[${JSON.stringify(c.name)}]`;
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (inline policies per role, role trust policy)
    problems.push(...over(readOnlyPolicy({ bucketArn: bucket, keyArn, prefixes: c.prefixes }), ROLE_INLINE_POLICIES_MAX, `${at}.prefixes`, `consumer ${c.name}'s inline policy`, `fewer or shorter prefixes: ${c.prefixes.length} given`));
    problems.push(...over(consumerTrustPolicy(c, s.accountId), ROLE_TRUST_POLICY_MAX, at, `consumer ${c.name}'s trust policy`, "shorter names in the trust conditions"));
  });
  const p = s.access.publisher;
  if (p) {
    const at = `${namespace}:publisher`;
    problems.push(...over(publisherPolicy({ bucketArn: bucket, keyArn, prefixes: p.prefixes, allowDelete: p.allowDelete }), ROLE_INLINE_POLICIES_MAX, `${at}.prefixes`, "the publisher's inline policy", `fewer or shorter prefixes: ${p.prefixes.length} given`));
    if (!s.brokered) {
      const trust = publisherTrustPolicy({ trustedPrincipals: p.trustedPrincipals, maxMfaAgeSeconds: p.maxMfaAgeSeconds });
      problems.push(...over(trust, ROLE_TRUST_POLICY_MAX, `${at}.trustedPrincipals`, "the publisher's trust policy", `fewer trusted principals: ${p.trustedPrincipals.length} given`));
    }
  }
  return problems;
}
