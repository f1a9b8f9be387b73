// The "Who can reach what" section of the text plan: breaches first, each hop with the statement
// that allowed it; then the accepted limits, one line per principal with the goals it reaches and
// the reason; the designed reachers on request (--explain, which also gives every hop). --json
// carries every hop of every path; the HTML page draws them (plan/html/).
import { tone } from "../layout";
import type { AttackPath, Plan } from "../types";

export const fromOf = (p: AttackPath) => p.fromLabel ?? p.from;
const chain = (p: AttackPath) => p.hops.map((h) => h.action).join(" > ");

export interface PathCounts {
  breaches: number;
  limits: number;
  designed: number;
}

export function countPaths(plan: Plan): PathCounts {
  const n = (v: AttackPath["verdict"]) => (plan.paths ?? []).filter((p) => p.verdict === v).length;
  return { breaches: n("breach"), limits: n("accepted-limit"), designed: n("designed") };
}

function hopLines(p: AttackPath): string[] {
  return p.hops.map((h, i) => `      ${i + 1}. ${h.action} on ${h.resource}  <- ${h.decidedBy}`);
}

export function renderPathsSection(plan: Plan, stats?: { edgesEvaluated: number }, o: { explain?: boolean } = {}): string[] {
  if (!plan.paths) return [];
  const of = (v: AttackPath["verdict"]) => plan.paths!.filter((p) => p.verdict === v);
  const breaches = of("breach");
  const limits = of("accepted-limit");
  const designed = of("designed");
  const out = [
    `Who can reach what: ${breaches.length ? tone("bad", String(breaches.length)) : "0"} breach(es), ${limits.length} accepted limit(s), ${designed.length} designed path(s)`,
    `  (attacker paths: assume, pass a role to compute, replace a function's code, invoke the broker, rewrite a role; iam-simulate${stats ? `, ${stats.edgesEvaluated} edges evaluated` : ""})`,
  ];
  for (const p of breaches) out.push(`  ${tone("bad", "BREACH")} ${p.goal} from ${fromOf(p)}`, ...hopLines(p));
  const reasons = [...new Set(limits.map((p) => p.reason ?? ""))];
  const ref = (p: AttackPath) => `[${reasons.indexOf(p.reason ?? "") + 1}]`;
  if (o.explain) {
    for (const p of limits) out.push(`  limit  ${p.goal} from ${fromOf(p)}: ${chain(p)} ${ref(p)}`, ...hopLines(p));
  } else {
    const froms = [...new Set(limits.map(fromOf))];
    for (const f of froms) {
      const mine = limits.filter((p) => fromOf(p) === f);
      out.push(`  limit  ${f}: ${mine.map((p) => p.goal).join(", ")} ${[...new Set(mine.map(ref))].join("")}`);
    }
  }
  reasons.forEach((r, i) => out.push(`    [${i + 1}] ${r}`));
  if (o.explain) {
    const goals = [...new Set(designed.map((p) => p.goal))];
    for (const g of goals) out.push(`  designed ${g}: ${designed.filter((p) => p.goal === g).map(fromOf).join("; ")}`);
  }
  return out;
}
