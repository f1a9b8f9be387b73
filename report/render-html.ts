// The report as one self-contained HTML page (no script, no external asset): reads per prefix over time as an
// inline SVG chart, and a principal x prefix grid of actual use beside the planned access.
import type { AccessReport, Op } from "./types";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);
// Each at least 3:1 against the white page (WCAG 2.1 SC 1.4.11, non-text contrast); tests/report-browser.spec.ts.
export const PALETTE = ["#1b6ca8", "#d1495b", "#66a182", "#b7791f", "#8d6a9f", "#00798c", "#30638e", "#a44a3f"];

function chart(r: AccessReport): string {
  const series = Object.entries(r.readsOverTime);
  const seen = [...new Set(series.flatMap(([, s]) => Object.keys(s)))].sort();
  if (!seen.length) return `<p>No reads in the period.</p>`;
  // Every hour from the first read to the last, quiet hours at zero.
  const hours: string[] = [];
  for (let t = Date.parse(`${seen[0]}:00:00Z`); t <= Date.parse(`${seen[seen.length - 1]}:00:00Z`); t += 3_600_000) hours.push(new Date(t).toISOString().slice(0, 13));
  const W = 720, H = 220, L = 40, B = 30;
  const max = Math.max(1, ...series.flatMap(([, s]) => Object.values(s)));
  const x = (i: number) => L + (hours.length === 1 ? (W - L) / 2 : (i * (W - L - 10)) / (hours.length - 1));
  const y = (v: number) => H - B - (v * (H - B - 10)) / max;
  const lines = series.map(([prefix, s], k) => {
    const pts = hours.map((h, i) => `${x(i).toFixed(1)},${y(s[h] ?? 0).toFixed(1)}`).join(" ");
    return `<polyline class="series" data-prefix="${esc(prefix)}" fill="none" stroke="${PALETTE[k % PALETTE.length]}" stroke-width="2" points="${pts}"/>`;
  });
  const legend = series.map(([prefix], k) => `<span class="key"><i style="background:${PALETTE[k % PALETTE.length]}"></i>${esc(prefix)}</span>`).join(" ");
  const ticks = [hours[0], hours[hours.length - 1]].map((h, i) => `<text x="${i ? W - 10 : L}" y="${H - 8}" text-anchor="${i ? "end" : "start"}">${esc(h)}:00Z</text>`).join("");
  return `<svg role="img" aria-label="Reads per prefix per hour" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}">
<line x1="${L}" y1="${H - B}" x2="${W}" y2="${H - B}" stroke="#999"/><line x1="${L}" y1="0" x2="${L}" y2="${H - B}" stroke="#999"/>
<text x="${L - 4}" y="14" text-anchor="end">${max}</text><text x="${L - 4}" y="${H - B}" text-anchor="end">0</text>${ticks}
${lines.join("\n")}</svg><p>${legend}</p>`;
}

function grid(r: AccessReport): string {
  const prefixes = [...new Set([...r.grants.flatMap((g) => g.prefixes), ...r.principals.flatMap((p) => Object.keys(p.prefixes))])].sort();
  const planned = (principal: string, prefix: string): Op[] => {
    const ops = new Set<Op>();
    for (const g of r.grants) if (g.principal === principal && g.prefixes.some((p) => prefix.startsWith(p))) g.ops.forEach((o) => ops.add(o));
    return [...ops];
  };
  const head = `<tr><th>principal</th>${prefixes.map((p) => `<th>${esc(p)}</th>`).join("")}</tr>`;
  const rows = r.principals.map((p) => {
    const cells = prefixes.map((prefix) => {
      const c = p.prefixes[prefix];
      const plan = planned(p.principal, prefix);
      const used = c ? c.read + c.write + c.delete : 0;
      const cls = c && (c.denied || !p.planned || (["read", "write", "delete"] as Op[]).some((o) => c[o] > 0 && !plan.includes(o))) ? "off-plan" : used ? "used" : plan.length ? "unused" : "none";
      const actual = c ? `R ${c.read} W ${c.write} D ${c.delete}${c.denied ? ` denied ${c.denied}` : ""}` : "";
      return `<td class="${cls}"><div class="actual">${actual}</div><div class="planned">${plan.length ? `planned: ${plan.join(", ")}` : ""}</div></td>`;
    });
    return `<tr><th title="${esc(p.principal)}">${esc(p.planned ? p.label : `${p.principal} (not in the plan)`)}</th>${cells.join("")}</tr>`;
  });
  return `<table class="grid">${head}${rows.join("")}</table>
<p class="legend"><span class="used">used as planned</span> <span class="unused">planned, unused</span> <span class="off-plan">outside the plan or denied</span></p>`;
}

export function renderHtml(r: AccessReport): string {
  const anomalies = r.anomalies.items
    .map((a) => `<tr><td>${esc(a.time)}</td><td>${esc(a.reasons.join(", "))}</td><td>${esc(a.label ?? a.principal)}${a.sessionName ? ` / ${esc(a.sessionName)}` : ""}</td><td>${a.denied ? "denied " : ""}${esc(a.op)}</td><td>${esc(a.key || a.prefix)}</td><td>${esc(a.requestId)}</td></tr>`)
    .join("");
  const sessions = r.sessions
    .map((s) => `<tr><td>${esc(s.sessionName)}</td><td>${esc(s.jitRequestId ?? "-")}</td><td>${esc(s.sourceIdentity ?? "-")}</td><td>${s.writes}/${s.deletes}/${s.denied}</td><td>${esc(s.broker ?? "")}</td><td>${esc(s.requestIds.join(" "))}</td></tr>`)
    .join("");
  const unused = r.unusedGrants.map((u) => `<li>${esc(u.label)}: ${esc(u.op)} ${esc(u.prefix)}</li>`).join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Access report: ${esc(r.stack)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 6px;vertical-align:top;text-align:left}
.grid td{min-width:8em}.actual{white-space:nowrap}.used{background:#e3f4e1}.unused{background:#eee;color:#555}.off-plan{background:#fbdada}.planned{font-size:11px;color:#555}
.key i{display:inline-block;width:12px;height:12px;margin:0 4px 0 10px}svg text{font-size:11px;fill:#444}.legend span{padding:2px 6px;margin-right:6px}
</style></head><body>
<h1>Access report: stack ${esc(r.stack)}</h1>
<p>Bucket <code>${esc(r.bucket)}</code>, ${esc(r.range.from ?? "(start)")} .. ${esc(r.range.to ?? "(end)")}. ${r.files.read} file(s) read, ${r.files.skipped.length} skipped; ${r.records.counted} request(s) counted.</p>
<h2>Reads per prefix over time</h2>
${chart(r)}
<h2>Actual use beside planned access</h2>
${grid(r)}
<h2 id="anomalies">Anomalies (${r.anomalies.total})</h2>
<table><tr><th>time</th><th>why</th><th>who</th><th>what</th><th>key</th><th>request</th></tr>${anomalies}</table>
<h2>Elevated sessions (${r.sessions.length})</h2>
<table><tr><th>session</th><th>broker request</th><th>source identity</th><th>writes/deletes/denied</th><th>broker check</th><th>S3 requests</th></tr>${sessions}</table>
<h2>Unused grants (${r.unusedGrants.length})</h2>
<ul>${unused}</ul>
</body></html>
`;
}
