// The "Who can reach what" section of the text plan: breaches first, then accepted limits, then a
// count of the designed paths.
import type { AttackPath, Plan } from "../types";

const MARK = { breach: "BREACH", "accepted-limit": "limit", designed: "ok" } as const;

function lines(p: AttackPath): string[] {
  const head = `  ${MARK[p.verdict].padEnd(6)} ${p.goal.padEnd(20)} from ${p.fromLabel ?? p.from}`;
  const hops = p.hops.map((h, i) => `      ${i + 1}. ${h.action} on ${h.resource}  <- ${h.decidedBy}`);
  return [head, ...hops, ...(p.reason && p.verdict !== "designed" ? [`      (${p.reason})`] : [])];
}

export function renderPathsSection(plan: Plan, stats?: { edgesEvaluated: number }): string[] {
  const paths = plan.paths ?? [];
  if (!plan.paths) return [];
  const of = (v: AttackPath["verdict"]) => paths.filter((p) => p.verdict === v);
  const breaches = of("breach");
  const limits = of("accepted-limit");
  const designed = of("designed");
  const out = [
    `Who can reach what (attacker paths: assume, pass a role to compute, invoke the broker, rewrite a role, each decided by iam-simulate${stats ? `; ${stats.edgesEvaluated} edges evaluated` : ""})`,
    `  ${breaches.length} breach(es), ${limits.length} accepted limit(s), ${designed.length} designed path(s)`,
  ];
  for (const p of [...breaches, ...limits]) out.push(...lines(p));
  if (designed.length) out.push("  designed:", ...designed.map((p) => `    ${p.goal.padEnd(20)} from ${p.fromLabel ?? p.from} (${p.hops.length} hop${p.hops.length === 1 ? "" : "s"})`));
  return out;
}
