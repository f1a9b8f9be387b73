// The plan hook of a workload stack with `scpStack`: runs the org stack offline and appends its SCP
// rows, failures and warnings to the workload plan.
import { arnLike } from "../iam/arnLike";
import type { OrgConfig } from "../config/org";
import { roleArnPattern } from "../iam/scp";
import type { Plan } from "./types";
import { scpsFromPlan, type PlannedScp } from "./scpListing";
import { asOrgLayers, orgLayers, orgPoliciesFromPlan, type OrgInput, type OrgLayers, type OrgPolicy } from "./orgLayers";
import { isBreach, scpMatrixCells } from "./scpRows";
import { workloadScpInputs } from "./scpInputs";
import { coveredPersonRole, uncoveredPeople } from "./scpPeople";
import { SCP_LABEL_PREFIX } from "./scpRender";
import type { NetworkPerimeter } from "../iam/network";
import { stackInsideContext } from "./networkQuestions";
import { publicAccessBlockWarnings } from "./orgPerimeter";

/**
 * The organization policies (SCPs and RCPs, with their targets) and organization config of an org
 * stack, by running its program offline.
 */
export async function loadOrgStack(stack: string, root?: string): Promise<{ scps: PlannedScp[]; policies: OrgPolicy[]; organizationId?: string; organization: OrgConfig; plan: Plan }> {
  // Required here, not imported, so that pure users of this module (tests of the matrix) do not load the Pulumi runtime.
  const { runProgram } = require("./run") as typeof import("./run");
  const { readStackConfig } = require("./stackFiles") as typeof import("./stackFiles");
  const { loadStackConfig } = require("../config") as typeof import("../config");
  const raw = readStackConfig(stack, root);
  const cfg = loadStackConfig(stack, raw);
  if (!cfg.organization) throw new Error(`scpStack: stack "${stack}" has no model-vault:organization section, so it deploys no SCPs`);
  const run = await runProgram(stack, { config: raw, root });
  const plan = { project: "model-vault", stack, resources: run.resources, outputs: run.outputs };
  const organizationId = organizationIdOf(plan, cfg.organization);
  return { scps: scpsFromPlan(plan), policies: orgPoliciesFromPlan(plan), ...(organizationId ? { organizationId } : {}), organization: cfg.organization, plan };
}

/** The organization's id (o-...), the aws:PrincipalOrgID of its accounts' principals: from the org config when it names one, or a planned aws.organizations.Organization. */
function organizationIdOf(plan: Plan, organization: OrgConfig): string | undefined {
  const configured = (organization as { organizationId?: unknown }).organizationId;
  if (typeof configured === "string" && configured) return configured;
  const org = plan.resources.find((r) => r.type === "aws:organizations/organization:Organization");
  const id = org?.outputs.id;
  return typeof id === "string" && id ? id : undefined;
}

/** Minimal view of the plan builder's result (plan/build.ts PlanResult) this hook needs. */
export interface ScpHookTarget {
  plan: Plan;
  config: {
    accountId: string;
    scpStack: string | null;
    /** The workload's partition (config/resolve.ts): an organization's SCPs bind accounts of its own partition only. */
    partition?: string;
    /** "prod" turns an unprotected people's role into a plan failure; otherwise a warning. */
    environment?: string;
    access?: { deployerRoleArn: string | null; publisher?: { trustedPrincipals: readonly unknown[] } | null; network?: NetworkPerimeter | null };
    /** The people lists (config/jit.ts); entries are read for the ARNs they hold, whatever their shape. */
    jit?: { people?: readonly unknown[]; requesters?: readonly unknown[]; approvers?: readonly unknown[]; breakGlass?: readonly unknown[] };
  };
  failures: string[];
}

/**
 * Plan hook for workload stacks with `scpStack` set: runs the org stack offline, appends the SCP rows
 * to `plan.access` (breaches to `failures`, pattern mismatches to `plan.warnings`) and returns the org
 * stack's SCP and RCP layers over this account (plan/orgLayers.ts) so the access matrix and the
 * attacker paths evaluate under them (computeAccessMatrix(plan, cfg, { scps })).
 * Returns no layers when the stack has no scpStack. Either way it warns when account-wide Block Public
 * Access is left to an organization S3 policy the org stack does not deploy (plan/orgPerimeter.ts).
 * Call after the workload plan is built.
 */
export async function applyScpStack(
  result: ScpHookTarget,
  opts: { deployerRoleArn?: string | null; root?: string } = {},
): Promise<OrgLayers> {
  const stack = result.config.scpStack;
  const warn = (ws: string[]) => (result.plan.warnings = [...(result.plan.warnings ?? []), ...ws]);
  if (!stack) {
    warn(publicAccessBlockWarnings(result.plan, null));
    return orgLayers([]);
  }
  const { policies, organizationId, organization, plan: orgPlan } = await loadOrgStack(stack, opts.root);
  warn(publicAccessBlockWarnings(result.plan, orgPlan).map((w) => `scpStack ${stack}: ${w}`));
  // Each account, and so each organization, lives in one partition
  // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html): another partition's SCPs never apply here.
  if (result.config.partition && organization.partition !== result.config.partition) {
    result.failures.push(`scpStack ${stack}: its organization is in partition ${organization.partition}, this stack in ${result.config.partition}: its SCPs cannot guard this account`);
    return orgLayers([]);
  }
  // The workload's own deployer role (access.deployerRoleArn), when set, replaces the synthetic one.
  const deployerRoleArn = opts.deployerRoleArn ?? result.config.access?.deployerRoleArn ?? null;
  const layers = orgLayers(policies, result.config.accountId, organizationId);
  if (layers.rcps.length > 0 && !organizationId)
    result.plan.warnings = [
      ...(result.plan.warnings ?? []),
      `scpStack ${stack}: the organization's id is unknown (no organizationId in its config, no planned Organization): its RCPs are evaluated with requests that carry no aws:PrincipalOrgID`,
    ];
  return applyScpDocuments(result, stack, layers, organization, { deployerRoleArn });
}

/** applyScpStack with the org stack's layers (or bare SCP documents) and organization config already in hand; returns the layers. */
export async function applyScpDocuments(
  result: ScpHookTarget,
  stack: string,
  documents: OrgInput,
  organization: OrgConfig,
  opts: { deployerRoleArn?: string | null } = {},
): Promise<OrgLayers> {
  const { input, warnings } = workloadScpInputs(result.plan, documents, organization, result.config.accountId);
  input.personRoleArn = coveredPersonRole(result.config, organization);
  const inside = stackInsideContext(result.config.access?.network); // asked from inside the stack's network perimeter (plan/networkQuestions.ts)
  if (inside) for (const p of input.principals) p.context = { ...inside, ...p.context };
  const people = uncoveredPeople(result.config, organization);
  if (result.config.environment === "prod")
    result.failures.push(...people.map((p) => `people under the SCPs of stack ${stack} (organization.humanRolePatterns / humanUserPatterns): ${p}`));
  else warnings.push(...people);
  if (opts.deployerRoleArn) {
    if (!arnLike(roleArnPattern(organization.partition, organization.deployerRolePattern), opts.deployerRoleArn))
      warnings.push(`deployer role ${opts.deployerRoleArn} does not match organization.deployerRolePattern ${organization.deployerRolePattern}: the SCPs deny it security changes`);
    const d = input.principals.find((p) => p.exempt === "deployer");
    if (d) d.arn = opts.deployerRoleArn;
  }
  const cells = (await scpMatrixCells(input)).map((c) => ({ ...c, label: `${SCP_LABEL_PREFIX}${c.label}` }));
  result.plan.access = [...(result.plan.access ?? []), ...cells];
  result.plan.warnings = [...(result.plan.warnings ?? []), ...warnings.map((w) => `scpStack ${stack}: ${w}`)];
  for (const c of cells.filter(isBreach))
    result.failures.push(`access matrix (SCPs of stack ${stack}): ${c.label} ${c.action} on ${c.resource} is ${c.decision}, expected ${c.expected} (${c.by})`);
  return asOrgLayers(input.scps);
}
