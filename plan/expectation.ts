// When an answer keeps the promise its question carries: the one definition the design matrix
// (plan/access.ts) and the SCP rows (plan/scpRows.ts) share. How a broken promise is reported
// differs: the design matrix warns when only explicit and implicit denials differ.
import type { AccessCell, AccessDecision } from "./types";

export type Expected = NonNullable<AccessCell["expected"]>;

/** The decision is the one promised ("AllowedOrDenied" promises nothing). */
export function meetsExpectation(expected: Expected, decision: AccessDecision): boolean {
  return expected === "AllowedOrDenied" || expected === decision;
}

/** A cell with a promise it does not keep. */
export function breaksExpectation(c: Pick<AccessCell, "expected" | "decision">): boolean {
  return c.expected !== undefined && !meetsExpectation(c.expected, c.decision);
}
