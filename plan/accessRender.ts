// The design matrix as text: the one row renderer (plan/rowsRender.ts) over the "design" set.
import { renderKindSection } from "./rowsRender";
import type { Plan } from "./types";

/** Lines of the access section, grid and deciding statements; [] when the plan has no matrix. */
export function renderAccessSection(plan: Plan, o: { width?: number; explain?: boolean } = {}): string[] {
  return renderKindSection(plan, "design", { full: true, explain: o.explain ?? true, width: o.width ?? Number.MAX_SAFE_INTEGER });
}
