// The SCPs an org stack's plan registers: each document with its minified size and its targets.
import { scpSize } from "../iam/scp";
import type { PolicyDocument } from "../iam/types";
import { str } from "./planDocuments";
import type { Plan } from "./types";

export const SCP_POLICY_TYPE = "aws:organizations/policy:Policy";
export const SCP_ATTACHMENT_TYPE = "aws:organizations/policyAttachment:PolicyAttachment";

export interface PlannedScp {
  urn: string;
  name: string;
  /** Policy id as the fake cloud computed it (attachments refer to it). */
  id: string;
  document: PolicyDocument;
  size: number;
  targets: string[];
}

/** SCPs (type SERVICE_CONTROL_POLICY) in a plan, each with its minified size and the targets it is attached to. */
export function scpsFromPlan(plan: Plan): PlannedScp[] {
  const policies = plan.resources.filter(
    (r) => r.type === SCP_POLICY_TYPE && (r.inputs.type === undefined || r.inputs.type === "SERVICE_CONTROL_POLICY"),
  );
  const attachments = plan.resources.filter((r) => r.type === SCP_ATTACHMENT_TYPE);
  return policies.map((p) => {
    const content = str(p.inputs.content) ?? "{}";
    const document = JSON.parse(content) as PolicyDocument;
    const id = str(p.outputs.id) ?? p.name;
    const targets = attachments
      .filter((a) => a.inputs.policyId === id || a.inputs.policyId === str(p.outputs.arn))
      .map((a) => str(a.inputs.targetId) ?? "?");
    return { urn: p.urn, name: str(p.inputs.name) ?? p.name, id, document, size: scpSize(document), targets };
  });
}

