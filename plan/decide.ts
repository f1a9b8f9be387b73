// The one evaluator of the offline plan: the design matrix (plan/access.ts), the SCP rows
// (plan/scpRows.ts) and the attacker paths (plan/paths/engine.ts) each describe a request and get
// back the decision and one naming of what decided it. It lives apart from plan/iamEval.ts because
// that file's content salts the answer cache: naming changes here keep cached answers valid.
// Dev tooling only (iam-simulate is AGPL-3.0).
import { anonymousPrincipal, type Simulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../iam/types";
import { evaluateSimulation, policyName, statementLabel } from "./iamEval";
import { layersForAction } from "./layersForAction";
import { rcpGoverns, type OrgLayer } from "./orgLayers";
import type { NamedPolicy } from "./planDocuments";
import type { AccessDecision } from "./types";

export type { OrgLayer };

/** One question to the IAM engine: who asks what, and every document that can decide. */
export interface EvalRequest {
  /** A principal ARN, a service principal, or "anonymous". */
  principal: string;
  action: string;
  resource: string;
  /** The account that owns the resource. */
  resourceAccount: string;
  /** Every context key AWS would send (the engine derives none). */
  context: Record<string, string | string[]>;
  identityPolicies: NamedPolicy[];
  boundary?: NamedPolicy | null;
  resourcePolicy?: PolicyDocument | null;
  /** How answers name the resource policy ("bucket-policy", "key-policy", "trust:<role>"). */
  resourceName?: string;
  scps?: OrgLayer[];
  /** The RCP layers over the resource's account; asked only for the services RCPs govern (plan/orgLayers.ts). */
  rcps?: OrgLayer[];
  /** aws:PrincipalOrgID the principal's requests carry (plan/orgLayers.ts orgKeysOf), sent when RCPs are asked. */
  principalOrgId?: string;
  /** aws:SourceOrgID of a service acting for a resource of the organization, sent when RCPs are asked. */
  sourceOrgId?: string;
  /** S3 Block Public Access (RestrictPublicBuckets) for S3 requests; undefined sends no S3 settings. */
  blockPublicAccess?: boolean;
}

export interface Decided {
  decision: AccessDecision;
  /** The statements that decided: "<policy>/<Sid>" (policy as plan/iamEval.ts policyName names it). */
  by: string;
}

// The outer layer first: an SCP deny holds whatever the resource policy says, and a resource policy's
// deny whatever the identity policies say.
const DENY_ORDER = ["scp", "rcp", "resource", "pb", "identity"];
const rank = (t: string) => (DENY_ORDER.includes(t) ? DENY_ORDER.indexOf(t) : DENY_ORDER.length);

/**
 * The keys RCPs are written against, which AWS sends with every request: aws:PrincipalIsAWSService
 * (data-perimeter RCPs exempt services by it), aws:PrincipalOrgID and aws:SourceOrgID. Added only when RCPs are asked,
 * so the answers cached for requests without them stay valid.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice
 */
function rcpContext(r: EvalRequest): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = { ...r.context };
  if (r.principal === "anonymous") return ctx;
  ctx["aws:PrincipalIsAWSService"] ??= r.principal.endsWith(".amazonaws.com") ? "true" : "false";
  if (r.principalOrgId) ctx["aws:PrincipalOrgID"] ??= r.principalOrgId;
  if (r.sourceOrgId) ctx["aws:SourceOrgID"] ??= r.sourceOrgId;
  return ctx;
}

/** Evaluates one request (with the answer cache); `who` prefixes an engine error ("access matrix"). */
export async function decide(r: EvalRequest, who: string): Promise<Decided> {
  const anonymous = r.principal === "anonymous";
  const rcps = r.rcps && r.rcps.length > 0 && rcpGoverns(r.action) ? r.rcps : [];
  const sim: Simulation = {
    request: { principal: anonymous ? anonymousPrincipal : r.principal, action: r.action, resource: { resource: r.resource, accountId: r.resourceAccount }, contextVariables: rcps.length ? rcpContext(r) : r.context },
    identityPolicies: anonymous ? [] : r.identityPolicies,
    permissionBoundaryPolicies: !anonymous && r.boundary ? [r.boundary] : undefined,
    serviceControlPolicies: anonymous ? [] : layersForAction(r.scps ?? [], r.action),
    resourceControlPolicies: layersForAction(rcps, r.action),
    resourcePolicy: r.resourcePolicy ?? undefined,
    additionalSettings: r.blockPublicAccess !== undefined && r.action.startsWith("s3:") ? { s3: { blockPublicAccess: r.blockPublicAccess } } : undefined,
  };
  const e = await evaluateSimulation(sim).catch((err: Error) => {
    throw new Error(`${who}: ${err.message}`);
  });
  const name = r.resourceName ?? "resource-policy";
  const { decision } = e;
  if (!e.explained) return { decision, by: "no matching statement" };
  if (decision === "Allowed") {
    // SCPs and RCPs only let an Allow through (FullAWSAccess): the grant is the identity's or the resource's.
    const by = e.grants.filter((g) => g.policyType !== "scp" && g.policyType !== "rcp").map((g) => `${policyName(g.policyType, "policyIdentifier" in g ? g.policyIdentifier : undefined, name)}/${statementLabel(g)}`);
    return { decision, by: by.join(" + ") || "allowed" };
  }
  const explicit = e.denials.filter((d) => d.denialType === "Explicit");
  if (explicit.length > 0) {
    explicit.sort((a, b) => rank(a.policyType) - rank(b.policyType));
    return { decision, by: explicit.map((d) => `${policyName(d.policyType, d.policyIdentifier, name)}/${statementLabel(d)}`).join(", ") };
  }
  const where = [...new Set(e.denials.map((d) => policyName(d.policyType, "identifier" in d ? d.identifier : undefined, name)))];
  return { decision, by: `no Allow (${where.join(", ") || "any policy"})` };
}
