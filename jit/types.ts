// The request record as stored, and the identity of a caller. Pure types, no AWS import.
import type { JitAction } from "../config/jit";

export const STATUSES = ["PENDING", "APPROVED", "ACTIVE", "ENDED", "DENIED", "EXPIRED", "REVOKED"] as const;
export type Status = (typeof STATUSES)[number];
export const TERMINAL: ReadonlySet<Status> = new Set<Status>(["ENDED", "DENIED", "EXPIRED", "REVOKED"]);

/** Who is calling, as established by SigV4 (Lambda) or by --as (sandbox only). */
export interface Caller {
  /** Authenticated ARN (sandbox: arn:sandbox:::user/NAME). */
  arn: string;
  /** Person-level name: IAM user name or role session name. Becomes the STS SourceIdentity. */
  name: string;
}

export type EventKind = "request" | "approve" | "deny" | "claim" | "revoke" | "expire" | "end";

/** One line of the append-only history. */
export interface HistoryEntry {
  at: string;
  event: EventKind;
  by: string;
  byArn: string;
  from: Status | null;
  to: Status;
  reason?: string;
  breakGlass?: boolean;
  /** On claims: what CloudTrail will show for the session. */
  session?: { roleSessionName: string; sourceIdentity: string; durationSeconds: number };
}

export interface Approval {
  by: string;
  byArn: string;
  at: string;
  breakGlass: boolean;
}

export interface JitRequest {
  id: string;
  status: Status;
  requester: string;
  requesterArn: string;
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
