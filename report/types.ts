// The access report's vocabulary: one normalized access (from a CloudTrail record or an S3 server access log
// line), the plan's grants it is judged against, and the report. Pure types.

export type Op = "read" | "write" | "delete";

/** One request on the model bucket, whichever log recorded it. */
export interface AccessEvent {
  kind: "access";
  time: string;
  /** Role ARN (with path when known), IAM user ARN, root ARN, a service (cloudfront.amazonaws.com) or "anonymous". */
  principal: string;
  sessionName?: string;
  sourceIdentity?: string;
  op: Op;
  key: string;
  denied: boolean;
  /** The S3 request id (x-amz-request-id), the same in CloudTrail and the access log. */
  requestId: string;
  source: "cloudtrail" | "access-log";
}

/** An sts:AssumeRole of some role (the report keeps those of the publisher: elevated sessions). */
export interface AssumeEvent {
  kind: "assume";
  time: string;
  roleArn: string;
  sessionName: string;
  sourceIdentity?: string;
  requestId: string;
  by: string;
  denied: boolean;
}

export type LogEvent = AccessEvent | AssumeEvent;

/** What the plan lets a principal do, by prefix. */
export interface Grant {
  principal: string;
  label: string;
  ops: Op[];
  prefixes: string[];
  /** The publisher: its writes must come through a broker session. */
  elevated?: boolean;
}

export type AnomalyReason = "not-broker-session" | "not-planned" | "denied-write" | "broker-mismatch";

export interface Anomaly {
  reasons: AnomalyReason[];
  time: string;
  principal: string;
  label?: string;
  sessionName?: string;
  sourceIdentity?: string;
  op: Op;
  key: string;
  prefix: string;
  denied: boolean;
  requestId: string;
  source: AccessEvent["source"];
  detail?: string;
}

export interface Counts {
  read: number;
  write: number;
  delete: number;
  denied: number;
}

export interface ElevatedSession {
  roleArn: string;
  sessionName: string;
  /** The broker request id (`jit-<id>` session names). */
  jitRequestId?: string;
  sourceIdentity?: string;
  assumedAt?: string;
  assumeRequestId?: string;
  first?: string;
  last?: string;
  writes: number;
  deletes: number;
  denied: number;
  /** S3 request ids of the session's object requests (the first REQUEST_ID_CAP). */
  requestIds: string[];
  /** Checked against the broker's table when the caller could read it. */
  broker?: "approved" | "mismatch" | "unknown-request" | "unchecked";
  brokerDetail?: string;
}

export interface UnusedGrant {
  principal: string;
  label: string;
  op: Op;
  prefix: string;
}

export interface AccessReport {
  stack: string;
  bucket: string;
  range: { from?: string; to?: string };
  /** The trail's read-logging mode the stack declares (decides which source counts reads). */
  readDataEvents: string;
  files: { read: number; skipped: { file: string; error: string }[] };
  records: { cloudtrail: number; accessLog: number; counted: number; outOfRange: number };
  principals: { principal: string; label: string; planned: boolean; prefixes: Record<string, Counts> }[];
  grants: Grant[];
  anomalies: { total: number; byReason: Record<AnomalyReason, number>; items: Anomaly[] };
  unusedGrants: UnusedGrant[];
  sessions: ElevatedSession[];
  /** Reads per prefix per hour (ISO hour "2026-11-30T10"). */
  readsOverTime: Record<string, Record<string, number>>;
}
