// Whether the SCPs' people patterns cover a person's principal of the workload config (or AWS itself
// does, for Identity Center roles). Pure.
import { IDENTITY_CENTER_ROLE_PATH, IDENTITY_CENTER_ROLE_PREFIX } from "./arns";
import { patternCovers } from "./scpPatterns";

export function isIdentityCenterRole(p: { pathOrName: string; name: string }): boolean {
  if (!p.name.startsWith(IDENTITY_CENTER_ROLE_PREFIX)) return false;
  return p.pathOrName === p.name || p.pathOrName.startsWith(IDENTITY_CENTER_ROLE_PATH);
}

export type PersonPrincipal =
  | { kind: "role"; /** path/name as in a role ARN, or the bare name of an assumed-role ARN (which carries no path) */ pathOrName: string; name: string }
  | { kind: "user"; pathOrName: string }
  | { kind: "other" };

/** What a people's principal ARN (or ARN glob) of the workload config is, for the SCPs' purposes. */
export function personPrincipal(arn: string): PersonPrincipal {
  const m = /^arn:[^:]+:(iam|sts)::[^:]*:(role|user|assumed-role)\/(.+)$/.exec(arn);
  if (!m) return { kind: "other" };
  const [, , type, rest] = m;
  if (type === "user") return { kind: "user", pathOrName: rest };
  // assumed-role/<role name>/<session name>: the role's path is not in it.
  const pathOrName = type === "assumed-role" ? rest.split("/")[0] : rest;
  return { kind: "role", pathOrName, name: pathOrName.split("/").pop() ?? pathOrName };
}

/**
 * Whether the SCPs' people patterns (or AWS itself, for Identity Center roles) keep this principal
 * from being re-trusted, re-policied or given new credentials. An assumed-role ARN is checked by the
 * role's name, i.e. as a role with the path "/": a role under a longer path needs its role ARN in
 * the config or a pattern that covers the bare name.
 */
export function personCovered(p: PersonPrincipal, patterns: { humanRolePatterns?: string[]; humanUserPatterns?: string[] }): boolean {
  if (p.kind === "other") return false;
  if (p.kind === "role" && isIdentityCenterRole(p)) return true;
  const list = p.kind === "role" ? patterns.humanRolePatterns ?? [] : patterns.humanUserPatterns ?? [];
  return list.some((pat) => patternCovers(pat, p.pathOrName));
}
