// Static pre-checks that spare the IAM engine: whether any Allow statement could apply to a request,
// conditions ignored (so "no" is certain and "yes" only means "ask the engine").
import { actionLike, arnLike } from "../../iam/arnLike";
import { asArray, type PolicyDocument, type Statement } from "../../iam/types";
import type { NamedPolicy } from "../planDocuments";

export function coversAction(st: Statement, action: string): boolean {
  return st.Action !== undefined ? asArray(st.Action).some((a) => actionLike(a, action)) : !asArray(st.NotAction).some((a) => actionLike(a, action));
}

export function coversResource(st: Statement, resource: string): boolean {
  if (st.Resource !== undefined) return asArray(st.Resource).some((r) => arnLike(r, resource));
  if (st.NotResource !== undefined) return !asArray(st.NotResource).some((r) => arnLike(r, resource));
  return true; // resource policies and trust policies may omit Resource
}

// Per document and action, its Allow statements naming the action: a large plan asks every
// principal's few documents about the same dozen actions for every role, so each document's answer
// is worked out once. Keyed by the document object, which the plan never edits once read.
const allowsByAction = new WeakMap<PolicyDocument, Map<string, Statement[]>>();

/** The Allow statements of a document whose Action (or NotAction) covers the action. */
export function allowsNaming(doc: PolicyDocument, action: string): Statement[] {
  let byAction = allowsByAction.get(doc);
  if (!byAction) allowsByAction.set(doc, (byAction = new Map()));
  let sts = byAction.get(action);
  if (!sts) byAction.set(action, (sts = doc.Statement.filter((st) => st.Effect === "Allow" && coversAction(st, action))));
  return sts;
}

/** Some Allow statement of these identity policies names the action on the resource. */
export function identityMayAllow(policies: NamedPolicy[], action: string, resource: string): boolean {
  return policies.some((p) => allowsNaming(p.policy, action).some((st) => coversResource(st, resource)));
}

/** Some Allow statement of these identity policies names the action, on any resource: without it, identityMayAllow is false for every resource. */
export function identityMayName(policies: NamedPolicy[], action: string): boolean {
  return policies.some((p) => allowsNaming(p.policy, action).length > 0);
}

/**
 * Some Allow statement of a resource (or trust) policy names the principal, a service, everyone, or
 * (when `account` is given: callers of another account) the principal's account. Within one account
 * a grant to the account root still needs the caller's identity policy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function resourceMayGrant(doc: PolicyDocument | null, principal: { arn: string; account?: string }, action: string, resource: string): boolean {
  if (!doc) return false;
  return allowsNaming(doc, action).some((st) => {
    if (!coversResource(st, resource)) return false;
    const p = st.Principal;
    // NotPrincipal with Allow grants everyone it does not name: never certainly refused.
    if (p === undefined) return st.NotPrincipal !== undefined;
    if (p === "*") return true;
    const named = [...asArray(p.AWS), ...asArray(p.Service), ...asArray(p.Federated)];
    return named.some((n) => principalNamed(n, principal));
  });
}

/** A principal name of a policy statement matches the principal (or, when `account` is given, its account). */
export function principalNamed(n: string, principal: { arn: string; account?: string }): boolean {
  return n === "*" || arnLike(n, principal.arn) || (principal.account !== undefined && (n === principal.account || (n.startsWith("arn:") && n.endsWith(`:iam::${principal.account}:root`))));
}
