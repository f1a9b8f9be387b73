// Who a caller is, as a person (jit/README.md "Identity model"), and what a config entry can
// denote. Pure: the Lambda, the sandbox, the state machine and config/jit.ts all use these.
import type { JitPersonConfig } from "../config/jit";
import type { Caller, Person } from "./types";
import { JitError } from "./errors";
import { createHash } from "crypto";
import { arnLike } from "../iam/arnLike";
import { IDENTITY_CENTER_ROLE_PREFIX } from "../iam/arns";

/** STS SourceIdentity / session-name alphabet and length (the person's name becomes the SourceIdentity). */
// https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html (SourceIdentity: [\w+=,.@-]*, 2-64)
export const PERSON_NAME = /^[\w+=,.@-]{2,64}$/;

/**
 * IAM Identity Center creates one role per permission set and account, named
 * `AWSReservedSSO_<PermissionSet>_<suffix>` under the path `/aws-reserved/sso.amazonaws.com/`, and
 * only Identity Center may modify it; it names each session after the signed-in user.
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/referencingpermissionsets.html
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/using-service-linked-roles.html
 * https://docs.aws.amazon.com/singlesignon/latest/userguide/sso-cloudtrail-use-cases.html
 * (IDENTITY_CENTER_ROLE_PREFIX lives in iam/arns.ts; the org SCPs forbid look-alikes.)
 */

/** A config entry naming a person of `jit.people`. */
export const PERSON_ENTRY_PREFIX = "person:";

/** `aws:userid` of a principal: `AIDA…` for an IAM user, `AROA…:<session>` for a role session.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html#principaltable
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids */
const USER_ID = /^AIDA[A-Z0-9]{12,124}$/;
const ROLE_ID = /^AROA[A-Z0-9]{12,124}$/;

interface PrincipalArn {
  partition: string;
  account: string;
  kind: "user" | "assumed-role";
  /** IAM user name, or the role's name (an assumed-role ARN carries no role path). */
  name: string;
  session?: string;
}

function parsePrincipalArn(arn: string): PrincipalArn | undefined {
  const m = /^arn:(aws|aws-cn|aws-us-gov):(iam|sts)::(\d{12}):(user|assumed-role)\/([\w+=,.@\-/]+)$/.exec(arn);
  if (!m) return undefined;
  const [, partition, service, account, k, rest] = m;
  const kind = k as PrincipalArn["kind"];
  const parts = rest.split("/");
  if (kind === "user") return service === "iam" ? { partition, account, kind, name: parts[parts.length - 1] } : undefined;
  if (service !== "sts" || parts.length !== 2 || !parts[0] || !parts[1]) return undefined;
  return { partition, account, kind, name: parts[0], session: parts[1] };
}

/** `arn:P:iam::A:role/[path/]NAME` -> partition, account, name (role names are unique per account, whatever the path). */
function parseRoleArn(arn: string): { partition: string; account: string; name: string } | undefined {
  const m = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/.exec(arn);
  return m ? { partition: m[1], account: m[2], name: m[3] } : undefined;
}

/** The person whose `principals` list this role (by partition, account and name) or this exact user ARN. */
function mappedTo(people: readonly JitPersonConfig[], role: { partition: string; account: string; name: string } | { userArn: string }): JitPersonConfig | undefined {
  return people.find((person) =>
    person.principals.some((principal) => {
      if ("userArn" in role) return principal === role.userArn;
      const r = parseRoleArn(principal);
      return r !== undefined && r.partition === role.partition && r.account === role.account && r.name === role.name;
    }),
  );
}

function personName(name: string, arn: string): string {
  if (!PERSON_NAME.test(name) || name.toLowerCase().startsWith("aws:"))
    throw new JitError("forbidden", `caller ${arn}: '${name}' cannot be an STS source identity (2-64 characters [A-Za-z0-9_+=,.@-])`);
  return name;
}

/**
 * The caller behind a SigV4 identity, from the two facts the function URL's IAM authorizer
 * supplies (`userArn`, `userId`). They must agree (a role session's id ends in its session name,
 * an IAM user's id is an AIDA id), or the event did not come from the authorizer.
 */
export function callerFromPrincipal(arn: string, principalId: string, people: readonly JitPersonConfig[] = []): Caller {
  const p = parsePrincipalArn(arn);
  if (!p) throw new JitError("forbidden", `caller ${arn} is not an IAM user or an assumed-role session`);
  const [uniqueId, idSession, ...extra] = principalId.split(":");
  const consistent = p.kind === "user" ? USER_ID.test(principalId) : ROLE_ID.test(uniqueId) && idSession === p.session && extra.length === 0;
  if (!consistent) throw new JitError("forbidden", `caller ${arn}: principal id ${principalId} is not the id of that ${p.kind === "user" ? "IAM user" : "role session"}`);
  const mapped = mappedTo(people, p.kind === "user" ? { userArn: arn } : p);
  let person: Person;
  if (mapped) person = { key: `person:${mapped.name}`, name: mapped.name, kind: "mapped" };
  else if (p.kind === "user") person = { key: `iam-user:${arn}#${principalId}`, name: personName(p.name, arn), kind: "iam-user" };
  else if (p.name.startsWith(IDENTITY_CENTER_ROLE_PREFIX)) {
    // Identity Center sets the session name to the username: the same user under two permission
    // sets (two roles) is one person. Lower-cased so that distinctness fails closed.
    const username = personName(p.session as string, arn);
    person = { key: `identity-center:${p.partition}:${username.toLowerCase()}`, name: username, kind: "identity-center" };
  } else {
    // Whoever assumes an ordinary role picks the session name: every session of it is ONE person.
    person = { key: `role:${p.partition}:${p.account}:${p.name}`, name: personName(p.session as string, arn), kind: "role-session" };
  }
  return { arn, principalId, person };
}

/** Sandbox `--as NAME`: loudly fake ARNs so they can never be mistaken for real ones. */
export function sandboxCaller(name: string): Caller {
  if (!PERSON_NAME.test(name)) throw new JitError("bad-request", `--as '${name}': expected 2-64 characters [A-Za-z0-9_+=,.@-]`);
  return { arn: `arn:sandbox:::user/${name}`, principalId: `SANDBOX:${name}`, person: { key: `sandbox:${name}`, name, kind: "sandbox" } };
}

/** Sandbox `--as-arn` without `--principal-id`: a stable id of the right shape, derived from the ARN. */
export function sandboxPrincipalId(arn: string): string {
  const p = parsePrincipalArn(arn);
  if (!p) throw new JitError("bad-request", `--as-arn ${arn}: expected an IAM user ARN or an assumed-role session ARN`);
  const base = p.kind === "user" ? arn : `${p.partition}:${p.account}:${p.name}`;
  const id = createHash("sha256").update(base).digest("hex").toUpperCase().slice(0, 17);
  return p.kind === "user" ? `AIDA${id}` : `AROA${id}:${p.session}`;
}

/**
 * Whether a caller is one of `entries`: an ARN glob on the authenticated ARN, `person:NAME` for a
 * mapped person, `*`, or (dev only, warned) a bare name compared with the person's name.
 */
export function matches(entries: readonly string[], caller: Caller): boolean {
  return entries.some((e) => {
    if (e === "*") return true;
    if (e.startsWith(PERSON_ENTRY_PREFIX)) return caller.person.kind === "mapped" && caller.person.name === e.slice(PERSON_ENTRY_PREFIX.length);
    // ArnLike, as IAM compares the same entries: `*` never crosses a field of the ARN.
    if (e.startsWith("arn:")) return arnLike(e, caller.arn);
    return e === caller.person.name;
  });
}

/** What a config entry can denote, for config validation (config/jit.ts). */
export interface EntryClass {
  /** How many distinct persons it can denote: 1 for an exact entry, Infinity for a pattern over many. */
  persons: number;
  /** The person an exact entry denotes (a config-time key: duplicates compare it). */
  personKey?: string;
  /** Set when a caller can choose the identity the entry matches: why (refused in prod, warned in dev). */
  selfChosen?: string;
  /** Set when the entry is malformed or can never match a caller. */
  problem?: string;
}

const wild = (s: string): boolean => /[*?]/.test(s);
const literalPrefix = (s: string): string => s.split(/[*?]/)[0];

export function classifyEntry(entry: string, people: readonly JitPersonConfig[]): EntryClass {
  const USE = "use an Identity Center pattern (assumed-role/AWSReservedSSO_<PermissionSet>_*/*), an IAM user ARN, or person:NAME with jit.people";
  if (entry === "*") return { persons: Infinity, selfChosen: `"*" admits every authenticated caller under whatever session name it picks; ${USE}` };
  if (entry.startsWith(PERSON_ENTRY_PREFIX)) {
    const name = entry.slice(PERSON_ENTRY_PREFIX.length);
    return people.some((p) => p.name === name) ? { persons: 1, personKey: `person:${name}` } : { persons: 0, problem: `names no person of jit.people (${people.map((p) => p.name).join(", ") || "none"})` };
  }
  if (!entry.startsWith("arn:")) {
    return { persons: 1, personKey: `name:${entry}`, selfChosen: `the bare name '${entry}' matches any IAM user or role session given that name, and whoever assumes a role picks its session name; ${USE}` };
  }
  const m = /^arn:([^:]+):(iam|sts)::([^:]+):(user|assumed-role|role)\/(.+)$/.exec(entry);
  const SHAPES = "expected an IAM user ARN (arn:aws:iam::ACCOUNT:user/NAME), an assumed-role session pattern (arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION) or person:NAME";
  if (!m) return { persons: 0, problem: SHAPES };
  const [, partition, service, account, kind, rest] = m;
  if (kind === "role")
    return { persons: 0, problem: `a role ARN never matches a caller (callers are sessions, arn:${partition}:sts::${account}:assumed-role/ROLE/SESSION); map the role to its one person in jit.people and write person:NAME` };
  if (kind === "user") {
    if (service !== "iam") return { persons: 0, problem: SHAPES };
    if (wild(entry)) return { persons: Infinity };
    const mapped = mappedTo(people, { userArn: entry });
    return { persons: 1, personKey: mapped ? `person:${mapped.name}` : `iam-user:${entry}` };
  }
  const slash = rest.indexOf("/");
  if (service !== "sts" || slash <= 0 || slash === rest.length - 1) return { persons: 0, problem: SHAPES };
  const role = rest.slice(0, slash);
  const sessionPart = rest.slice(slash + 1);
  if (literalPrefix(role).startsWith(IDENTITY_CENTER_ROLE_PREFIX)) {
    return wild(sessionPart) ? { persons: Infinity } : { persons: 1, personKey: `identity-center:${partition}:${sessionPart.toLowerCase()}` };
  }
  if (!wild(role) && !wild(account)) {
    const mapped = mappedTo(people, { partition, account, name: role });
    if (mapped) return { persons: 1, personKey: `person:${mapped.name}` };
  }
  return {
    persons: wild(role) || wild(account) ? Infinity : 1,
    ...(wild(role) || wild(account) ? {} : { personKey: `role:${partition}:${account}:${role}` }),
    selfChosen: `sessions of role ${role} are named by whoever assumes it, so ${wild(sessionPart) ? "its sessions are" : `the session name '${sessionPart}' is`} not a person (all sessions of an unmapped role count as one); ${USE}`,
  };
}

/** Checks one `jit.people` principal: an exact IAM role or user ARN that one person alone can use. */
export function personPrincipalProblem(arn: string): string | undefined {
  if (wild(arn)) return "expected an exact IAM role or user ARN (no wildcards): every principal listed must belong to this one person";
  const role = parseRoleArn(arn);
  if (role) {
    return role.name.startsWith(IDENTITY_CENTER_ROLE_PREFIX)
      ? "an Identity Center role is shared by every user of its permission set; its sessions are already persons (by username), do not map them"
      : undefined;
  }
  return /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:user\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]{1,64}$/.test(arn)
    ? undefined
    : "expected an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME) or IAM user ARN (arn:aws:iam::ACCOUNT:user/NAME)";
}

/** Two principals of jit.people that denote the same IAM identity (a role is its account + name). */
export function samePrincipal(a: string, b: string): boolean {
  const ra = parseRoleArn(a);
  const rb = parseRoleArn(b);
  if (ra && rb) return ra.partition === rb.partition && ra.account === rb.account && ra.name === rb.name;
  return a === b;
}
