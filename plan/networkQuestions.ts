// The network question set (issue 16 item 3): the design matrix asked from inside the configured
// perimeters, and for each consumer under a perimeter the same read asked three times: from inside
// (allowed), from an address outside every range, and through another account's VPC endpoint (both
// denied explicitly). Dev tooling only (the rows are evaluated with iam-simulate).
//
// Context keys as AWS sends them (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html):
// a request through a VPC endpoint carries aws:SourceVpce and aws:SourceVpc and no aws:SourceIp; one
// over the internet carries aws:SourceIp only. The kms:Decrypt S3 makes for an SSE-KMS object is a
// forward access session: aws:ViaAWSService is true. A service principal (CloudFront through OAC)
// carries aws:PrincipalIsAWSService true.
import type { AccessConfig } from "../config/access";
import { addressIn, inRanges, type NetworkPerimeter } from "../iam/network";
import { CONSUMER_NAME_TAG } from "../iam/tags";
import type { AccessModel, DesignExtra } from "./access";
import type { Question, QuestionKind } from "./questions";
import type { AccessKind } from "./types";

/** What the matrix needs of the config: the stack's perimeter and each consumer's, by consumer name. */
export interface NetworkPlan {
  stack: NetworkPerimeter | null;
  consumers: Record<string, NetworkPerimeter>;
}

const configured = (plan: NetworkPlan | undefined): plan is NetworkPlan => !!plan && (!!plan.stack || Object.keys(plan.consumers).length > 0);

export function networkPlan(access: AccessConfig): NetworkPlan {
  const consumers: Record<string, NetworkPerimeter> = {};
  for (const c of access.consumers) if (c.network) consumers[c.name] = c.network;
  return { stack: access.network, consumers };
}

/** Where a network row's read comes from: inside the perimeter, an address outside it, another account's endpoint. */
export type NetworkVantage = "perimeter" | "internet" | "endpoint-elsewhere";

/** The vantages as the network grid's key explains them. */
export const VANTAGE_LEGEND = "p=inside the perimeter  i=from an internet address outside it  e=through another account's VPC endpoint";

/** Labels of the network rows in plan.access start with this, for a reader of the JSON; renderers go by `kind`. */
export const NETWORK_LABEL_PREFIX = "network: ";

/** An endpoint and a VPC of another account: ids no stack names. */
export const OTHER_ACCOUNT_ENDPOINT = { "aws:SourceVpce": "vpce-0bad0bad0bad0bad0", "aws:SourceVpc": "vpc-0bad0bad0bad0bad0" };
/** The VPC of a named endpoint, or an endpoint of a named VPC, when the config does not say. */
const UNNAMED = { vpc: "vpc-00000000000000000", vpce: "vpce-00000000000000000" };
/** Documentation addresses (RFC 5737, RFC 3849): the first outside every configured range is "outside". */
const OUTSIDE_CANDIDATES = ["198.51.100.7", "192.0.2.7", "203.0.113.7", "2001:db8::7"];

/** A request from inside: through the first named endpoint, else from the first VPC, else from the first range. */
export function insideContext(p: NetworkPerimeter): Record<string, string> {
  if (p.vpcEndpoints.length) return { "aws:SourceVpce": p.vpcEndpoints[0], "aws:SourceVpc": p.vpcs[0] ?? UNNAMED.vpc };
  if (p.vpcs.length) return { "aws:SourceVpce": UNNAMED.vpce, "aws:SourceVpc": p.vpcs[0] };
  return { "aws:SourceIp": addressIn(p.sourceIps[0]) };
}

/** An address outside every range of the perimeters. */
export function outsideAddress(...ps: (NetworkPerimeter | null)[]): string {
  const ranges = ps.flatMap((p) => p?.sourceIps ?? []);
  const ip = OUTSIDE_CANDIDATES.find((a) => !inRanges(a, ranges));
  if (!ip) throw new Error(`network rows: every documentation address lies in the configured ranges (${ranges.join(", ")})`);
  return ip;
}

function vantage(ctx: Record<string, string>): string {
  return ctx["aws:SourceIp"] ? `from ${ctx["aws:SourceIp"]} (aws:SourceIp)` : `through ${ctx["aws:SourceVpce"]} in ${ctx["aws:SourceVpc"]} (aws:SourceVpce, no aws:SourceIp)`;
}


/** The consumer's name in a matrix label ("consumer NAME (kind)", plan/access.ts). */
const consumerName = (label: string) => /^consumer (\S+)/.exec(label)?.[1];

/** Adds network keys to each step: the S3 request from `network`, the KMS call S3 makes as a forward access session. */
function placed<E, K extends QuestionKind>(q: Question<E, K>, network: Record<string, string>, note?: string): Question<E, K> {
  const steps = q.steps.map((s, i) => ({ ...s, request: { ...s.request, context: { ...s.request.context, ...(i === 0 ? network : { "aws:ViaAWSService": "true" }) } } }));
  return { ...q, steps, ...(note ? { note } : {}) };
}

/**
 * The design questions asked from inside the perimeters, followed by the network rows. A stack with no
 * perimeter gets its questions back unchanged (its plan stays byte-identical).
 */
export function withNetwork(m: AccessModel, questions: Question<DesignExtra, AccessKind>[]): Question<DesignExtra, AccessKind>[] {
  const plan = m.network;
  if (!configured(plan)) return questions;
  const byArn = new Map(m.principals.map((p) => [p.arn, p]));
  const perimeterOf = (label: string) => {
    const name = consumerName(label);
    return (name !== undefined ? plan.consumers[name] : undefined) ?? null;
  };
  const design = questions.map((q) => {
    const p = byArn.get(q.principal);
    // AWS sets aws:PrincipalIsAWSService for service principals; they read from AWS's networks.
    if (p?.sourceArn) return placed(q, { "aws:PrincipalIsAWSService": "true" });
    const own = p?.kind === "consumer" ? perimeterOf(q.label) : null;
    const where = own ?? plan.stack;
    return where ? placed(q, insideContext(where)) : q;
  });
  const rows = questions.flatMap((q) => {
    const p = byArn.get(q.principal);
    const own = p?.kind === "consumer" ? perimeterOf(q.label) : null;
    const where = own ?? (p?.kind === "consumer" ? plan.stack : null);
    if (!where || q.action !== "s3:GetObject" || q.extra.scope !== "inside" || q.extra.operation) return [];
    const inside = insideContext(where);
    const outside = { "aws:SourceIp": outsideAddress(own, plan.stack) };
    const row = (ctx: Record<string, string>, from: NetworkVantage, expected: "Allowed" | "ExplicitlyDenied") => ({
      ...placed(q, ctx, vantage(ctx)),
      extra: { ...q.extra, vantage: from },
      label: `${NETWORK_LABEL_PREFIX}${q.label}`,
      kind: "network" as const,
      expected,
      // The perimeter promises an explicit deny: an implicit one would mean the grant vanished instead.
      denyKindMatters: true,
    });
    return [row(inside, "perimeter", "Allowed"), row(outside, "internet", "ExplicitlyDenied"), row(OTHER_ACCOUNT_ENDPOINT, "endpoint-elsewhere", "ExplicitlyDenied")];
  });
  return [...design, ...rows];
}

/**
 * The network keys of one attacker-path request (plan/paths/engine.ts): paths are asked from inside
 * the perimeters, because an insider who can run code in the VPC is inside them (the network rows
 * above show the same credentials refused outside). A service principal carries
 * aws:PrincipalIsAWSService; the KMS call S3 makes (kms:ViaService set) is a forward access session.
 */
export function pathNetworkContext(plan: NetworkPlan | undefined, p: { kind: string; tags: Record<string, string> }, request: Record<string, unknown> = {}): Record<string, string> {
  if (!configured(plan)) return {};
  if (p.kind === "service") return { "aws:PrincipalIsAWSService": "true" };
  if (request["kms:ViaService"] !== undefined) return { "aws:ViaAWSService": "true" };
  const where = plan.consumers[p.tags[CONSUMER_NAME_TAG] ?? ""] ?? plan.stack;
  return where ? insideContext(where) : {};
}

/** The network keys of the SCP rows' principals (plan/scpApply.ts): inside the stack-wide perimeter, or none. */
export function stackInsideContext(network: NetworkPerimeter | null | undefined): Record<string, string> | null {
  return network ? insideContext(network) : null;
}
