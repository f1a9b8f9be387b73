// The request record as stored, and the identity of a caller. Pure types, no AWS import.
import type { JitAction } from "../config/jit";

export const STATUSES = ["PENDING", "APPROVED", "ACTIVE", "ENDED", "DENIED", "EXPIRED", "REVOKED"] as const;
export type Status = (typeof STATUSES)[number];
export const TERMINAL: ReadonlySet<Status> = new Set<Status>(["ENDED", "DENIED", "EXPIRED", "REVOKED"]);

/**
 * What a principal is, as a person (jit/README.md "Identity model"):
 * - `iam-user`: an IAM user, keyed by its ARN and unique id (a re-created user is someone else);
 * - `identity-center`: an IAM Identity Center user, keyed by the username Identity Center puts in
 *   the session name of its `AWSReservedSSO_*` roles (one person across permission sets);
 * - `mapped`: a principal listed under a person in `jit.people`;
 * - `role-session`: a session of any other role. Its session name is chosen by whoever assumes
 *   the role, so all sessions of the role are ONE person (dev only: prod config refuses it);
 * - `sandbox`: a local sandbox `--as NAME`, never produced from AWS credentials.
 */
export type PersonKind = "iam-user" | "identity-center" | "mapped" | "role-session" | "sandbox" | "system";

export interface Person {
  /** What every decision compares. Never shown as a name; never a session name alone. */
  key: string;
  /** Display name and the STS SourceIdentity of issued sessions (STS's alphabet). */
  name: string;
  kind: PersonKind;
}

/** Who is calling, as established by SigV4 (Lambda) or by --as / --as-arn (sandbox only). */
export interface Caller {
  /** Authenticated ARN (sandbox --as: arn:sandbox:::user/NAME). */
  arn: string;
  /** The authorizer's principal id: `AIDA…` (IAM user) or `AROA…:<session>` (role session). */
  principalId: string;
  person: Person;
}

export type EventKind = "request" | "approve" | "deny" | "claim" | "revoke" | "expire" | "end";

/** One line of the append-only history. */
export interface HistoryEntry {
  at: string;
  event: EventKind;
  /** The actor's person name (display); `byPerson` is what was compared. */
  by: string;
  byPerson: string;
  byArn: string;
  byPrincipalId: string;
  from: Status | null;
  to: Status;
  reason?: string;
  breakGlass?: boolean;
  /** On claims: what CloudTrail will show for the session. */
  session?: { roleSessionName: string; sourceIdentity: string; durationSeconds: number };
}

export interface Approval {
  by: string;
  byPerson: string;
  byArn: string;
  byPrincipalId: string;
  at: string;
  breakGlass: boolean;
}

export interface JitRequest {
  id: string;
  status: Status;
  /** The requester's person name: the by-requester index key and the sessions' SourceIdentity. */
  requester: string;
  /** The requester's person key: what approve/deny/claim/revoke compare. */
  requesterPerson: string;
  requesterArn: string;
  /** Claim and revoke-as-requester need this same principal (not only the same person). */
  requesterPrincipalId: string;
  prefix: string;
  actions: JitAction[];
  minutes: number;
  reason: string;
  ticket?: string;
  createdAt: string;
  /** A PENDING request past this instant is EXPIRED. */
  pendingDeadline: string;
  approvalsRequired: number;
  approvals: Approval[];
  breakGlass: boolean;
  approvedAt?: string;
  /** Set on approval: the window runs from approval for `minutes`. */
  windowEnd?: string;
  claims: number;
  endedAt?: string;
  /** Optimistic-concurrency counter: every transition is conditional on it. */
  version: number;
  history: HistoryEntry[];
  /** DynamoDB TTL (epoch seconds), set once the request is terminal. */
  ttl?: number;
}
