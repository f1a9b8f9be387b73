// The org stack's perimeter in a plan: the RCPs (iam/rcp.ts) and the organization-level S3 policy
// (iam/orgS3Policy.ts) it registers, and the check that a workload relying on that S3 policy
// (model-vault:publicAccessBlock: organization) is really under one. Lines and data only: where they
// appear in the text plan is the renderer's choice (plan/render.ts).
import { RCP_MAX_CHARS, RCP_MAX_PER_TARGET } from "../iam/limits";
import { PUBLIC_ACCESS_BLOCK_INPUT, S3_POLICY_TYPE, blocksAllPublicAccess } from "../iam/orgS3Policy";
import { lockoutRecoveryLines } from "../iam/scpRecovery";
import { scpSize } from "../iam/scpPack";
import type { PolicyDocument } from "../iam/types";
import { str } from "./planDocuments";
import { SCP_ATTACHMENT_TYPE, SCP_POLICY_TYPE, scpsFromPlan } from "./scpListing";
import { parseArn } from "../iam/arn";
import type { Plan } from "./types";

export interface PlannedOrgPolicy {
  urn: string;
  name: string;
  id: string;
  type: string;
  content: string;
  /** Minified characters (what the 5,120 limit counts for RCPs; iam/scpPack.ts scpSize). */
  size: number;
  targets: string[];
}

function orgPolicies(plan: Plan, type: string): PlannedOrgPolicy[] {
  const attachments = plan.resources.filter((r) => r.type === SCP_ATTACHMENT_TYPE);
  return plan.resources
    .filter((r) => r.type === SCP_POLICY_TYPE && r.inputs.type === type)
    .map((p) => {
      const content = str(p.inputs.content) ?? "{}";
      const id = str(p.outputs.id) ?? p.name;
      const targets = attachments.filter((a) => a.inputs.policyId === id || a.inputs.policyId === str(p.outputs.arn)).map((a) => str(a.inputs.targetId) ?? "?");
      return { urn: p.urn, name: str(p.inputs.name) ?? p.name, id, type, content, size: scpSize(content), targets };
    });
}

/** RCPs (type RESOURCE_CONTROL_POLICY) in a plan, with sizes and targets. */
export function rcpsFromPlan(plan: Plan): (PlannedOrgPolicy & { document: PolicyDocument })[] {
  return orgPolicies(plan, "RESOURCE_CONTROL_POLICY").map((p) => ({ ...p, document: JSON.parse(p.content) as PolicyDocument }));
}

/** Organization-level S3 policies (type S3_POLICY) in a plan. */
export function s3PoliciesFromPlan(plan: Plan): PlannedOrgPolicy[] {
  return orgPolicies(plan, S3_POLICY_TYPE);
}

/** Text section: the RCPs and the S3 policy an org stack deploys; [] when it deploys neither. Each RCP statement in full with `statements`. */
export function renderPerimeterSection(plan: Plan, o: { statements?: boolean } = {}): string[] {
  const rcps = rcpsFromPlan(plan);
  const s3 = s3PoliciesFromPlan(plan);
  const lines: string[] = [];
  if (rcps.length > 0) {
    lines.push(`Resource control policies (${rcps.length}; limit ${RCP_MAX_CHARS} characters each, minified)`);
    for (const r of rcps) {
      lines.push(`  ${r.name}  ${r.size}/${RCP_MAX_CHARS} characters (${Math.round((100 * r.size) / RCP_MAX_CHARS)}%)  attached to: ${r.targets.join(", ") || "(nothing)"}`);
      if (!o.statements) {
        lines.push(`    ${r.document.Statement.length} statement(s): ${r.document.Statement.map((st) => st.Sid ?? "(no Sid)").join(", ")}`);
        continue;
      }
      for (const st of r.document.Statement) {
        const actions = Array.isArray(st.Action) ? st.Action : st.Action ? [st.Action] : [];
        lines.push(`    ${st.Effect} ${st.Sid ?? "(no Sid)"}: ${actions.join(", ")} on ${JSON.stringify(st.Resource)}${st.Condition ? ` if ${JSON.stringify(st.Condition)}` : ""}`);
      }
    }
    const perTarget = new Map<string, number>();
    for (const r of rcps) for (const t of r.targets) perTarget.set(t, (perTarget.get(t) ?? 0) + 1);
    for (const [t, n] of perTarget) lines.push(`  target ${t}: ${n} perimeter RCP(s) + RCPFullAWSAccess = ${n + 1} of ${RCP_MAX_PER_TARGET}`);
  }
  for (const p of s3) {
    lines.push(`Organization S3 policy ${p.name} (${S3_POLICY_TYPE}): ${p.content}  attached to: ${p.targets.join(", ") || "(nothing)"}`);
  }
  return lines;
}

/**
 * The workload side: warnings about account-wide Block Public Access. `org` is the org stack's plan
 * when the workload names one (scpStack), else null.
 */
export function publicAccessBlockWarnings(workload: Plan, org: Plan | null): string[] {
  const relies = workload.resources.some((r) => r.type === "model-vault:account:AccountGuardrails" && r.inputs[PUBLIC_ACCESS_BLOCK_INPUT] === "organization");
  const manages = workload.resources.some((r) => r.type === "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock");
  const orgBlocks = org ? s3PoliciesFromPlan(org).filter((p) => blocksAllPublicAccess(p.content) && p.targets.length > 0) : [];
  if (relies && !org) {
    return [
      "publicAccessBlock: organization: this stack registers no account-level Block Public Access and relies on the organization's S3 policy, " +
        "which this plan cannot see (set model-vault:scpStack to the org stack, and check the account sits under its targets)",
    ];
  }
  if (relies && orgBlocks.length === 0) {
    return [`publicAccessBlock: organization, but the org stack registers no attached S3 policy turning all Block Public Access settings on (organization.s3BlockPublicAccessPolicy): account-wide Block Public Access is off`];
  }
  if (manages && orgBlocks.length > 0) {
    return [
      `the org stack's S3 policy (${orgBlocks.map((p) => p.name).join(", ")}) sets Block Public Access for its targets; under it this stack's PutPublicAccessBlock can fail with 403: set model-vault:publicAccessBlock: organization`,
    ];
  }
  return [];
}

/** The lockout-recovery note of an org plan that deploys the guardrail SCPs (iam/scpRecovery.ts); [] for any other plan. */
export function recoveryLinesOf(plan: Plan): string[] {
  const scps = scpsFromPlan(plan);
  if (scps.length === 0) return [];
  const arn = str(plan.resources.find((r) => r.type === SCP_POLICY_TYPE)?.outputs.arn) ?? "";
  return lockoutRecoveryLines({
    // Split guardrails are named policyName-1, -2, ... (iam/scpPack.ts).
    policyName: scps[0].name.replace(/-\d+$/, ""),
    targets: [...new Set(scps.flatMap((s) => s.targets))],
    partition: parseArn(arn)?.partition ?? "aws",
  });
}
