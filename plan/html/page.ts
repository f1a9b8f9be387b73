// `npm run plan -- --stack NAME --html FILE`: the plan as one self-contained page (inline CSS, script
// and SVG; nothing fetched): the verdict, each question set as a coloured grid whose cells open their
// deciding statements, the attacker paths as a graph, the violations, warnings and the resource tree.
// It reads the rows through the same renderer as the text (plan/rowsRender.ts).
import { markOfRow } from "../expectation";
import { plain } from "../layout";
import { renderPolicySection, verdictLine } from "../render";
import { cellDecision, cellMark, displayLabel, gridOf, kindInfo, kindsOf, rowsOfKind, summaryLine, targetOf, type Row } from "../rowsRender";
import type { AttackPath, Plan, PlanResource } from "../types";
import { CSS, PALETTE, SCRIPT, VERDICT_COLOUR } from "./assets";
import { esc, jsonScript } from "./escape";
import { renderPathGraph } from "./graph";

/** What a cell's details show for one row (the page's script reads these by index). */
interface RowData {
  label: string;
  action: string;
  target: string;
  decision: string;
  expected?: string;
  by: string;
  mark: string | null;
}

function gridSection(plan: Plan, kind: string, rowData: RowData[]): string {
  const rows = rowsOfKind(plan, kind);
  const grid = gridOf(rows, kind);
  const groups = [...new Set(grid.columns.map((c) => c.group))];
  const head1 = groups.map((g) => `<th class="group" colspan="${grid.columns.filter((c) => c.group === g).length}">${esc(g)}</th>`).join("");
  const head2 = grid.columns.map((c) => `<th>${esc(c.sub)}</th>`).join("");
  const body = grid.labels
    .map((label) => {
      const tds = grid.columns.map((col) => {
        const cellRows = grid.cell(label, col);
        const decision = cellDecision(cellRows);
        if (!decision) return `<td class="cell none"></td>`;
        const ids = cellRows.map((r: Row) => {
          rowData.push({ label: displayLabel(kind, r.label), action: r.operation ?? r.action, target: targetOf(r), decision: r.decision, expected: r.expected, by: r.by, mark: markOfRow(r) });
          return rowData.length - 1;
        });
        const mark = cellMark(cellRows);
        const col$ = col.sub ? `${col.group}(${col.sub})` : col.group;
        const sym = (decision === "mixed" ? "*" : decision === "Allowed" ? "A" : decision === "ExplicitlyDenied" ? "D" : "") + (mark === "breach" ? "!" : mark === "warning" ? "~" : "");
        return `<td class="cell ${decision}${mark ? ` ${mark}` : ""}" tabindex="0" data-kind="${esc(kind)}" data-label="${esc(label)}" data-col="${esc(col$)}" data-decision="${decision}" data-mark="${mark ?? ""}" data-rows="${ids.join(",")}" title="${esc(`${displayLabel(kind, label)}: ${col$} ${decision}`)}">${sym}</td>`;
      });
      return `<tr><th class="label" title="${esc(grid.principals.get(label))}">${esc(displayLabel(kind, label))}</th>${tds.join("")}</tr>`;
    })
    .join("\n");
  const info = kindInfo(kind);
  return `<section class="set" id="set-${esc(kind)}"><h2>${esc(plain(summaryLine(kind, rows)))}</h2><p class="basis">${esc(info.basis)}</p>
<div style="overflow:auto"><table class="grid" data-kind="${esc(kind)}"><thead><tr><th></th>${head1}</tr><tr><th class="label">principal</th>${head2}</tr></thead><tbody>
${body}
</tbody></table></div></section>`;
}

const LEGEND = `<p class="legend"><span style="background:${PALETTE.Allowed}">A allowed</span><span style="background:${PALETTE.ExplicitlyDenied}">D explicit Deny</span><span style="background:${PALETTE.ImplicitlyDenied}">no Allow</span><span style="background:${PALETTE.mixed}">* mixed</span><span style="background:${PALETTE.breach};color:#fff">! breach</span><span style="background:${PALETTE.warning}">~ warning: another kind of denial</span> Click a cell for the statements that decided it.</p>`;

function pathsSection(paths: AttackPath[]): string {
  const n = (v: AttackPath["verdict"]) => paths.filter((p) => p.verdict === v).length;
  const legend = (Object.keys(VERDICT_COLOUR) as AttackPath["verdict"][]).map((v) => `<span style="color:${VERDICT_COLOUR[v]}">&#9632; ${v} (${n(v)})</span>`).join(" ");
  const rows = paths
    .map((p) => `<tr class="${p.verdict}"><td>${p.verdict}</td><td>${esc(p.goal)}</td><td>${esc(p.fromLabel ?? p.from)}</td><td class="mono">${p.hops.map((h) => esc(`${h.action} on ${h.resource} <- ${h.decidedBy}`)).join("<br>")}</td><td>${esc(p.reason ?? "")}</td></tr>`)
    .join("\n");
  return `<section id="paths"><h2>Who can reach what: ${n("breach")} breach(es), ${n("accepted-limit")} accepted limit(s), ${n("designed")} designed path(s)</h2>
<p class="legend">${legend} Hover an edge for the statement that allowed the hop.</p>
<div style="overflow:auto">${renderPathGraph(paths)}</div>
<details><summary>Every path, hop by hop</summary><table class="list"><tr><th>verdict</th><th>goal</th><th>from</th><th>hops</th><th>why</th></tr>
${rows}</table></details></section>`;
}

function treeSection(plan: Plan): string {
  const children = new Map<string | null, PlanResource[]>();
  for (const r of plan.resources) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
  const walk = (parent: string | null): string => {
    const list = children.get(parent) ?? [];
    if (!list.length) return "";
    return `<ul class="tree">${list
      .map((r) => `<li><span class="mono">${esc(r.type)}</span> <b>${esc(r.name)}</b>${typeof r.outputs.arn === "string" ? ` <span class="mono">${esc(r.outputs.arn)}</span>` : ""}${r.options.protect ? " [protected]" : ""}${walk(r.urn)}</li>`)
      .join("")}</ul>`;
  };
  const custom = plan.resources.filter((r) => r.custom).length;
  return `<section id="tree"><h2>Resources: ${custom} in ${plan.resources.length - custom} components</h2><details><summary>The resource tree</summary>${walk(null)}</details></section>`;
}

function listSection(id: string, title: string, items: string[]): string {
  return `<section id="${id}"><h2>${esc(title)}</h2>${items.length ? `<ul>${items.map((i) => `<li>${esc(i)}</li>`).join("")}</ul>` : "<p>None.</p>"}</section>`;
}

export function renderHtml(plan: Plan, failures: string[] = []): string {
  const verdict = plain(verdictLine(plan, failures));
  const rowData: RowData[] = [];
  const sets = kindsOf(plan).map((k) => gridSection(plan, k, rowData));
  const policy = renderPolicySection(plan).map(plain);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(verdict)}</title><style>${CSS}</style></head>
<body><header class="${verdict.startsWith("PASS") ? "pass" : "fail"}"><h1 id="verdict">${esc(verdict)}</h1></header>
<main>
${failures.length ? listSection("failures", "The plan fails", failures) : ""}
${sets.length ? LEGEND : ""}
${sets.join("\n")}
${plan.paths ? pathsSection(plan.paths) : ""}
${listSection("violations", policy[0] ?? "Policy pack", policy.slice(1).map((l) => l.trim()).filter((l) => l !== "mandatory:" && l !== "advisory:"))}
${listSection("warnings", `Warnings (${plan.warnings?.length ?? 0})`, plan.warnings ?? [])}
${treeSection(plan)}
</main>
<div id="details" role="region" aria-live="polite"></div>
${jsonScript("rows", rowData)}
<script>${SCRIPT}</script>
</body></html>
`;
}

