// The organization's policies as the IAM engine takes them: SCP and RCP layers built from the
// planned aws.organizations.Policy resources (by `type`) and their PolicyAttachments (root, OU or
// account targets). The one model of the org levels for every question set: the design matrix, the
// SCP rows and the attacker paths. Plain data, no engine.
import { parseArn } from "../iam/arn";
import type { PolicyDocument } from "../iam/types";
import type { NamedPolicy } from "./planDocuments";
import type { Plan } from "./types";

export const ORG_POLICY_TYPE = "aws:organizations/policy:Policy";
export const ORG_ATTACHMENT_TYPE = "aws:organizations/policyAttachment:PolicyAttachment";

export type OrgPolicyKind = "scp" | "rcp";

/** aws.organizations.Policy `type` values the plan evaluates (an omitted type is an SCP: the provider's default). */
const KIND_OF_TYPE: Record<string, OrgPolicyKind> = { SERVICE_CONTROL_POLICY: "scp", RESOURCE_CONTROL_POLICY: "rcp" };

/** One planned organization policy: its document and the targets (r-..., ou-..., account ids) it is attached to. */
export interface OrgPolicy {
  kind: OrgPolicyKind;
  document: PolicyDocument;
  targets: string[];
  urn?: string;
  name?: string;
  /** Policy id as the fake cloud computed it (attachments refer to it). */
  id?: string;
}

/** SCPs or RCPs at one level of the organization (root, an OU, the account). */
export interface OrgLayer {
  orgIdentifier: string;
  policies: NamedPolicy[];
}

/** What binds a workload account: SCP and RCP layers, root first; the organization's id when known. */
export interface OrgLayers {
  scps: OrgLayer[];
  rcps: OrgLayer[];
  /** aws:PrincipalOrgID of the workload account's principals (RCPs usually test it). */
  organizationId?: string;
}

/** SCP documents alone (attached to the workload account's OU, as tests and older callers give them), or the layers. */
export type OrgInput = readonly PolicyDocument[] | OrgLayers;

export const NO_ORG: OrgLayers = { scps: [], rcps: [] };

/** The SCP AWS attaches to every root, OU and account by default. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "FullAWSAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};

/**
 * The services whose resources RCPs govern; a request to any other service is not checked against
 * them. https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
 * (the list AWS published with RCPs; extend it as that page grows).
 */
export const RCP_SERVICES: readonly string[] = ["s3", "sts", "kms", "sqs", "secretsmanager"];

/** Whether RCPs govern this action's service. */
export function rcpGoverns(action: string): boolean {
  return RCP_SERVICES.includes(action.split(":")[0].toLowerCase());
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);

/** The organization policies a plan registers (SCPs and RCPs, in plan order), each with its targets. */
export function orgPoliciesFromPlan(plan: Pick<Plan, "resources">): OrgPolicy[] {
  const attachments = plan.resources.filter((r) => r.type === ORG_ATTACHMENT_TYPE);
  const out: OrgPolicy[] = [];
  for (const p of plan.resources.filter((r) => r.type === ORG_POLICY_TYPE)) {
    const kind = p.inputs.type === undefined ? "scp" : KIND_OF_TYPE[String(p.inputs.type)];
    if (!kind) continue; // tag, backup and AI opt-out policies decide no request
    const id = str(p.outputs.id) ?? p.name;
    const targets = attachments.filter((a) => a.inputs.policyId === id || a.inputs.policyId === str(p.outputs.arn)).map((a) => str(a.inputs.targetId) ?? "?");
    out.push({ kind, document: JSON.parse(str(p.inputs.content) ?? "{}") as PolicyDocument, targets, urn: p.urn, name: str(p.inputs.name) ?? p.name, id });
  }
  return out;
}

/**
 * The layers that bind `accountId`: the root (policies attached to r-...), one OU level holding what
 * is attached to OUs (the plan cannot see the OU tree: the workload account is taken to sit under
 * every targeted OU, as the org stack's own design says), and the account (policies attached to its
 * id). Each level holds the AWS default (FullAWSAccess; RCPFullAWSAccess, see below); AWS evaluates every level
 * from the root down. A policy attached to another account binds nothing here. SCPs are named
 * scp-1, scp-2 ... and RCPs rcp-1 ... in plan order (answers cite them so).
 * https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html
 */
export function orgLayers(policies: readonly OrgPolicy[], accountId?: string, organizationId?: string): OrgLayers {
  const layersOf = (kind: OrgPolicyKind): OrgLayer[] => {
    const mine = policies.filter((p) => p.kind === kind).map((p, i) => ({ ...p, named: { name: `${kind}-${i + 1}`, policy: p.document } }));
    const at = (test: (t: string) => boolean) => mine.filter((p) => p.targets.some(test)).map((p) => p.named);
    const root = at((t) => t.startsWith("r-"));
    const ou = at((t) => t.startsWith("ou-"));
    const account = at((t) => /^\d{12}$/.test(t) && (accountId === undefined || t === accountId));
    if (root.length + ou.length + account.length === 0) return [];
    // RCPFullAWSAccess sits at every level and cannot be detached; the engine adds it to each RCP
    // layer itself (and refuses an Allow in an RCP otherwise).
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html
    const full = kind === "scp" ? [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }] : [];
    return [
      { orgIdentifier: "r-root", policies: [...full, ...root] },
      ...(ou.length ? [{ orgIdentifier: "ou-workloads", policies: [...full, ...ou] }] : []),
      ...(account.length ? [{ orgIdentifier: accountId ?? "account", policies: [...full, ...account] }] : []),
    ];
  };
  return { scps: layersOf("scp"), rcps: layersOf("rcp"), ...(organizationId ? { organizationId } : {}) };
}

/** Normalizes what callers pass: bare SCP documents are attached to the workload account's OU. */
export function asOrgLayers(org: OrgInput | undefined): OrgLayers {
  if (!org) return NO_ORG;
  if (Array.isArray(org)) return orgLayers((org as readonly PolicyDocument[]).map((document) => ({ kind: "scp" as const, document, targets: ["ou-workloads"] })));
  return org as OrgLayers;
}

/** The same layers without the SCPs (the SCP rows' "as if the SCPs were not attached" comparison). */
export function withoutScps(org: OrgLayers): OrgLayers {
  return { ...org, scps: [] };
}

/**
 * The organization keys a request carries (RCPs are written against them): aws:PrincipalOrgID for
 * principals of `memberAccount` (the workload account the layers bind; none for another account's or
 * anonymous), and aws:SourceOrgID when a service acts for a resource of that account (its
 * aws:SourceAccount). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
 */
export function orgKeysOf(org: OrgLayers, principal: string, context: Record<string, unknown>, memberAccount: string): { principalOrgId?: string; sourceOrgId?: string } {
  if (!org.organizationId) return {};
  return {
    ...(parseArn(principal)?.account === memberAccount ? { principalOrgId: org.organizationId } : {}),
    ...(context["aws:SourceAccount"] === memberAccount ? { sourceOrgId: org.organizationId } : {}),
  };
}
