// The attacker paths' questions to the IAM engine: each edge or goal request becomes a question of
// kind "path" asked through the runner every question set uses (plan/questions.ts -> plan/decide.ts,
// with the answer cache): the actor's identity policies, boundary, SCP and RCP layers, the target's
// resource or trust policy, and the request context AWS would send for that actor. Dev tooling only
// (iam-simulate is AGPL-3.0).
import { parseArn } from "../../iam/arn";
import type { PolicyDocument } from "../../iam/types";
import type { EvalRequest } from "../decide";
import { askQuestion, type Answered, type Question } from "../questions";
import { asOrgLayers, orgKeysOf } from "../orgLayers";
import type { NamedPolicy } from "../planDocuments";
import { pathNetworkContext } from "../networkQuestions";
import type { AccessDecision } from "../types";
import type { PathModel, PathPrincipal } from "./model";
import { identityMayAllow, resourceMayGrant } from "./prune";

/** A principal as held at one point of a path: how it got its session decides the request context. */
export interface Actor {
  key: string;
  principal: PathPrincipal;
  identityPolicies: NamedPolicy[];
  boundary: NamedPolicy | null;
  underScps: boolean;
  /** How the session was obtained: "own", "session", "compute:<service>", "broker", "forged", "re-trusted", "rewritten". */
  via: string;
  sourceIdentity?: string;
  sessionTags: Record<string, string>;
  /** lambda:SourceFunctionArn of requests made with the role's credentials inside a Lambda function. */
  sourceFunctionArn?: string;
  /** The attacker wrote this role's policies (a rewrite edge). */
  rewritten: boolean;
}

export interface Request {
  action: string;
  resource: string;
  /** The resource's or trust's policy, and how hops name it ("bucket-policy", "trust:<role>"). */
  resourcePolicy?: PolicyDocument | null;
  resourceName?: string;
  context?: Record<string, string | string[]>;
}

export interface Answer {
  decision: AccessDecision;
  allowed: boolean;
  by: string;
}

export interface EngineStats {
  /** Questions asked of the IAM engine (cached answers included). */
  asked: number;
  /** Questions a static look at the policies answered "no" without the engine. */
  pruned: number;
}

// Asked for every request the walk considers, of a few hundred distinct ARNs.
const accounts = new Map<string, string | undefined>();
/** The account of an ARN, undefined when it names none (a service principal, "anonymous", an S3 ARN). */
export function accountOf(arn: string): string | undefined {
  if (!accounts.has(arn)) accounts.set(arn, parseArn(arn)?.account || undefined);
  return accounts.get(arn);
}

export function actorContext(m: PathModel, a: Actor, action: string): Record<string, string | string[]> {
  const ctx: Record<string, string | string[]> = { "aws:SecureTransport": "true" };
  if (action.startsWith("s3:")) ctx["s3:TlsVersion"] = "1.3";
  const p = a.principal;
  if (p.kind === "anonymous") return ctx;
  if (p.kind === "service") return { ...ctx, ...(p.sourceArn ? { "aws:SourceArn": p.sourceArn, "aws:SourceAccount": accountOf(p.sourceArn) ?? m.accountId } : {}) };
  ctx["aws:PrincipalArn"] = p.arn;
  ctx["aws:PrincipalAccount"] = accountOf(p.arn) ?? m.accountId;
  ctx["aws:PrincipalType"] = p.user ? "User" : "AssumedRole";
  // Session tags override role tags of the same key. https://docs.aws.amazon.com/IAM/latest/UserGuide/id_session-tags.html
  for (const [k, v] of Object.entries({ ...p.tags, ...a.sessionTags })) ctx[`aws:PrincipalTag/${k}`] = v;
  if (a.sourceIdentity) ctx["aws:SourceIdentity"] = a.sourceIdentity;
  // People sign in with MFA (the design asks it of every person); a role's own workload does not.
  if (p.kind === "human" && a.via === "own") {
    ctx["aws:MultiFactorAuthPresent"] = "true";
    ctx["aws:MultiFactorAuthAge"] = "60";
  }
  if (a.sourceFunctionArn) ctx["lambda:SourceFunctionArn"] = a.sourceFunctionArn;
  return ctx;
}

export class PathEngine {
  readonly stats: EngineStats = { asked: 0, pruned: 0 };
  constructor(readonly model: PathModel) {}

  /** Whether a static look says the engine could allow it (identity policies, or the resource policy naming the actor). */
  mayAllow(a: Actor, r: Request): boolean {
    const p = a.principal;
    const m = this.model;
    // Across accounts both sides must allow: the resource's policy has to name the caller or its account.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic-cross-account.html
    const resourceAccount = accountOf(r.resource) ?? m.accountId;
    const crossAccount = p.kind !== "service" && accountOf(p.arn) !== undefined && resourceAccount !== accountOf(p.arn);
    const named = resourceMayGrant(r.resourcePolicy ?? null, { arn: p.arn, account: crossAccount ? accountOf(p.arn) : undefined }, r.action, r.resource);
    const ok = crossAccount ? named && identityMayAllow(a.identityPolicies, r.action, r.resource) : (p.kind !== "anonymous" && identityMayAllow(a.identityPolicies, r.action, r.resource)) || named;
    if (!ok) this.stats.pruned++;
    return ok;
  }

  /** The engine request of one of this actor's requests: its documents, the org layers, the context AWS would send. */
  request(a: Actor, r: Request): EvalRequest {
    const m = this.model;
    const p = a.principal;
    const org = asOrgLayers(m.scps);
    const context = { ...actorContext(m, a, r.action), ...pathNetworkContext(m.network, p, r.context), ...r.context };
    const keys = orgKeysOf(org, p.arn, context, m.accountId);
    // The management account's principals belong to the organization too.
    if (p.kind === "management" && org.organizationId) keys.principalOrgId = org.organizationId;
    return {
      principal: p.kind === "anonymous" ? "anonymous" : p.arn,
      action: r.action,
      resource: r.resource,
      resourceAccount: accountOf(r.resource) ?? m.accountId,
      context,
      identityPolicies: a.identityPolicies,
      boundary: a.boundary,
      resourcePolicy: r.resourcePolicy,
      resourceName: r.resourceName,
      scps: a.underScps ? org.scps : [],
      // RCPs bind the stack's resources whoever asks, until the management account detaches them.
      rcps: p.orgDetached ? [] : org.rcps,
      ...keys,
      blockPublicAccess: m.bucket.blockPublicAccess,
    };
  }

  /**
   * Asks the requests in order as one question of the attacker-path set (plan/questions.ts, the runner
   * the design matrix and the SCP rows use), stopping at the first refusal. A path has no promise per
   * request: plan/paths/verdicts.ts judges the whole path.
   */
  private async question(a: Actor, rs: Request[]): Promise<Answered> {
    const q: Question = {
      kind: "path",
      principal: a.principal.arn,
      label: a.principal.label,
      action: rs.map((r) => r.action).join(" + "),
      resource: rs[0].resource,
      steps: rs.map((r) => ({ request: this.request(a, r), ...(rs.length > 1 ? { prefix: r.action } : {}) })),
      expected: "AllowedOrDenied",
      denyKindMatters: false,
      extra: undefined,
    };
    const ans = await askQuestion(q, "attacker paths");
    this.stats.asked += ans.asked;
    return ans;
  }

  async ask(a: Actor, r: Request): Promise<Answer> {
    const { decision, by } = await this.question(a, [r]);
    return { decision, by, allowed: decision === "Allowed" };
  }

  /** Every request allowed (pruned first, then asked in order, stopping at the first refusal); the statements that allowed them. */
  async allowAll(a: Actor, rs: Request[]): Promise<string | null> {
    if (!rs.every((r) => this.mayAllow(a, r))) return null;
    const ans = await this.question(a, rs);
    return ans.decision === "Allowed" ? ans.by : null;
  }
}
