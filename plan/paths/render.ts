// The "Who can reach what" section of the text plan: breaches first, each hop with the statement
// that allowed it; then accepted limits on one line each with their reason; then the designed
// reachers per goal. (--json carries every hop of every path.)
import type { AttackPath, Plan } from "../types";

const from = (p: AttackPath) => p.fromLabel ?? p.from;
const chain = (p: AttackPath) => p.hops.map((h) => h.action).join(" > ");

export function renderPathsSection(plan: Plan, stats?: { edgesEvaluated: number }): string[] {
  if (!plan.paths) return [];
  const of = (v: AttackPath["verdict"]) => plan.paths!.filter((p) => p.verdict === v);
  const breaches = of("breach");
  const limits = of("accepted-limit");
  const designed = of("designed");
  const out = [
    `Who can reach what (attacker paths: assume, pass a role to compute, invoke the broker, rewrite a role; iam-simulate${stats ? `, ${stats.edgesEvaluated} edges evaluated` : ""})`,
    `  ${breaches.length} breach(es), ${limits.length} accepted limit(s), ${designed.length} designed path(s)`,
  ];
  for (const p of breaches) {
    out.push(`  BREACH ${p.goal} from ${from(p)}`);
    p.hops.forEach((h, i) => out.push(`      ${i + 1}. ${h.action} on ${h.resource}  <- ${h.decidedBy}`));
  }
  const reasons = [...new Set(limits.map((p) => p.reason ?? ""))];
  for (const p of limits) out.push(`  limit  ${p.goal} from ${from(p)}: ${chain(p)} [${reasons.indexOf(p.reason ?? "") + 1}]`);
  reasons.forEach((r, i) => out.push(`    [${i + 1}] ${r}`));
  const goals = [...new Set(designed.map((p) => p.goal))];
  for (const g of goals) out.push(`  designed ${g}: ${designed.filter((p) => p.goal === g).map(from).join("; ")}`);
  return out;
}
