// The network rows of the matrix as text (plan/networkQuestions.ts): the same read of each consumer
// from inside its perimeter and from outside. Exposed for the plan renderer to place (plan/render.ts).
import { keepsPromise, renderRowGroups, rowsOfKind } from "./rowsRender";
import type { Plan } from "./types";
import { NETWORK_LABEL_PREFIX } from "./networkQuestions";

/** Lines of the network section; [] when the stack configures no perimeter. */
export function renderNetworkSection(plan: Plan): string[] {
  const cells = rowsOfKind(plan, "network");
  if (cells.length === 0) return [];
  return [
    "Network perimeter (the same read from inside the configured VPC endpoints, VPCs or ranges, and from outside them)",
    ...renderRowGroups(
      cells,
      (c) => `    ${(keepsPromise(c) ? "ok" : "BREACH").padEnd(6)} ${c.decision.padEnd(16)} ${c.action.padEnd(14)} ${c.resource}  [${c.by}]`,
      (label, c) => `  ${label.startsWith(NETWORK_LABEL_PREFIX) ? label.slice(NETWORK_LABEL_PREFIX.length) : label}  ${c.principal}`,
    ),
  ];
}
