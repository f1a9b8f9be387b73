// The access matrix as text: an overview grid (one line per principal) and the decisive statements.
import { keepsPromise, renderRowGroups, rowsOfKind } from "./rowsRender";
import type { AccessCell, AccessDecision, Plan } from "./types";

type Cell = AccessCell & { context?: Record<string, string>; scope?: string; operation?: string };

const MARK: Record<AccessDecision, string> = { Allowed: "allow", ExplicitlyDenied: "DENY", ImplicitlyDenied: "deny" };

const ok = keepsPromise;

function column(c: Cell): string {
  const verb = c.operation ?? c.action.replace(/^s3:/, "");
  return c.scope && c.scope !== "bucket" ? `${verb}(${c.scope})` : verb;
}

function target(c: Cell): string {
  const m = /^arn:aws[\w-]*:s3:::(.*)$/.exec(c.resource);
  const s3 = m ? `s3://${m[1]}` : c.resource;
  return c.context ? `${s3} prefix="${c.context["s3:prefix"] ?? ""}" delimiter="${c.context["s3:delimiter"] ?? ""}"` : s3;
}

/** Lines of the access section; [] when the plan has no matrix. */
export function renderAccessSection(plan: Plan): string[] {
  const cells = rowsOfKind(plan, "design") as Cell[];
  if (cells.length === 0) return [];
  const labels = [...new Set(cells.map((c) => c.label))];
  const columns = [...new Set(cells.map(column))];
  const width = Math.max(...labels.map((l) => l.length));
  const colW = columns.map((h) => Math.max(h.length, 6));
  const lines = [
    "Access matrix (iam-simulate over the planned identity policies, boundaries, bucket policy, key policy and SCPs;",
    "inside/outside = an object or listing inside/outside the principal's prefixes; allow / DENY explicit / deny implicit; ! = not what the design promises)",
    "",
    `  ${"principal".padEnd(width)}  ${columns.map((h, i) => h.padEnd(colW[i])).join("  ")}`,
  ];
  for (const l of labels) {
    const row = columns.map((h, i) => {
      const c = cells.find((x) => x.label === l && column(x) === h);
      return (c ? `${MARK[c.decision]}${ok(c) ? "" : "!"}` : "-").padEnd(colW[i]);
    });
    lines.push(`  ${l.padEnd(width)}  ${row.join("  ")}`);
  }
  lines.push("", "Decided by:", ...renderRowGroups(cells, (c) => `    ${ok(c) ? " " : "!"} ${(c.operation ?? c.action).padEnd(18)} ${MARK[c.decision].padEnd(5)} ${target(c)}  <- ${c.by}`));
  const bad = cells.filter((c) => !ok(c));
  lines.push("", bad.length ? `${bad.length} cell(s) differ from the design (see !)` : `All ${cells.length} cells are what the design promises.`);
  return lines;
}
