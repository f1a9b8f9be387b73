// Which roles an actor could possibly have an edge to, found by lookup rather than by asking every
// role about every actor (quadratic in consumers). Sound by construction: a role is left out only
// when plan/paths/engine.ts mayAllow is certainly false for the edge's first request, so the edge
// finder (plan/paths/edges.ts) finds exactly the edges it would find trying every role; it still
// runs its own checks on every role kept.
//  - assume: mayAllow needs the caller's identity policy naming sts:AssumeRole (callers of the
//    role's own account) or the trust naming the caller, its account, or everyone. Trust names
//    without a wildcard are looked up; names with one are tried on each caller.
//  - pass-role, web-identity, rewrites: their requests carry no resource policy, so the caller's
//    identity policy must name the action, and the resource must be in the caller's account.
import { hasWildcard } from "../../iam/arnLike";
import { asArray } from "../../iam/types";
import { accountOf, type Actor } from "./engine";
import type { PathModel, PathPrincipal } from "./model";
import { allowsNaming, coversResource, identityMayName, principalNamed } from "./prune";

const ASSUME = "sts:AssumeRole";
const ROOT = /:iam::([^:]*):root$/;

export class EdgeIndex {
  /** The roles edges may lead to (plan/paths/edges.ts), in the model's order. */
  readonly roles: PathPrincipal[];
  private readonly always = new Set<number>();
  /** Trust names without a wildcard (an ARN, an account, a service) -> roles. */
  private readonly byName = new Map<string, number[]>();
  /** Accounts whose root a trust names -> roles. */
  private readonly byRoot = new Map<string, number[]>();
  /** Trust names with a wildcard, tried on each caller. */
  private readonly patterns: { name: string; role: number }[] = [];
  /** Account -> the roles of it, and the roles a rewrite of which acts on a resource of it (the role, its attached policies, its boundary). */
  private readonly byAccount = new Map<string, number[]>();
  private readonly byRewriteAccount = new Map<string, number[]>();
  private readonly roleAccount: string[];
  private readonly all: number[];
  private readonly position = new Map<string, number>();
  /** Roles with a trust policy: the targets of assume, pass-role and web-identity edges. */
  readonly trustTargets: number;

  /** `exhaustive` keeps every role for every actor (the reference the index is tested against). */
  constructor(
    m: PathModel,
    private readonly exhaustive = false,
  ) {
    this.roles = m.principals.filter((t) => t.id === t.arn && (t.kind === "stack-role" || t.kind === "human"));
    this.all = this.roles.map((_, i) => i);
    this.roles.forEach((t, i) => this.position.set(t.id, i));
    this.trustTargets = this.roles.filter((t) => t.trust && !t.user).length;
    const push = (map: Map<string, number[]>, k: string, i: number) => {
      const list = map.get(k);
      if (!list) map.set(k, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    };
    this.roles.forEach((t, i) => {
      if (!t.trust) return;
      for (const st of allowsNaming(t.trust, ASSUME)) {
        if (!coversResource(st, t.arn)) continue;
        // NotPrincipal with Allow trusts everyone it does not name: tried on every caller.
        if (st.Principal === undefined) {
          if (st.NotPrincipal !== undefined) this.always.add(i);
          continue;
        }
        if (st.Principal === "*") {
          this.always.add(i);
          continue;
        }
        for (const n of [...asArray(st.Principal.AWS), ...asArray(st.Principal.Service), ...asArray(st.Principal.Federated)]) {
          if (n === "*") this.always.add(i);
          else if (hasWildcard(n)) this.patterns.push({ name: n, role: i });
          else {
            push(this.byName, n, i);
            const root = n.startsWith("arn:") ? ROOT.exec(n) : null;
            if (root) push(this.byRoot, root[1], i);
          }
        }
      }
    });
    const acct = (arn: string) => accountOf(arn) ?? m.accountId;
    this.roleAccount = this.roles.map((t) => acct(t.arn));
    this.roleAccount.forEach((account, i) => push(this.byAccount, account, i));
    this.roles.forEach((t, i) => {
      for (const account of new Set([t.arn, ...t.attachedPolicyArns, ...(t.boundary ? [t.boundary.name] : [])].map(acct))) push(this.byRewriteAccount, account, i);
    });
  }

  /** Roles in the caller's account (all of them for a caller with no account): the only ones pass-role and web-identity edges may reach. */
  sameAccountRoles(p: PathPrincipal): readonly number[] {
    if (this.exhaustive) return this.all;
    const account = accountOf(p.arn);
    return p.kind === "service" || account === undefined ? this.all : (this.byAccount.get(account) ?? []);
  }

  /** Roles some resource of whose rewrite (the role, its attached policies, its boundary) is in the caller's account: the only ones a rewrite may reach. */
  rewritableRoles(p: PathPrincipal): readonly number[] {
    if (this.exhaustive) return this.all;
    const account = accountOf(p.arn);
    return p.kind === "service" || account === undefined ? this.all : (this.byRewriteAccount.get(account) ?? []);
  }

  /** The roles (indexes into `roles`) whose trust could let this actor assume them; a superset, never fewer. */
  assumable(a: Actor): Set<number> {
    if (this.exhaustive) return new Set(this.roles.keys());
    const p = a.principal;
    const account = accountOf(p.arn);
    const out = new Set(this.always);
    const add = (list: number[] | undefined) => list?.forEach((i) => out.add(i));
    add(this.byName.get(p.arn));
    if (account !== undefined) {
      add(this.byName.get(account));
      add(this.byRoot.get(account));
    }
    for (const { name, role } of this.patterns) if (principalNamed(name, { arn: p.arn, account })) out.add(role);
    // Within its own account a caller's identity policy may be enough (anonymous has none).
    if (p.kind !== "anonymous" && identityMayName(a.identityPolicies, ASSUME)) for (const i of this.sameAccountRoles(p)) out.add(i);
    return out;
  }

  /** Whether the caller's identity policies name one of these actions at all: requests without a resource policy need it (the account is checked per role). */
  mayAct(a: Actor, actions: readonly string[]): boolean {
    if (this.exhaustive) return true;
    return a.principal.kind !== "anonymous" && actions.some((x) => identityMayName(a.identityPolicies, x));
  }

  /** The actor's own role, if it is one of `roles` (no edge leads from a role to itself). */
  selfOf(p: PathPrincipal): PathPrincipal | undefined {
    const i = this.position.get(p.id);
    return i === undefined ? undefined : this.roles[i];
  }
}
