// When an answer keeps the promise its question carries: the one definition the design matrix
// (plan/access.ts), the SCP rows (plan/scpRows.ts) and every renderer (text, HTML, diff) share.
// How a broken promise is reported differs by set: the design matrix only warns when the answer is a
// denial of another kind than designed (stricter, or denied for lack of an Allow where an explicit
// deny was designed): nobody gains or loses access, only which policy says no changes.
import type { AccessCell, AccessDecision } from "./types";

export type Expected = NonNullable<AccessCell["expected"]>;

/** "breach" breaks the promise; "warning" only differs in which policy says no. */
export type Mark = "breach" | "warning" | null;

/** The decision is the one promised ("AllowedOrDenied" promises nothing). */
export function meetsExpectation(expected: Expected, decision: AccessDecision): boolean {
  return expected === "AllowedOrDenied" || expected === decision;
}

/** A cell with a promise it does not keep (a warning or a breach). */
export function breaksExpectation(c: Pick<AccessCell, "expected" | "decision">): boolean {
  return c.expected !== undefined && !meetsExpectation(c.expected, c.decision);
}

/**
 * The shared rule: a broken promise is a breach when access differs (an Allow where a denial was
 * promised, or a promised Allow refused); two denials of different kinds are a warning, unless the set
 * promises the kind of denial too (the SCP rows: "keeps exactly its rights").
 */
export function markOf(expected: Expected, decision: AccessDecision, denyKindMatters: boolean): Mark {
  if (meetsExpectation(expected, decision)) return null;
  return denyKindMatters || decision === "Allowed" || expected === "Allowed" ? "breach" : "warning";
}

/**
 * Whether a set's promise covers the kind of denial. The design matrix does not (its questions say
 * denyKindMatters: false, tests/review-expectation.spec.ts ties the two); any other set, including one
 * added later, does: the strict reading, so an unknown kind never hides a breach.
 */
export function denyKindMatters(kind: AccessCell["kind"]): boolean {
  return (kind ?? "design") !== "design";
}

/** The mark of an evaluated row of any set, from the plan JSON alone. */
export function markOfRow(c: Pick<AccessCell, "expected" | "decision" | "kind">): Mark {
  return c.expected === undefined ? null : markOf(c.expected, c.decision, denyKindMatters(c.kind));
}

/** "stricter": explicitly denied where only no Allow was designed; "weaker": the other way round. */
export function warningKind(c: Pick<AccessCell, "expected" | "decision">): "stricter" | "weaker" | null {
  if (c.expected === "ImplicitlyDenied" && c.decision === "ExplicitlyDenied") return "stricter";
  if (c.expected === "ExplicitlyDenied" && c.decision === "ImplicitlyDenied") return "weaker";
  return null;
}
