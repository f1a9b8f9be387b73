// The attacker-path question set of the offline plan: read the model from the plan, walk the
// graph, judge each path. Breaches make the plan exit 1.
import type { OrgInput } from "../orgLayers";
import type { AttackPath, Plan } from "../types";
import { findPaths, type PathsResult } from "./graph";
import { pathModelFromPlan, type CallerPolicy, type PathsConfig } from "./principals";

export type { PathsConfig } from "./principals";

export interface AttackPathsResult {
  paths: AttackPath[];
  breaches: string[];
  warnings: string[];
  stats: PathsResult["stats"];
  edges: PathsResult["edges"];
}

/** One line naming a path: goal, start and each hop. */
export function describePath(p: AttackPath): string {
  return `${p.goal} from ${p.fromLabel ?? p.from}: ${p.hops.map((h) => `${h.action} on ${h.resource} [${h.decidedBy}]`).join(" -> ")}`;
}

let lastStats: PathsResult["stats"] | undefined;

/** Figures of the last computation (the bench prints them). */
export function lastPathStats(): PathsResult["stats"] | undefined {
  return lastStats;
}

/** `callerPolicy`: what the people hold to use the broker (default: jit/caller-policy.ts, as documented). */
export async function computeAttackPaths(plan: Plan, cfg: PathsConfig, scps: OrgInput, opts: { callerPolicy?: CallerPolicy } = {}): Promise<AttackPathsResult> {
  const warnings: string[] = [];
  const model = pathModelFromPlan(plan, cfg, scps, (w) => warnings.push(w), opts.callerPolicy);
  const r = await findPaths(model);
  lastStats = r.stats;
  return { paths: r.paths, breaches: r.paths.filter((p) => p.verdict === "breach").map(describePath), warnings, stats: r.stats, edges: r.edges };
}
