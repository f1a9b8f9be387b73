// Glob matching as IAM does it, in one place: `ArnLike` on ARNs, and `StringLike`-style globs on
// action names and plain strings. Pure: no Pulumi import, no engine.
//
// ArnLike compares an ARN field by field: "Each of the six colon-delimited components of the ARN is
// checked separately and each can include multi-character match wildcards (*) or single-character
// match wildcards (?)" — so `*` never crosses a `:` in the first five fields (partition, service,
// region, account); the sixth field (the resource) keeps its own colons and slashes.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN

const cache = new Map<string, RegExp>();

/** `*` any run of characters, `?` exactly one; everything else literal. */
export function globRegExp(glob: string, flags = ""): RegExp {
  const key = `${flags}\0${glob}`;
  let re = cache.get(key);
  if (!re) {
    re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, flags);
    if (cache.size < 10_000) cache.set(key, re);
  }
  return re;
}

// Most patterns the plan compares (ARN fields, action names) hold no wildcard: those are compared
// without a regular expression, which a large plan would otherwise build by the hundred thousand.
export const hasWildcard = (glob: string) => glob.includes("*") || glob.includes("?");

/**
 * `^literal$` with the "i" flag, without building it: one code unit for one code unit, ASCII letters
 * folded; any other pair of differing code units is left to the regular expression itself, so that
 * its case folding (not toLowerCase's) decides.
 */
function literalEqualsIgnoreCase(literal: string, value: string): boolean {
  if (literal.length !== value.length) return false;
  for (let i = 0; i < literal.length; i++) {
    const a = literal.charCodeAt(i);
    const b = value.charCodeAt(i);
    if (a === b) continue;
    if (a >= 128 || b >= 128) return globRegExp(literal, "i").test(value);
    if ((a | 32) !== (b | 32) || (a | 32) < 97 || (a | 32) > 122) return false;
  }
  return true;
}

/** A plain glob match (StringLike), case-sensitive. */
export function globLike(pattern: string, value: string): boolean {
  return hasWildcard(pattern) ? globRegExp(pattern).test(value) : pattern === value;
}

/** Splits an ARN into its six fields; the resource field keeps any further colons. */
function arnFields(s: string): string[] | undefined {
  const parts = s.split(":");
  if (parts.length < 6 || parts[0] !== "arn") return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/**
 * ArnLike: `pattern` matches `arn` field by field. A bare `*` matches anything; a pattern that is
 * not an ARN at all (a service principal, "anonymous") is a plain glob on the whole string.
 */
export function arnLike(pattern: string, arn: string): boolean {
  if (pattern === "*") return true;
  // Without a wildcard every field must equal its counterpart: the whole strings are equal.
  if (!hasWildcard(pattern)) return pattern === arn && (arnFields(pattern) !== undefined || !pattern.startsWith("arn:"));
  const p = arnFields(pattern);
  // A pattern that starts like an ARN but lacks a field matches no ARN: fields never merge.
  if (!p) return pattern.startsWith("arn:") ? false : globLike(pattern, arn);
  const a = arnFields(arn);
  if (!a) return false;
  return p.every((field, i) => globLike(field, a[i]));
}

/** An IAM action pattern (`s3:Put*`, `*`) against an action name: service and name case-insensitive. */
export function actionLike(pattern: string, action: string): boolean {
  if (pattern === "*") return true;
  return hasWildcard(pattern) ? globRegExp(pattern, "i").test(action) : literalEqualsIgnoreCase(pattern, action);
}
