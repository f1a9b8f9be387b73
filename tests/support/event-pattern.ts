// A small EventBridge pattern matcher for the alarm tests: the subset of the content-filter grammar the
// alarm patterns use, with EventBridge's semantics
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html,
// https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html):
// - every field of the pattern must match (AND), each field's list is OR;
// - an array in the event matches when any element matches; arrays of objects are walked element-wise;
// - a field missing from the event matches only { exists: false };
// - anything-but never matches a missing field; $or takes alternative sub-patterns at that level.
// No npm package implements this grammar offline with a permissive licence at the time of writing.
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

type Matcher = Json | { prefix?: string; suffix?: string; exists?: boolean; "anything-but"?: Json };

const MISSING = Symbol("missing");
type Val = Json | typeof MISSING;

function leafValues(v: Val): Val[] {
  if (v === MISSING) return [MISSING];
  return Array.isArray(v) ? (v.length ? v : [MISSING]) : [v];
}

function matchOne(m: Matcher, v: Val): boolean {
  if (m !== null && typeof m === "object" && !Array.isArray(m)) {
    if ("exists" in m) return m.exists ? v !== MISSING : v === MISSING;
    if (v === MISSING) return false;
    if ("prefix" in m) return typeof v === "string" && v.startsWith(m.prefix as string);
    if ("suffix" in m) return typeof v === "string" && v.endsWith(m.suffix as string);
    if ("anything-but" in m) {
      const ab = m["anything-but"];
      if (ab !== null && typeof ab === "object" && !Array.isArray(ab) && "prefix" in ab) {
        return typeof v === "string" && !v.startsWith(ab.prefix as string);
      }
      const list = Array.isArray(ab) ? ab : [ab];
      return !list.some((x) => x === v);
    }
    throw new Error(`unsupported matcher ${JSON.stringify(m)}`);
  }
  return v !== MISSING && m === v;
}

function get(obj: Val, key: string): Val[] {
  if (obj === MISSING || obj === null || typeof obj !== "object") return [MISSING];
  if (Array.isArray(obj)) {
    const out = obj.flatMap((e) => get(e, key));
    return out.length ? out : [MISSING];
  }
  return key in obj ? [obj[key]] : [MISSING];
}

function matchAt(pattern: Record<string, unknown>, nodes: Val[]): boolean {
  return Object.entries(pattern).every(([key, p]) => {
    if (key === "$or") {
      return (p as Record<string, unknown>[]).some((alt) => matchAt(alt, nodes));
    }
    const children = nodes.flatMap((n) => get(n, key));
    if (Array.isArray(p)) {
      // A field that is an object in the event cannot match a leaf list.
      return children.some((c) => leafValues(c).some((v) => (p as Matcher[]).some((m) => matchOne(m, v))));
    }
    const present = children.filter((c) => c !== MISSING);
    // A nested pattern over a missing object still lets { exists: false } leaves match.
    return matchAt(p as Record<string, unknown>, present.length ? present : [MISSING]);
  });
}

export function matchesPattern(pattern: object, event: object): boolean {
  return matchAt(pattern as Record<string, unknown>, [event as Json]);
}
