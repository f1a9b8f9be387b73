// Conditions that make a statement "not public", after Amazon S3's published definition of a
// public policy (S3 User Guide, "The meaning of public"): a statement with a wildcard principal is
// still non-public when a condition fixes one of the keys below to values without wildcards.
// Wildcarded values, negated operators (StringNotEquals...), `...IfExists` (passes when the key is
// absent) and `ForAllValues:` (passes on an empty set) do not pin anything.

import { arnPinned } from "./arn-pins";
import type { Condition, Statement } from "./document";

/**
 * The one list of keys that, fixed, keep a wildcard-principal statement from being public.
 * Source 1, S3 User Guide, "The meaning of public"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html#access-control-block-public-access-policy-status):
 * aws:SourceIp (not too wide), aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner,
 * aws:SourceAccount, s3:x-amz-server-side-encryption-aws-kms-key-id, aws:userid (outside
 * "AROLEID:*"), s3:DataAccessPointArn, s3:DataAccessPointAccount.
 * Source 2, IAM Access Analyzer, which judges every resource type and also treats a fixed
 * principal identity as non-public (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-concepts.html):
 * aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID, and kms:CallerAccount, the key
 * AWS-managed KMS keys use to restrict `"AWS": "*"` to one account
 * (https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-caller-account).
 */
export const PIN_KEYS: ReadonlySet<string> = new Set([
  "aws:sourceip",
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:sourceowner",
  "aws:sourceaccount",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
  "aws:userid",
  "s3:dataaccesspointarn",
  "s3:dataaccesspointaccount",
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principalorgid",
  "kms:calleraccount",
]);

/** Keys holding an ARN: a wildcard after a fixed account and resource id still pins (see arnPinned). */
const ARN_KEYS: ReadonlySet<string> = new Set(["aws:sourcearn", "aws:principalarn", "s3:dataaccesspointarn"]);

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
  if (ARN_KEYS.has(c.key)) return c.values.every((v) => !hasWildcard(v) || arnPinned(v));
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

/** A condition on `key` with a positive operator (not IfExists, not ForAllValues, not negated). */
export function positive(c: Condition): boolean {
  const op = pinningOperator(c.operator);
  return op !== undefined && op !== "ipaddress" && c.values.length > 0;
}
