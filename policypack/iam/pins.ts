// Conditions that make a statement "not public", after Amazon S3's published definition of a
// public policy (S3 User Guide, "The meaning of public"): a statement with a wildcard principal is
// still non-public when a condition fixes one of the keys below to values without wildcards.
// Wildcarded values, negated operators (StringNotEquals...), `...IfExists` (passes when the key is
// absent) and `ForAllValues:` (passes on an empty set) do not pin anything.

import type { Condition, Statement } from "./document";

const PIN_KEYS: ReadonlySet<string> = new Set([
  "aws:sourcearn",
  "aws:sourceaccount",
  "aws:sourceowner",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:principalorgid",
  "aws:principalaccount",
  "aws:userid",
  "aws:sourceip",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
]);

const POSITIVE_OPERATORS: ReadonlySet<string> = new Set([
  "stringequals",
  "stringequalsignorecase",
  "stringlike",
  "arnequals",
  "arnlike",
  "ipaddress",
]);

/** The operator without `ForAnyValue:`, lower case; undefined when it cannot pin. */
function pinningOperator(op: string): string | undefined {
  let o = op.toLowerCase();
  if (o.startsWith("forallvalues:")) return undefined;
  if (o.startsWith("foranyvalue:")) o = o.slice("foranyvalue:".length);
  if (o.endsWith("ifexists")) return undefined;
  return POSITIVE_OPERATORS.has(o) ? o : undefined;
}

function hasWildcard(v: string): boolean {
  return v.includes("*") || v.includes("?");
}

// S3 treats a source-IP range as public when it is very wide; we draw the line at IPv4 prefixes
// shorter than /8 and IPv6 prefixes shorter than /32 (0.0.0.0/0 and ::/0 included).
export function isWideCidr(v: string): boolean {
  const slash = v.indexOf("/");
  if (slash < 0) return false;
  const bits = Number(v.slice(slash + 1));
  if (!Number.isInteger(bits)) return true;
  return v.includes(":") ? bits < 32 : bits < 8;
}

function fixed(c: Condition): boolean {
  if (c.values.length === 0) return false;
  const op = pinningOperator(c.operator);
  if (!op) return false;
  if (c.key === "aws:sourceip") return op === "ipaddress" && c.values.every((v) => !isWideCidr(v));
  if (op === "ipaddress") return false;
  // "AROLEID:*" (every session of one role) is the one wildcard S3 accepts for aws:userid.
  if (c.key === "aws:userid") return c.values.every((v) => !hasWildcard(v.endsWith(":*") ? v.slice(0, -2) : v));
  return c.values.every((v) => !hasWildcard(v));
}

function pins(c: Condition): boolean {
  return PIN_KEYS.has(c.key) && fixed(c);
}

/** A condition that keeps a wildcard-principal statement non-public, or undefined. */
export function publicPin(st: Statement): Condition | undefined {
  return st.conditions.find(pins);
}

const SERVICE_PIN_KEYS: ReadonlySet<string> = new Set(["aws:sourceaccount", "aws:sourcearn", "aws:sourceorgid", "aws:sourceowner"]);

/** Confused-deputy protection for service principals: a fixed aws:SourceAccount or aws:SourceArn. */
export function servicePin(st: Statement): Condition | undefined {
  return st.conditions.find((c) => SERVICE_PIN_KEYS.has(c.key) && fixed(c));
}

/** OIDC trust: is `<provider>:<claim>` fixed by a positive operator? */
export function claimPinned(st: Statement, claim: "sub" | "aud"): boolean {
  const suffix = `:${claim}`;
  return st.conditions.some((c) => {
    if (!c.key.endsWith(suffix) || c.key.startsWith("aws:")) return false;
    const op = pinningOperator(c.operator);
    if (!op || op === "ipaddress" || c.values.length === 0) return false;
    // A wildcard is acceptable only after a literal prefix that names an owner ("repo:org/...");
    // "repo:*" or "*" lets every repository of the identity provider in.
    return c.values.every((v) => {
      const first = v.search(/[*?]/);
      return first < 0 || v.slice(0, first).includes("/");
    });
  });
}
