// Static pre-checks that spare the IAM engine: whether any Allow statement could apply to a request,
// conditions ignored (so "no" is certain and "yes" only means "ask the engine").
import { actionLike, arnLike } from "../../iam/arnLike";
import { asArray, type PolicyDocument, type Statement } from "../../iam/types";
import type { NamedPolicy } from "../planDocuments";

function covers(st: Statement, action: string, resource: string): boolean {
  const acts = st.Action !== undefined ? asArray(st.Action).some((a) => actionLike(a, action)) : !asArray(st.NotAction).some((a) => actionLike(a, action));
  if (!acts) return false;
  if (st.Resource !== undefined) return asArray(st.Resource).some((r) => arnLike(r, resource));
  if (st.NotResource !== undefined) return !asArray(st.NotResource).some((r) => arnLike(r, resource));
  return true; // resource policies and trust policies may omit Resource
}

/** Some Allow statement of these identity policies names the action on the resource. */
export function identityMayAllow(policies: NamedPolicy[], action: string, resource: string): boolean {
  return policies.some((p) => p.policy.Statement.some((st) => st.Effect === "Allow" && covers(st, action, resource)));
}

/**
 * Some Allow statement of a resource (or trust) policy names the principal, a service, everyone, or
 * (when `account` is given: callers of another account) the principal's account. Within one account
 * a grant to the account root still needs the caller's identity policy.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
 */
export function resourceMayGrant(doc: PolicyDocument | null, principal: { arn: string; account?: string }, action: string, resource: string): boolean {
  if (!doc) return false;
  return doc.Statement.some((st) => {
    if (st.Effect !== "Allow" || !covers(st, action, resource)) return false;
    const p = st.Principal;
    if (p === undefined) return false;
    if (p === "*") return true;
    const named = [...asArray(p.AWS), ...asArray(p.Service), ...asArray(p.Federated)];
    return named.some((n) => n === "*" || arnLike(n, principal.arn) || (principal.account !== undefined && (n === principal.account || (n.startsWith("arn:") && n.endsWith(`:iam::${principal.account}:root`)))));
  });
}
