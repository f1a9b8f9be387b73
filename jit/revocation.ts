// Revocation that reaches sessions already issued. STS credentials cannot be recalled, but every
// request they sign is evaluated against the elevated role's policies at that moment. So the
// broker keeps ONE inline policy on the elevated role denying everything to sessions whose
// `jit-request-id` session tag (visible to policies as aws:PrincipalTag/jit-request-id; session
// tags override role tags of the same key) names a revoked request. Only requests whose window
// is still open need listing: after it, the session policy's DateLessThan already denies.
//
// When that list cannot fit the role's inline-policy budget, the deny widens instead of shrinking:
// it covers every elevated session issued before the latest revocation (aws:TokenIssueTime), the
// mechanism AWS's own "Revoke active sessions" uses
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_revoke-sessions.html).
import { policyDocument, toJson, type PolicyDocument } from "../iam/types";
import { REQUEST_TAG } from "./sts-params";
import type { JitRequest } from "./types";

export const REVOCATION_POLICY_NAME = "jit-revocations";
/**
 * IAM caps all inline policies of a role together at 10,240 characters, whitespace not counted
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html, "Role policy size").
 * The elevated role may carry other inline policies, so the deny keeps 2 KiB of that budget free;
 * should the others grow past it, IAM refuses the write and the sink falls back (RevocationTooLarge).
 */
export const REVOCATION_POLICY_MAX_CHARS = 8 * 1024;
/**
 * The revocation time is the broker's clock, aws:TokenIssueTime is STS's. Both are NTP-disciplined;
 * the margin makes the fallback deny also catch a session issued a moment before the revocation
 * was recorded, at the cost of also denying sessions issued in the few seconds after it.
 */
export const TOKEN_ISSUE_MARGIN_SECONDS = 5;

/** What the deny needs to know of a revoked request (a stream record's image carries exactly this). */
export type RevokedRecord = Pick<JitRequest, "id" | "status" | "windowEnd" | "endedAt"> & { history?: JitRequest["history"] };

/** Thrown by a RevocationSink when IAM refuses the document for its size (aggregate inline quota). */
export class RevocationTooLarge extends Error {
  readonly name = "RevocationTooLarge";
}

/** Requests whose sessions must be cut now: revoked, with a window that has not closed yet. */
export function idsToDeny(revoked: readonly RevokedRecord[], now: Date): string[] {
  return openRevoked(revoked, now)
    .map((r) => r.id)
    .sort();
}

function openRevoked(revoked: readonly RevokedRecord[], now: Date): RevokedRecord[] {
  return revoked.filter((r) => r.status === "REVOKED" && r.windowEnd !== undefined && Date.parse(r.windowEnd) > now.getTime());
}

/**
 * When a REVOKED request was revoked: the revoke transition sets `endedAt` to that instant (and
 * writes it as the `at` of the history's revoke entry). A claim commits only before the revoke
 * does (see Broker.claim), so every session of the request was issued before this time.
 */
export function revokedAt(r: RevokedRecord): string {
  const at = r.endedAt ?? [...(r.history ?? [])].reverse().find((h) => h.event === "revoke")?.at;
  if (!at) throw new Error(`request ${r.id} is REVOKED but records no revocation time`);
  return at;
}

/** The deny-by-tag policy for these ids, or null when nothing is revoked (the inline policy is removed). */
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
    throw new RevocationTooLarge(`revocation policy would be ${size} characters (${ids.length} open revoked windows); over ${REVOCATION_POLICY_MAX_CHARS}`);
  return doc;
}

/**
 * Denies every session of the elevated role issued before `before` (ISO instant). aws:TokenIssueTime
 * is the issue time of the temporary credentials signing the request
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tokenissuetime).
 * Sessions issued later (other requests' fresh claims) are untouched.
 */
export function issuedBeforePolicy(before: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "JitRevokedSessionsIssuedBefore",
      Effect: "Deny",
      Action: "*",
      Resource: "*",
      Condition: { DateLessThan: { "aws:TokenIssueTime": before } },
    },
  ]);
}

export type RevocationDeny =
  | { mode: "none"; doc: null; ids: [] }
  | { mode: "ids"; doc: PolicyDocument; ids: string[] }
  | { mode: "issued-before"; doc: PolicyDocument; ids: string[]; before: string };

/** The issued-before fallback for these open revoked requests: the latest revocation plus the clock margin. */
export function fallbackDeny(revoked: readonly RevokedRecord[], now: Date): RevocationDeny {
  const open = openRevoked(revoked, now);
  if (open.length === 0) return { mode: "none", doc: null, ids: [] };
  const latest = Math.max(...open.map((r) => Date.parse(revokedAt(r))));
  // Whole seconds, rounded up: aws:TokenIssueTime is compared as a date and must not fall between.
  const before = new Date(Math.ceil(latest / 1000) * 1000 + TOKEN_ISSUE_MARGIN_SECONDS * 1000).toISOString().replace(/\.000Z$/, "Z");
  return { mode: "issued-before", doc: issuedBeforePolicy(before), ids: open.map((r) => r.id).sort(), before };
}

/**
 * The deny for the current revoked set: by session tag while the ids fit, else the issued-before
 * fallback. Never a smaller deny than the set needs, never none while a revoked window is open.
 */
export function revocationDeny(revoked: readonly RevokedRecord[], now: Date): RevocationDeny {
  const ids = idsToDeny(revoked, now);
  if (ids.length === 0) return { mode: "none", doc: null, ids: [] };
  try {
    return { mode: "ids", doc: revocationPolicy(ids) as PolicyDocument, ids };
  } catch (e) {
    if (!(e instanceof RevocationTooLarge)) throw e;
    return fallbackDeny(revoked, now);
  }
}
