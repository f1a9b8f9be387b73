// The people of the workload config under the org SCPs: which of their principals the SCPs' people
// patterns cover (or Identity Center does), and one covered role for a row.
import type { OrgConfig } from "../config/org";
import { isIdentityCenterRole, personCovered, personPrincipal } from "../iam/scp";
import { type ScpHookTarget } from "./scpApply";

/** Every ARN (or ARN glob) the workload config names as a person, with the key that names it (`person:NAME` entries point into jit.people). */
export function peopleArns(config: ScpHookTarget["config"]): { key: string; arn: string }[] {
  const out: { key: string; arn: string }[] = [];
  const walk = (key: string, v: unknown): void => {
    if (typeof v === "string") {
      if (v.startsWith("arn:")) out.push({ key, arn: v });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(`${key}[${i}]`, x));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(`${key}.${k}`, x);
  };
  // jit.people maps a person to roles only they can assume: re-trusting one makes anyone that person.
  for (const k of ["people", "requesters", "approvers", "breakGlass"] as const) walk(`jit.${k}`, config.jit?.[k] ?? []);
  walk("publisher.trustedPrincipals", config.access?.publisher?.trustedPrincipals ?? []);
  return out;
}

/**
 * The people's principals the org's SCPs leave open: a role that is neither an Identity Center role
 * nor covered by organization.humanRolePatterns (an administrator could re-trust it and act as that
 * person), a user outside organization.humanUserPatterns, or a principal that is neither.
 */
export function uncoveredPeople(config: ScpHookTarget["config"], org: Pick<OrgConfig, "humanRolePatterns" | "humanUserPatterns">): string[] {
  const problems: string[] = [];
  for (const { key, arn } of peopleArns(config)) {
    const p = personPrincipal(arn);
    if (personCovered(p, org)) continue;
    if (p.kind === "role")
      problems.push(`${key}: role ${p.pathOrName} (${arn}) is not an IAM Identity Center role and no organization.humanRolePatterns entry covers it: an administrator could re-trust it and act as that person`);
    else if (p.kind === "user")
      problems.push(`${key}: IAM user ${p.pathOrName} (${arn}) is not covered by organization.humanUserPatterns: an administrator could mint its keys or remove its MFA`);
    else problems.push(`${key}: ${arn} is neither a role nor an IAM user, so no SCP can keep it from being taken over`);
  }
  return problems;
}

/** A people's role of the workload account that the SCPs cover (not an Identity Center one), for a row. */
export function coveredPersonRole(config: ScpHookTarget["config"], org: Pick<OrgConfig, "partition" | "humanRolePatterns" | "humanUserPatterns">): string | undefined {
  for (const { arn } of peopleArns(config)) {
    const p = personPrincipal(arn);
    if (p.kind !== "role" || /[*?]/.test(p.pathOrName) || isIdentityCenterRole(p) || !personCovered(p, org)) continue;
    return `arn:${org.partition}:iam::${config.accountId}:role/${p.pathOrName}`;
  }
  return undefined;
}
