// The edges of the attacker-path graph (after NCC Group's Principal Mapper: who can become whom),
// each decided by the IAM engine over the planned documents and carrying the statement that
// decided it. A source whose identity policies cannot name the edge's action (and that no
// resource or trust policy names) is skipped before the engine is asked.
import { parseArn, partitionOf } from "../../iam/arn";
import { arnLike, globLike } from "../../iam/arnLike";
import { asArray, type PolicyDocument } from "../../iam/types";
import { ADMINISTRATOR_ACCESS } from "../planDocuments";
import { COMPUTE_SERVICES } from "./compute";
import type { Actor, PathEngine, Request } from "./engine";
import type { PathModel, PathPrincipal } from "./model";
import { IDENTITY_CENTER_ROLE_PATH } from "../../iam/arns";
import { humanArnOf } from "./principals";
import { EdgeIndex } from "./edgeIndex";
import { ELEVATED_ROLE } from "../../iam/tags";

/**
 * Replacing what an existing function runs: its code, or its configuration (a layer, an environment
 * such as NODE_OPTIONS). Neither needs iam:PassRole, and the code then acts as the function itself.
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
 */
export const FUNCTION_CODE_ACTIONS = ["lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration"] as const;

export type EdgeKind =
  /** sts:AssumeRole through the target's trust. */
  | "assume"
  /** sts:AssumeRoleWithWebIdentity: a Kubernetes service account of a cluster the source can administer. */
  | "web-identity"
  /** iam:PassRole + a service that runs code with the role. */
  | "pass-role"
  /** The broker's function URL: the designed path (request -> approve -> claim, checked by the broker). */
  | "broker-url"
  /** A direct lambda:InvokeFunction of the broker: the event, caller identity included, is the caller's. */
  | "invoke-direct"
  /** Replacing a function's code or configuration: the source's code runs as the function's role, from that function. */
  | "function-code"
  /** lambda:AddPermission on the broker: an account of the source's choosing, outside every SCP, then invokes it directly. */
  | "function-policy"
  /** iam:UpdateAssumeRolePolicy: the source trusts itself into the role. */
  | "retrust"
  /** A policy or boundary rewrite: the role then holds whatever the source writes. */
  | "rewrite"
  /** Credentials of an IAM user: access keys or a console password. */
  | "credentials"
  /** The management account detaches the SCPs. */
  | "detach-scps";

export interface Hop {
  action: string;
  resource: string;
  decidedBy: string;
}

export interface Edge {
  kind: EdgeKind;
  to: Actor;
  hop: Hop;
}

const ORG_DOC = "https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html";

const account = (arn: string) => parseArn(arn)?.account;

/** A role as held by a new session; `via` says how. */
export function actorOf(p: PathPrincipal, via: string, session: Partial<Pick<Actor, "sourceIdentity" | "sessionTags" | "sourceFunctionArn">> = {}, rewrite?: { dropBoundary: boolean }): Actor {
  const rewritten = !!rewrite;
  const identityPolicies = rewritten ? [...p.identityPolicies, { name: "attacker-written", policy: ADMINISTRATOR_ACCESS }] : p.identityPolicies;
  const boundary = rewrite?.dropBoundary ? null : p.boundary;
  const tags = session.sessionTags ?? {};
  const key = [p.id, via, session.sourceFunctionArn ?? "", session.sourceIdentity ?? "", JSON.stringify(tags), rewritten ? `+${boundary ? "b" : ""}` : ""].join("|");
  return { key, principal: p, identityPolicies, boundary, underScps: p.underScps, via, sourceIdentity: session.sourceIdentity, sessionTags: tags, sourceFunctionArn: session.sourceFunctionArn, rewritten };
}

/** A service principal acting for a resource (aws:SourceArn): how a trust sees a service assume a role. */
export function serviceActor(service: string, sourceArn: string): Actor {
  const p: PathPrincipal = { id: `${service}@${sourceArn}`, arn: service, label: service, kind: "service", identityPolicies: [], boundary: null, attachedPolicyArns: [], trust: null, tags: {}, underScps: false, start: false, sourceArn };
  return actorOf(p, "own");
}

/** A principal as its own holder starts a path. */
export function startActor(p: PathPrincipal): Actor {
  return actorOf(p, "own", { sourceFunctionArn: p.ownFunctionArn });
}

/**
 * The request context a caller can choose when assuming a role (session name, source identity,
 * external id, session tags): values taken from the trust's own conditions, so the most permissive
 * choice is tried. https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html
 */
export function callerChosenContext(trust: PolicyDocument | null): { context: Record<string, string | string[]>; sourceIdentity?: string; tags: Record<string, string> } {
  const context: Record<string, string | string[]> = { "sts:RoleSessionName": "attacker" };
  const tags: Record<string, string> = {};
  let sourceIdentity: string | undefined;
  const fill = (v: string) => v.replace(/\*/g, "attacker").replace(/\?/g, "x");
  for (const st of trust?.Statement ?? []) {
    for (const [op, block] of Object.entries(st.Condition ?? {})) {
      for (const [key, raw] of Object.entries(block)) {
        const first = asArray(raw)[0];
        const value = op.startsWith("Null") ? "attacker" : typeof first === "string" ? fill(first) : "attacker";
        if (key === "sts:RoleSessionName" || key === "sts:ExternalId") context[key] = value;
        else if (key === "sts:SourceIdentity") sourceIdentity = value;
        else if (key.startsWith("aws:RequestTag/")) tags[key.slice("aws:RequestTag/".length)] = value;
      }
    }
  }
  if (sourceIdentity) context["sts:SourceIdentity"] = sourceIdentity;
  for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
  if (Object.keys(tags).length) context["aws:TagKeys"] = Object.keys(tags);
  return { context, sourceIdentity, tags };
}

const CALLER_CHOSEN = (key: string) => ["sts:RoleSessionName", "sts:SourceIdentity", "sts:ExternalId", "aws:TagKeys"].includes(key) || key.startsWith("aws:RequestTag/");

function withoutCallerChosenConditions(trust: PolicyDocument | null): PolicyDocument | null {
  if (!trust) return trust;
  return {
    ...trust,
    Statement: trust.Statement.map((st) => {
      if (!st.Condition) return st;
      const Condition = Object.fromEntries(
        Object.entries(st.Condition)
          .map(([op, block]) => [op, Object.fromEntries(Object.entries(block).filter(([k]) => !CALLER_CHOSEN(k)))] as const)
          .filter(([, block]) => Object.keys(block).length > 0),
      );
      const { Condition: _dropped, ...rest } = st;
      return Object.keys(Condition).length ? { ...rest, Condition } : rest;
    }),
  };
}

function trustActions(trust: PolicyDocument | null): Set<string> {
  return new Set((trust?.Statement ?? []).filter((s) => s.Effect === "Allow").flatMap((s) => asArray(s.Action)));
}

function trustNames(trust: PolicyDocument | null, key: "AWS" | "Service" | "Federated"): string[] {
  return (trust?.Statement ?? []).filter((s) => s.Effect === "Allow" && s.Principal && s.Principal !== "*").flatMap((s) => asArray((s.Principal as Record<string, string | string[]>)[key]));
}

/** The aws:SourceArn a trust pins a service to, if it pins one. */
function pinnedSourceArn(trust: PolicyDocument | null): string | undefined {
  for (const st of trust?.Statement ?? []) for (const block of Object.values(st.Condition ?? {})) if (typeof block["aws:SourceArn"] === "string") return block["aws:SourceArn"] as string;
  return undefined;
}

const ROLE_REWRITES = ["iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"] as const;
const POLICY_REWRITES = ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion"] as const;
const USER_CREDENTIALS = ["iam:CreateAccessKey", "iam:CreateLoginProfile", "iam:UpdateLoginProfile"] as const;
/** Every action a rewrite or credentials edge may ask: a caller whose identity policies name none of them has no such edge. */
const REWRITE_ACTIONS: readonly string[] = [...ROLE_REWRITES, ...POLICY_REWRITES, ...USER_CREDENTIALS, "iam:UpdateAssumeRolePolicy"];

export class EdgeFinder {
  /** Edges asked of the engine (after pruning). */
  evaluated = 0;
  private readonly memo = new Map<string, Promise<Edge[]>>();
  private readonly index: EdgeIndex;
  /** `exhaustive`: try every role, as before the index (tests prove both find the same edges). */
  constructor(
    private readonly m: PathModel,
    private readonly engine: PathEngine,
    opts: { exhaustive?: boolean } = {},
  ) {
    this.index = new EdgeIndex(m, opts.exhaustive);
  }

  edgesOf(a: Actor): Promise<Edge[]> {
    let e = this.memo.get(a.key);
    if (!e) {
      e = this.compute(a);
      this.memo.set(a.key, e);
    }
    return e;
  }

  private async allowed(a: Actor, rs: Request[]): Promise<string | null> {
    if (!rs.every((r) => this.engine.mayAllow(a, r))) return null;
    this.evaluated++;
    return this.engine.allowAll(a, rs);
  }

  private async compute(a: Actor): Promise<Edge[]> {
    const m = this.m;
    const p = a.principal;
    const out: Edge[] = [];
    if (p.kind === "management") {
      const noScps = m.principals.find((x) => x.kind === "admin" && !x.underScps);
      if (noScps) out.push({ kind: "detach-scps", to: startActor(noScps), hop: { action: "organizations:DetachPolicy", resource: "the workload account's SCPs", decidedBy: `AWS: SCPs never bind the management account (${ORG_DOC})` } });
      return out;
    }
    // A rewrite hands power to the role's holders, not to the rewriter: the rewriter is credited with
    // the goals the rewritten role gains (plan/paths/graph.ts), not with a walk onward through it.
    if (p.kind === "service" || a.rewritten) return out;
    // Only the roles the index keeps (plan/paths/edgeIndex.ts: the others' first request is certainly
    // refused before the engine), in the model's order, so edges come in the same order as before.
    const ix = this.index;
    const assumable = ix.assumable(a);
    const pass = ix.mayAct(a, ["iam:PassRole"]);
    const web = ix.mayAct(a, ["eks:CreateAccessEntry"]);
    const rewrite = p.kind !== "anonymous" && ix.mayAct(a, REWRITE_ACTIONS);
    // The roles left out count as pruned, as the engine's own static check counts a refusal.
    const stats = this.engine.stats;
    const self = ix.selfOf(p);
    const targets = ix.trustTargets - (self?.trust && !self.user ? 1 : 0);
    const same = pass || web ? ix.sameAccountRoles(p) : [];
    const sameSet = new Set(same);
    let asked = 0;
    for (const i of [...new Set([...same, ...assumable])].sort((x, y) => x - y)) {
      const t = ix.roles[i];
      if (t.id === p.id || !t.trust || t.user) continue;
      if (assumable.has(i)) (out.push(...(await this.assume(a, t))), asked++);
      if (pass && sameSet.has(i)) (out.push(...(await this.passRole(a, t))), asked++);
      if (web && sameSet.has(i)) (out.push(...(await this.webIdentity(a, t))), asked++);
    }
    stats.pruned += 3 * targets - asked;
    out.push(...(await this.broker(a)));
    if (p.kind === "anonymous") return out;
    if (ix.mayAct(a, FUNCTION_CODE_ACTIONS)) {
      for (const t of ix.roles) if (t.ownFunctionArn && t.id !== p.id) out.push(...(await this.functionCode(a, t)));
    }
    const others = ix.roles.length - (self ? 1 : 0);
    const rewritable = rewrite ? ix.rewritableRoles(p).filter((i) => ix.roles[i].id !== p.id) : [];
    for (const i of rewritable) out.push(...(await this.rewrites(a, ix.roles[i])));
    stats.pruned += others - rewritable.length;
    return out;
  }

  private async assume(a: Actor, t: PathPrincipal): Promise<Edge[]> {
    const named = trustNames(t.trust, "AWS");
    // A trust that names no AWS principal may still trust everyone: Principal "*", or an Allow with
    // NotPrincipal (everyone it does not name).
    if (named.length === 0 && !(t.trust?.Statement ?? []).some((s) => s.Principal === "*" || (s.Effect === "Allow" && s.NotPrincipal !== undefined))) return [];
    const chosen = callerChosenContext(t.trust);
    const extra = [...trustActions(t.trust)].filter((x) => x === "sts:SetSourceIdentity" || x === "sts:TagSession");
    // sts:TagSession and sts:SetSourceIdentity are authorized inside the same AssumeRole call, whose
    // context carries the session name, source identity and tags; iam-simulate drops keys it does
    // not list for those actions. The caller chooses those keys anyway (callerChosenContext), so the
    // companions are asked without conditions on them; every other condition stays.
    const companions = withoutCallerChosenConditions(t.trust);
    const req = (action: string): Request => ({ action, resource: t.arn, resourcePolicy: action === "sts:AssumeRole" ? t.trust : companions, resourceName: `trust:${t.label}`, context: chosen.context });
    const by = await this.allowed(a, [req("sts:AssumeRole"), ...extra.map(req)]);
    if (!by) return [];
    // Credentials from a Lambda function's role carry lambda:SourceFunctionArn; a role session does not.
    return [{ kind: "assume", to: actorOf(t, "session", { sourceIdentity: chosen.sourceIdentity ?? a.sourceIdentity, sessionTags: chosen.tags }), hop: { action: "sts:AssumeRole", resource: t.arn, decidedBy: by } }];
  }

  private async passRole(a: Actor, t: PathPrincipal): Promise<Edge[]> {
    if (account(a.principal.arn) !== account(t.arn)) return [];
    const out: Edge[] = [];
    for (const svc of COMPUTE_SERVICES.filter((c) => trustNames(t.trust, "Service").includes(c.service))) {
      const created = svc.resource(this.m.region, this.m.accountId);
      const pass: Request = { action: "iam:PassRole", resource: t.arn, context: { "iam:PassedToService": svc.service } };
      const create: Request = { action: svc.action, resource: created };
      const by = await this.allowed(a, [pass, create]);
      if (!by) continue;
      // The service assumes the role for the caller's resource: the trust sees that resource.
      const chosen = callerChosenContext(t.trust);
      const trust = await this.engine.ask(serviceActor(svc.service, pinnedSourceArn(t.trust) ?? created), { action: "sts:AssumeRole", resource: t.arn, resourcePolicy: t.trust, resourceName: `trust:${t.label}`, context: chosen.context });
      if (!trust.allowed) continue;
      const fn = svc.service === "lambda.amazonaws.com" ? created : undefined;
      out.push({
        kind: "pass-role",
        to: actorOf(t, `compute:${svc.service}`, { sourceFunctionArn: fn, sessionTags: chosen.tags }),
        hop: { action: `iam:PassRole+${svc.action}`, resource: t.arn, decidedBy: `${by}; ${trust.by} (${svc.name}: ${svc.doc})` },
      });
    }
    return out;
  }

  private async webIdentity(a: Actor, t: PathPrincipal): Promise<Edge[]> {
    const oidc = trustNames(t.trust, "Federated").filter((f) => f.includes(":oidc-provider/oidc.eks."));
    if (oidc.length === 0 || account(a.principal.arn) !== account(t.arn)) return [];
    // Whoever may grant themselves access to a cluster's Kubernetes API may run a pod under any of its
    // service accounts, and so receive that service account's web identity tokens.
    // https://docs.aws.amazon.com/eks/latest/userguide/access-entries.html
    const by = await this.allowed(a, [
      { action: "eks:CreateAccessEntry", resource: `arn:${partitionOf(this.m.region)}:eks:${this.m.region}:${this.m.accountId}:cluster/any-cluster` },
      { action: "eks:AssociateAccessPolicy", resource: `arn:${partitionOf(this.m.region)}:eks:${this.m.region}:${this.m.accountId}:access-entry/any-cluster/*` },
    ]);
    if (!by) return [];
    return [{ kind: "web-identity", to: actorOf(t, "compute:eks-irsa"), hop: { action: "sts:AssumeRoleWithWebIdentity", resource: t.arn, decidedBy: `${by}; trust names ${oidc[0]}` } }];
  }

  private async broker(a: Actor): Promise<Edge[]> {
    const b = this.m.broker;
    const issuer = b && this.m.principals.find((x) => x.arn === b.issuerArn && x.kind === "stack-role");
    if (!b || !issuer) return [];
    const out: Edge[] = [];
    const fn = (action: string, context: Record<string, string>): Request => ({ action, resource: b.functionArn, resourcePolicy: b.functionPolicy, resourceName: "function-policy", context });
    // Function URLs need both lambda:InvokeFunctionUrl and lambda:InvokeFunction (since October 2025);
    // lambda:InvokedViaFunctionUrl tells a URL call from a direct one.
    // https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html
    const publisher = this.m.principals.find((x) => x.arn === this.m.publisherArn);
    const p = a.principal;
    const session = `arn:${parseArn(p.arn)?.partition ?? partitionOf(this.m.region)}:sts::${account(p.arn)}:assumed-role/${p.arn.split(":role/").pop()?.split("/").pop()}/attacker`;
    const callerArns = p.user ? [p.arn] : [session, p.arn];
    const patterns = [...b.requesters, ...b.approvers, ...b.breakGlass];
    // The broker checks its caller against these patterns in its own code; a pattern naming this
    // principal's role (with the session names it allows) counts as accepting it.
    const brokerAccepts = patterns.some((pat) => humanArnOf(pat)?.arn === p.arn || callerArns.some((c) => arnLike(pat, c) || globLike(pat, c)));
    if (b.hasUrl && publisher && brokerAccepts) {
      const by = await this.allowed(a, [
        fn("lambda:InvokeFunctionUrl", { "lambda:FunctionUrlAuthType": b.urlAuthType ?? "AWS_IAM" }),
        fn("lambda:InvokeFunction", { "lambda:InvokedViaFunctionUrl": "true" }),
      ]);
      if (by) {
        out.push({
          kind: "broker-url",
          to: actorOf(publisher, "broker", { sourceIdentity: "approved-person", sessionTags: { "jit-request-id": "approved-request" } }),
          hop: { action: "lambda:InvokeFunctionUrl", resource: b.functionArn, decidedBy: `${by}; the broker: request -> approve -> claim (jit.requesters / approvers)` },
        });
      }
    }
    // The org's SCPs bind its own principals only: a permission for an account outside the
    // organization lets that account invoke directly whatever the SCPs deny here (RCPs do not govern
    // Lambda: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
    const opened = a.principal.kind === "anonymous" ? null : await this.allowed(a, [fn("lambda:AddPermission", {})]);
    if (opened) {
      out.push({
        kind: "function-policy",
        to: actorOf(issuer, "forged", { sourceFunctionArn: b.functionArn }),
        hop: { action: "lambda:AddPermission", resource: b.functionArn, decidedBy: `${opened}; then an account outside the SCPs invokes it directly with a forged caller` },
      });
    }
    const direct = await this.allowed(a, [fn("lambda:InvokeFunction", {})]);
    if (direct) {
      out.push({
        kind: "invoke-direct",
        to: actorOf(issuer, "forged", { sourceFunctionArn: b.functionArn }),
        hop: { action: "lambda:InvokeFunction", resource: b.functionArn, decidedBy: `${direct}; a direct invoke writes the event, caller identity included: the broker acts as its issuer on a forged word` },
      });
    }
    return out;
  }

  private async functionCode(a: Actor, t: PathPrincipal): Promise<Edge[]> {
    const fn = t.ownFunctionArn!;
    for (const action of FUNCTION_CODE_ACTIONS) {
      // The function's own policy may grant another account (a planted aws.lambda.Permission).
      const by = await this.allowed(a, [{ action, resource: fn, resourcePolicy: t.ownFunctionPolicy ?? null, resourceName: "function-policy" }]);
      if (by) return [{ kind: "function-code", to: actorOf(t, "code", { sourceFunctionArn: fn }), hop: { action, resource: fn, decidedBy: `${by}; the function then runs the source's code as ${t.label}` } }];
    }
    return [];
  }

  private async rewrites(a: Actor, t: PathPrincipal): Promise<Edge[]> {
    const out: Edge[] = [];
    // Only Identity Center may change its roles (iam/arns.ts).
    if (t.arn.includes(`:role/${IDENTITY_CENTER_ROLE_PATH}`)) return out;
    if (t.user) {
      for (const action of USER_CREDENTIALS) {
        const by = await this.allowed(a, [{ action, resource: t.arn }]);
        if (by) {
          out.push({ kind: "credentials", to: actorOf(t, "credentials"), hop: { action, resource: t.arn, decidedBy: by } });
          break;
        }
      }
      return out;
    }
    const retrust = await this.allowed(a, [{ action: "iam:UpdateAssumeRolePolicy", resource: t.arn }]);
    if (retrust) out.push({ kind: "retrust", to: actorOf(t, "re-trusted", { sourceIdentity: "attacker" }), hop: { action: "iam:UpdateAssumeRolePolicy", resource: t.arn, decidedBy: retrust } });
    // One edge per power the rewrite can give: the role's policies rewritten under its boundary, and
    // (for a role with a boundary) rewritten without it. The first allowed way to each is enough.
    // iam:UpdateRole changes a role's description and maximum session length, never its power: not an edge.
    const policyVersions = (arns: string[]) => arns.flatMap((resource) => POLICY_REWRITES.map((action) => ({ action, resource })));
    const ways: { dropBoundary: boolean; tries: { action: string; resource: string }[] }[] = [
      { dropBoundary: false, tries: [...ROLE_REWRITES.filter((x) => !x.includes("PermissionsBoundary")).map((action) => ({ action, resource: t.arn })), ...policyVersions(t.attachedPolicyArns)] },
      ...(t.boundary ? [{ dropBoundary: true, tries: [...ROLE_REWRITES.filter((x) => x.includes("PermissionsBoundary")).map((action) => ({ action, resource: t.arn })), ...policyVersions([t.boundary.name])] }] : []),
    ];
    for (const way of ways) {
      for (const tr of way.tries) {
        const by = await this.allowed(a, [tr]);
        if (!by) continue;
        out.push({ kind: "rewrite", to: actorOf(t, "rewritten", heldAs(t), { dropBoundary: way.dropBoundary }), hop: { action: tr.action, resource: tr.resource, decidedBy: by } });
        break;
      }
    }
    return out;
  }
}

/** A rewritten role is used by those who hold it anyway: its own function, or the broker's sessions. */
function heldAs(t: PathPrincipal): Partial<Pick<Actor, "sourceIdentity" | "sessionTags" | "sourceFunctionArn">> {
  if (t.role === ELEVATED_ROLE) return { sourceIdentity: "approved-person", sessionTags: { "jit-request-id": "approved-request" } };
  return { sourceFunctionArn: t.ownFunctionArn };
}
