// The offline plan: run the program, then judge what it would deploy.
import { loadStackConfig, type StackConfig } from "../config";
import { checkJitIdentity } from "../config/jit";
import { cdnWarnings } from "../config/cdn";
import { computeAccessMatrix } from "./access";
import { applyScpStack } from "./scpApply";
import { computeAttackPaths } from "./paths";
import { evaluatePolicyPack, loadPackConfig } from "./policy";
import { runProgram, type RunOptions } from "./run";
import { PROJECT, ROOT, readStackConfig } from "./stackFiles";
import type { Plan } from "./types";

export interface PlanResult {
  plan: Plan;
  config: StackConfig;
  /** Reasons the plan must exit non-zero (mandatory violations, access-matrix breaches). */
  failures: string[];
}

export async function buildPlan(stack: string, opts: RunOptions = {}): Promise<PlanResult> {
  const rawConfig = opts.config ?? readStackConfig(stack, opts.root ?? ROOT);
  const run = await runProgram(stack, { ...opts, config: rawConfig });
  // The program validated this same config already; this copy feeds the judges below.
  const config = loadStackConfig(stack, rawConfig);
  const resources = [...run.resources].sort((a, b) => a.urn.localeCompare(b.urn));
  // Broker entries a caller could match under a name it picks: refused in prod, noted here in dev.
  const jitWarnings = checkJitIdentity(config.jit, config.environment).warnings.map((w) => `model-vault:${w}`).concat(cdnWarnings(config.cdn));
  const plan: Plan = { project: PROJECT, stack, resources, outputs: run.outputs, warnings: jitWarnings };
  const failures: string[] = [];
  // The policy pack (policypack/policies.ts), with the stack's pack config, exactly as `pulumi preview --policy-pack` runs it.
  const violations = evaluatePolicyPack(resources, stack, loadPackConfig(stack));
  plan.policy = { violations };
  failures.push(...violations.filter((v) => v.level === "mandatory").map((v) => `policy ${v.policy}: ${v.message} (${v.urn})`));
  // Workload stacks with `scpStack`: the org stack's SCPs join the access matrix (plan/orgScps.ts).
  const scps = await applyScpStack({ plan, config, failures }, { root: opts.root });
  // The access matrix (plan/access.ts): who can do what on the model bucket, by IAM evaluation.
  if (!config.organization) {
    const access = await computeAccessMatrix(plan, config, { scps });
    plan.access = [...access.cells, ...(plan.access ?? [])];
    plan.warnings = [...(plan.warnings ?? []), ...access.warnings];
    failures.push(...access.breaches.map((b) => `access matrix: ${b}`));
    // Who can reach what (plan/paths/): every principal's shortest path to each goal, judged.
    const paths = await computeAttackPaths(plan, config, scps);
    plan.paths = paths.paths;
    plan.warnings = [...(plan.warnings ?? []), ...paths.warnings];
    failures.push(...paths.breaches.map((b) => `attacker path: ${b}`));
  }
  return { plan, config, failures };
}
