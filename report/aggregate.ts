// Folds normalized log events into the report's counters, one log file at a time: each file gets its own
// Tally, merged into the total only when the whole file read cleanly (a malformed file is skipped whole).
// Memory is bounded by principals x prefixes x hours and the anomaly sample, never by the number of records.
import { granted, prefixOf } from "./grants";
import type { AccessEvent, Anomaly, AnomalyReason, AssumeEvent, Counts, ElevatedSession, Grant, LogEvent } from "./types";

/** Anomalies kept per reason for the listing (all are counted). */
export const ANOMALY_SAMPLE = 200;
/** S3 request ids kept per elevated session. */
export const REQUEST_ID_CAP = 50;
export const JIT_SESSION = /^jit-(.+)$/;

const zero = (): Counts => ({ read: 0, write: 0, delete: 0, denied: 0 });

export interface Judge {
  grants: Grant[];
  prefixes: string[];
  publisherArn?: string;
  /** Which read events the access logs must supply (the trail does not record them): see coveredByTrail. */
  readDataEvents: "none" | "unexpected" | "all";
  /** In "unexpected" mode, the readers the trail leaves out (index.ts passes the consumer roles to AuditTrail). */
  trailExcludedReaders?: string[];
  range: { from?: number; to?: number };
}

export class Tally {
  counts = new Map<string, Map<string, Counts>>();
  anomalies: Anomaly[] = [];
  anomalyCount = 0;
  byReason: Record<AnomalyReason, number> = { "not-broker-session": 0, "not-planned": 0, "denied-write": 0, "broker-mismatch": 0 };
  sessions = new Map<string, ElevatedSession>();
  readsOverTime = new Map<string, Map<string, number>>();
  records = { cloudtrail: 0, accessLog: 0, counted: 0, outOfRange: 0 };
  /** Whether any CloudTrail file contributed: without one, the access logs are the only record of writes. */
  sawTrail = false;

  constructor(private readonly judge: Judge) {}

  /** An empty tally for one file, judging as this one does (and knowing whether the trail was read). */
  fork(): Tally {
    const t = new Tally(this.judge);
    t.sawTrail = this.sawTrail;
    return t;
  }

  private inRange(time: string): boolean {
    const t = Date.parse(time);
    if (Number.isNaN(t)) return false;
    return (this.judge.range.from === undefined || t >= this.judge.range.from) && (this.judge.range.to === undefined || t < this.judge.range.to);
  }

  private session(roleArn: string, sessionName: string): ElevatedSession {
    const k = `${roleArn} ${sessionName}`;
    let s = this.sessions.get(k);
    if (!s) {
      const m = JIT_SESSION.exec(sessionName);
      s = { roleArn, sessionName, ...(m ? { jitRequestId: m[1] } : {}), writes: 0, deletes: 0, denied: 0, requestIds: [] };
      this.sessions.set(k, s);
    }
    return s;
  }

  addAssume(e: AssumeEvent): void {
    if (!this.judge.publisherArn || e.roleArn !== this.judge.publisherArn || e.denied || !this.inRange(e.time)) return;
    const s = this.session(e.roleArn, e.sessionName);
    s.assumedAt = e.time;
    s.assumeRequestId = e.requestId;
    s.sourceIdentity ??= e.sourceIdentity;
  }

  /**
   * Whether an access-log line is also in the trail (then the trail's record, with its source identity, counts):
   * object writes always are; reads when the trail logs all reads, or, in "unexpected" mode, reads by anyone but
   * the consumer roles the selector leaves out (the CDN's reads included: they carry no userIdentity.arn to exclude).
   * Unauthenticated requests never are.
   */
  coveredByTrail(e: AccessEvent): boolean {
    if (!this.sawTrail || e.principal === "anonymous") return false;
    if (e.op !== "read") return true;
    if (this.judge.readDataEvents === "all") return true;
    if (this.judge.readDataEvents === "unexpected") return !(this.judge.trailExcludedReaders ?? []).includes(e.principal);
    return false;
  }

  add(e: LogEvent): void {
    if (e.kind === "assume") return this.addAssume(e);
    if (!this.inRange(e.time)) {
      this.records.outOfRange++;
      return;
    }
    if (e.source === "access-log" && this.coveredByTrail(e)) return;
    this.records.counted++;
    const prefix = prefixOf(e.key, this.judge.prefixes);
    let row = this.counts.get(e.principal);
    if (!row) this.counts.set(e.principal, (row = new Map()));
    let c = row.get(prefix);
    if (!c) row.set(prefix, (c = zero()));
    if (e.denied) c.denied++;
    else c[e.op]++;
    if (e.op === "read" && !e.denied) {
      const hour = e.time.slice(0, 13);
      let series = this.readsOverTime.get(prefix);
      if (!series) this.readsOverTime.set(prefix, (series = new Map()));
      series.set(hour, (series.get(hour) ?? 0) + 1);
    }
    const reasons: AnomalyReason[] = [];
    const grant = granted(this.judge.grants, e.principal, e.op, e.key);
    if (!grant) reasons.push("not-planned");
    if (e.op !== "read" && e.denied) reasons.push("denied-write");
    if (e.op !== "read" && !e.denied && !(JIT_SESSION.test(e.sessionName ?? "") && e.sourceIdentity)) reasons.push("not-broker-session");
    if (e.principal === this.judge.publisherArn && e.sessionName) {
      const s = this.session(e.principal, e.sessionName);
      if (e.sourceIdentity) s.sourceIdentity ??= e.sourceIdentity;
      if (e.denied) s.denied++;
      else if (e.op === "write") s.writes++;
      else if (e.op === "delete") s.deletes++;
      if (s.requestIds.length < REQUEST_ID_CAP) s.requestIds.push(e.requestId);
      s.first = !s.first || e.time < s.first ? e.time : s.first;
      s.last = !s.last || e.time > s.last ? e.time : s.last;
    }
    const label = grant?.label ?? this.judge.grants.find((g) => g.principal === e.principal)?.label;
    if (reasons.length) this.flag({ reasons, time: e.time, principal: e.principal, label, sessionName: e.sessionName, sourceIdentity: e.sourceIdentity, op: e.op, key: e.key, prefix, denied: e.denied, requestId: e.requestId, source: e.source });
  }

  flag(a: Anomaly): void {
    this.anomalyCount++;
    for (const r of a.reasons) this.byReason[r]++;
    if (a.reasons.some((r) => this.byReason[r] <= ANOMALY_SAMPLE)) this.anomalies.push(a);
  }

  /** Folds a file's tally into this one. */
  merge(o: Tally): void {
    for (const [p, row] of o.counts) {
      let mine = this.counts.get(p);
      if (!mine) this.counts.set(p, (mine = new Map()));
      for (const [prefix, c] of row) {
        const m = mine.get(prefix) ?? zero();
        mine.set(prefix, { read: m.read + c.read, write: m.write + c.write, delete: m.delete + c.delete, denied: m.denied + c.denied });
      }
    }
    for (const a of o.anomalies) if (a.reasons.some((r) => this.byReason[r] < ANOMALY_SAMPLE)) this.anomalies.push(a);
    this.anomalyCount += o.anomalyCount;
    for (const r of Object.keys(o.byReason) as AnomalyReason[]) this.byReason[r] += o.byReason[r];
    for (const [k, s] of o.sessions) {
      const m = this.sessions.get(k);
      if (!m) {
        this.sessions.set(k, s);
        continue;
      }
      m.writes += s.writes;
      m.deletes += s.deletes;
      m.denied += s.denied;
      m.sourceIdentity ??= s.sourceIdentity;
      m.assumedAt ??= s.assumedAt;
      m.assumeRequestId ??= s.assumeRequestId;
      m.requestIds = [...m.requestIds, ...s.requestIds].slice(0, REQUEST_ID_CAP);
      if (s.first && (!m.first || s.first < m.first)) m.first = s.first;
      if (s.last && (!m.last || s.last > m.last)) m.last = s.last;
    }
    for (const [prefix, series] of o.readsOverTime) {
      let mine = this.readsOverTime.get(prefix);
      if (!mine) this.readsOverTime.set(prefix, (mine = new Map()));
      for (const [h, n] of series) mine.set(h, (mine.get(h) ?? 0) + n);
    }
    this.records.cloudtrail += o.records.cloudtrail;
    this.records.accessLog += o.records.accessLog;
    this.records.counted += o.records.counted;
    this.records.outOfRange += o.records.outOfRange;
    this.sawTrail ||= o.sawTrail;
  }
}
