// The SCPs an org stack's plan registers: each document with its minified size and its targets.
import { scpSize } from "../iam/scp";
import type { PolicyDocument } from "../iam/types";
import { orgPoliciesFromPlan } from "./orgLayers";
import type { Plan } from "./types";

export { ORG_POLICY_TYPE as SCP_POLICY_TYPE, ORG_ATTACHMENT_TYPE as SCP_ATTACHMENT_TYPE } from "./orgLayers";

export interface PlannedScp {
  urn: string;
  name: string;
  /** Policy id as the fake cloud computed it (attachments refer to it). */
  id: string;
  document: PolicyDocument;
  size: number;
  targets: string[];
}

/** SCPs (type SERVICE_CONTROL_POLICY) in a plan, each with its minified size and the targets it is attached to (the org reader, plan/orgLayers.ts). */
export function scpsFromPlan(plan: Plan): PlannedScp[] {
  return orgPoliciesFromPlan(plan)
    .filter((p) => p.kind === "scp")
    .map((p) => ({ urn: p.urn!, name: p.name!, id: p.id!, document: p.document, size: scpSize(p.document), targets: p.targets }));
}
