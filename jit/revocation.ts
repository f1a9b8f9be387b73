// Revocation that reaches sessions already issued. STS credentials cannot be recalled, but every
// request they sign is evaluated against the elevated role's policies at that moment. So the
// broker keeps ONE inline policy on the elevated role denying everything to sessions whose
// `jit-request-id` session tag (visible to policies as aws:PrincipalTag/jit-request-id; session
// tags override role tags of the same key) names a revoked request. Only requests whose window
// is still open need listing: after it, the session policy's DateLessThan already denies.
import { policyDocument, toJson, type PolicyDocument } from "../iam/types";
import { REQUEST_TAG } from "./sts-params";
import type { JitRequest } from "./types";

export const REVOCATION_POLICY_NAME = "jit-revocations";
/** IAM's limit for all inline policies of a role together is 10,240 characters; stay well under. */
export const REVOCATION_POLICY_MAX_CHARS = 8 * 1024;

/** Requests whose sessions must be cut now: revoked, with a window that has not closed yet. */
export function idsToDeny(revoked: readonly JitRequest[], now: Date): string[] {
  return revoked
    .filter((r) => r.status === "REVOKED" && r.windowEnd !== undefined && Date.parse(r.windowEnd) > now.getTime())
    .map((r) => r.id)
    .sort();
}

/** The deny policy for these ids, or null when nothing is revoked (the inline policy is removed). */
export function revocationPolicy(ids: readonly string[]): PolicyDocument | null {
  if (ids.length === 0) return null;
  const doc = policyDocument([
    {
      Sid: "JitRevokedSessions",
      Effect: "Deny",
      // A deny on everything is the point: a revoked session must be able to do nothing at all.
      Action: "*",
      Resource: "*",
      Condition: { StringEquals: { [`aws:PrincipalTag/${REQUEST_TAG}`]: [...ids] } },
    },
  ]);
  const size = toJson(doc).length;
  if (size > REVOCATION_POLICY_MAX_CHARS)
    throw new Error(`revocation policy would be ${size} characters (${ids.length} open revoked windows); over ${REVOCATION_POLICY_MAX_CHARS}`);
  return doc;
}
