// Turns the total tally into the report: rows per principal (planned or not), unused grants, elevated sessions
// checked against the broker's table when the caller can read it.
import { JIT_SESSION, Tally } from "./aggregate";
import type { AccessReport, Anomaly, Counts, ElevatedSession, Grant, UnusedGrant } from "./types";

/** What the report needs of a broker request (jit/types.ts JitRequest). */
export interface BrokerRequest {
  requester: string;
  status: string;
  approvedAt?: string;
  windowEnd?: string;
}
export interface BrokerLookup {
  get(id: string): Promise<BrokerRequest | undefined>;
}

async function checkSession(s: ElevatedSession, broker: BrokerLookup): Promise<Pick<ElevatedSession, "broker" | "brokerDetail">> {
  if (!s.jitRequestId) return { broker: "mismatch", brokerDetail: "session not named jit-<id>" };
  const r = await broker.get(s.jitRequestId);
  if (!r) return { broker: "unknown-request", brokerDetail: `no broker request ${s.jitRequestId}` };
  if (!r.approvedAt) return { broker: "mismatch", brokerDetail: `request ${s.jitRequestId} was never approved (${r.status})` };
  if (s.sourceIdentity !== r.requester) return { broker: "mismatch", brokerDetail: `source identity ${s.sourceIdentity ?? "(none)"} is not the requester ${r.requester}` };
  const end = r.windowEnd ?? r.approvedAt;
  for (const t of [s.first, s.last]) {
    if (t && (t < r.approvedAt || t > end)) return { broker: "mismatch", brokerDetail: `activity at ${t} outside the window ${r.approvedAt}..${end}` };
  }
  return { broker: "approved" };
}

export interface FinalizeContext {
  stack: string;
  bucket: string;
  grants: Grant[];
  range: { from?: string; to?: string };
  readDataEvents: string;
  files: AccessReport["files"];
  broker?: BrokerLookup;
}

export async function finalize(t: Tally, c: FinalizeContext): Promise<AccessReport> {
  const sessions = [...t.sessions.values()].sort((a, b) => (a.first ?? a.assumedAt ?? "").localeCompare(b.first ?? b.assumedAt ?? ""));
  for (const s of sessions) {
    if (!c.broker) {
      s.broker = "unchecked";
      continue;
    }
    Object.assign(s, await checkSession(s, c.broker));
    if (s.broker !== "approved" && s.writes + s.deletes > 0 && JIT_SESSION.test(s.sessionName)) {
      const a: Anomaly = {
        reasons: ["broker-mismatch"],
        time: s.first ?? "",
        principal: s.roleArn,
        label: "publisher",
        sessionName: s.sessionName,
        sourceIdentity: s.sourceIdentity,
        op: s.writes ? "write" : "delete",
        key: "",
        prefix: "",
        denied: false,
        requestId: s.requestIds[0] ?? "",
        source: "cloudtrail",
        detail: `${s.writes} write(s), ${s.deletes} delete(s): ${s.brokerDetail}`,
      };
      t.flag(a);
    }
  }
  const labelOf = new Map(c.grants.map((g) => [g.principal, g.label]));
  const principals = [...new Set([...c.grants.map((g) => g.principal), ...t.counts.keys()])].map((p) => ({
    principal: p,
    label: labelOf.get(p) ?? "not in the plan",
    planned: labelOf.has(p),
    prefixes: Object.fromEntries([...(t.counts.get(p) ?? new Map<string, Counts>())].sort(([a], [b]) => a.localeCompare(b))),
  }));
  const unusedGrants: UnusedGrant[] = [];
  for (const g of c.grants) {
    const row = t.counts.get(g.principal) ?? new Map<string, Counts>();
    for (const op of g.ops) {
      for (const prefix of g.prefixes) {
        const used = [...row].some(([p, n]) => p.startsWith(prefix) && n[op] > 0);
        if (!used) unusedGrants.push({ principal: g.principal, label: g.label, op, prefix });
      }
    }
  }
  const anomalies = [...t.anomalies].sort((a, b) => a.time.localeCompare(b.time) || a.requestId.localeCompare(b.requestId));
  return {
    stack: c.stack,
    bucket: c.bucket,
    range: c.range,
    readDataEvents: c.readDataEvents,
    files: c.files,
    records: t.records,
    principals,
    grants: c.grants,
    anomalies: { total: t.anomalyCount, byReason: t.byReason, items: anomalies },
    unusedGrants,
    sessions,
    readsOverTime: Object.fromEntries([...t.readsOverTime].sort(([a], [b]) => a.localeCompare(b)).map(([p, s]) => [p, Object.fromEntries([...s].sort(([a], [b]) => a.localeCompare(b)))])),
  };
}
