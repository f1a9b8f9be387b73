// The one text renderer of evaluated question rows (plan.access): rows of one question set, grouped
// by the principal's label under a "label  principal" line, one line per row in the set's columns.
// The design matrix (plan/accessRender.ts) and the SCP rows (plan/scpRender.ts) give only their columns.
import { breaksExpectation } from "./expectation";
import type { AccessCell, AccessKind, Plan } from "./types";

/** The rows of one question set; a plan written before `kind` existed holds design rows only. */
export function rowsOfKind(plan: Plan, kind: AccessKind): AccessCell[] {
  return (plan.access ?? []).filter((c) => (c.kind ?? "design") === kind);
}

/** Whether a row keeps the promise its question carries (the shared rule of plan/expectation.ts). */
export function keepsPromise(c: AccessCell): boolean {
  return !breaksExpectation(c);
}

/** Rows grouped by label, in first-seen order: a heading per principal, then `line` for each row. */
export function renderRowGroups<C extends AccessCell>(cells: C[], line: (c: C) => string, heading: (label: string, first: C) => string = (l, c) => `  ${l}  ${c.principal}`): string[] {
  const groups = new Map<string, C[]>();
  for (const c of cells) groups.set(c.label, [...(groups.get(c.label) ?? []), c]);
  const lines: string[] = [];
  for (const [label, list] of groups) lines.push(heading(label, list[0]), ...list.map(line));
  return lines;
}
