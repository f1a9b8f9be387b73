// The report as text (the default output).
import type { AccessReport, Counts } from "./types";

const fmt = (c: Counts) => `reads ${c.read}, writes ${c.write}, deletes ${c.delete}, denied ${c.denied}`;

export function renderText(r: AccessReport): string {
  const out: string[] = [];
  const range = `${r.range.from ?? "(start)"} .. ${r.range.to ?? "(end)"}`;
  out.push(`Access report: stack ${r.stack}, bucket ${r.bucket}, ${range}`);
  out.push(`  ${r.files.read} file(s) read, ${r.files.skipped.length} skipped; ${r.records.cloudtrail} CloudTrail record(s), ${r.records.accessLog} access-log line(s), ${r.records.counted} request(s) on the bucket counted, ${r.records.outOfRange} outside the range`);
  out.push(`  read logging in the trail: ${r.readDataEvents} (reads the trail does not record come from the access logs)`);
  for (const s of r.files.skipped) out.push(`  skipped ${s.file}: ${s.error}`);
  out.push("");
  out.push("Per principal and prefix");
  for (const p of r.principals) {
    out.push(`  ${p.label}${p.planned ? "" : "  <- NOT IN THE PLAN"}`);
    out.push(`    ${p.principal}`);
    const prefixes = Object.entries(p.prefixes);
    if (!prefixes.length) out.push("    (no requests)");
    for (const [prefix, c] of prefixes) out.push(`    ${prefix.padEnd(24)} ${fmt(c)}`);
  }
  out.push("");
  const br = r.anomalies.byReason;
  out.push(`Anomalies: ${r.anomalies.total} (not a broker session: ${br["not-broker-session"]}, not in the plan: ${br["not-planned"]}, denied writes: ${br["denied-write"]}, broker mismatch: ${br["broker-mismatch"]})`);
  for (const a of r.anomalies.items) {
    const who = `${a.label ?? a.principal}${a.sessionName ? ` session ${a.sessionName}` : ""}${a.sourceIdentity ? ` (source identity ${a.sourceIdentity})` : ""}`;
    out.push(`  ${a.time}  [${a.reasons.join(", ")}]  ${a.denied ? "DENIED " : ""}${a.op} ${a.key || a.prefix}  by ${who}  request ${a.requestId} (${a.source})${a.detail ? `: ${a.detail}` : ""}`);
  }
  if (r.anomalies.items.length < r.anomalies.total) out.push(`  ... ${r.anomalies.total - r.anomalies.items.length} more (--json lists the same sample; counts are exact)`);
  out.push("");
  out.push(`Elevated sessions: ${r.sessions.length}`);
  for (const s of r.sessions) {
    out.push(
      `  ${s.sessionName}  request ${s.jitRequestId ?? "(none: not a broker session)"}  source identity ${s.sourceIdentity ?? "(none)"}  assumed ${s.assumedAt ?? "?"}${s.assumeRequestId ? ` (${s.assumeRequestId})` : ""}  writes ${s.writes}, deletes ${s.deletes}, denied ${s.denied}  broker check: ${s.broker}${s.brokerDetail ? ` (${s.brokerDetail})` : ""}`,
    );
    if (s.requestIds.length) out.push(`    S3 requests: ${s.requestIds.join(" ")}`);
  }
  out.push("");
  out.push(`Unused grants (candidates to remove; a finding, not an anomaly): ${r.unusedGrants.length}`);
  for (const u of r.unusedGrants) out.push(`  ${u.label}: ${u.op} ${u.prefix}`);
  return out.join("\n") + "\n";
}
