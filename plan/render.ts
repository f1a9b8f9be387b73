// The human-readable plan: the verdict, the access matrix and what is wrong; details behind flags.
import { fit, tone } from "./layout";
import { lastPathStats } from "./paths";
import { countPaths, renderPathsSection } from "./paths/render";
import { countRows, kindInfo, kindsOf, renderKindSection } from "./rowsRender";
import { renderScpSection } from "./scpRender";
import { recoveryLinesOf, renderPerimeterSection } from "./orgPerimeter";
import { monitoringLines } from "../monitoring/plan-lines";
import type { Plan, PlanResource } from "./types";

const short = (type: string) => type.replace(/^aws:[\w-]+\/\w+:/, "aws:").replace(/^model-vault:/, "");

export function renderTree(plan: Plan): string[] {
  const children = new Map<string | null, PlanResource[]>();
  for (const r of plan.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | null, indent: string) => {
    const list = (children.get(parent) ?? []).sort((a, b) => Number(a.custom) - Number(b.custom) || a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const flags = [r.options.protect ? "protected" : "", r.options.retainOnDelete ? "retained" : ""].filter(Boolean).join(", ");
      const id = typeof r.outputs.arn === "string" ? `  ${r.outputs.arn}` : "";
      lines.push(`${indent}${last ? "└─" : "├─"} ${short(r.type)}  ${r.name}${flags ? `  [${flags}]` : ""}${id}`);
      walk(r.urn, indent + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  return lines;
}

export function renderPolicySection(plan: Plan): string[] {
  if (!plan.policy) return [];
  const v = plan.policy.violations;
  const name = (urn: string) => urn.split("::").pop();
  const byLevel = (level: string) => v.filter((x) => x.level === level).map((x) => `  ${level === "mandatory" ? tone("bad", "!") : tone("warn", "~")} [${x.policy}] ${name(x.urn)}: ${x.message}`);
  const mandatory = byLevel("mandatory");
  const advisory = byLevel("advisory");
  return [
    `Policy pack (policypack/, ${plan.stack} config): ${mandatory.length} mandatory, ${advisory.length} advisory violation(s)`,
    ...(mandatory.length ? [" mandatory:", ...mandatory] : []),
    ...(advisory.length ? [" advisory:", ...advisory] : []),
  ];
}

export interface RenderOptions {
  /** Fit every line to this width (default: unlimited, as the library callers and tests read it). */
  width?: number;
  color?: boolean;
  /** Each row with the statement that decided it, every hop of every path. */
  explain?: boolean;
  /** Only these sections in full (names: the row sets' kinds - design, scp, network - and paths, scps, alarms, policy, warnings, tree, outputs). */
  sections?: string[];
  /** The resource tree and the stack outputs. */
  tree?: boolean;
  /** The SCP rows in full. */
  scpRows?: boolean;
  /** Why the plan exits non-zero (build.ts), when more than the plan itself tells. */
  failures?: string[];
  /** Sections other parts add, placed after the access sections. */
  extra?: string[][];
}

/** The plan's verdict in one line: resources, violations, breaches, attacker paths. */
export function verdictLine(plan: Plan, failures: string[] = []): string {
  const custom = plan.resources.filter((r) => r.custom).length;
  const v = plan.policy?.violations ?? [];
  const mandatory = v.filter((x) => x.level === "mandatory").length;
  const rows = countRows(plan.access ?? []);
  const paths = countPaths(plan);
  const warnings = (plan.warnings ?? []).length;
  const fail = failures.length > 0 || mandatory > 0 || rows.breaches > 0 || paths.breaches > 0;
  const n = (k: number, t: string) => (k ? `${tone("bad", String(k))} ${t}` : `0 ${t}`);
  const parts = [
    `${custom} resources`,
    `${n(mandatory, "violations")}${v.length > mandatory ? ` (+${v.length - mandatory} advisory)` : ""}`,
    ...(plan.access ? [n(rows.breaches, "access breaches")] : []),
    ...(plan.paths ? [n(paths.breaches, "breach paths")] : []),
    ...(warnings ? [`${tone("warn", String(warnings))} warnings`] : []),
  ];
  return `${fail ? tone("bad", "FAIL") : tone("ok", "PASS")} ${plan.project}/${plan.stack}: ${parts.join(" · ")}`;
}

/** The alarms (monitoring/plan-lines.ts): the heading and where they go, or every rule. */
function alarmsSection(plan: Plan, full: boolean): string[] {
  const lines = monitoringLines(plan.resources);
  return full || lines.length <= 2 ? lines : [lines[0], lines[lines.length - 1]];
}

function wanted(o: RenderOptions, name: string, byDefault: boolean): boolean {
  return o.sections ? o.sections.includes(name) : byDefault;
}

/**
 * The text plan: the verdict first and last; the design matrix; only what is wrong (breaches,
 * violations, warnings) and one summary line for the rest; the details behind flags.
 */
export function renderPlan(plan: Plan, opts: RenderOptions | string[][] = {}): string {
  const o: RenderOptions = Array.isArray(opts) ? { extra: opts } : opts;
  const width = o.width ?? Number.MAX_SAFE_INTEGER;
  const explain = !!o.explain;
  const verdict = verdictLine(plan, o.failures);
  const sections: string[][] = [];
  const filtered = !!o.sections;
  if (wanted(o, "tree", !!o.tree)) sections.push([`Resources: ${plan.resources.filter((r) => r.custom).length} in ${plan.resources.filter((r) => !r.custom).length} components (offline: Pulumi mocks + fake cloud, nothing deployed)`, ...renderTree(plan)]);
  if (wanted(o, "outputs", !!o.tree)) sections.push(["Outputs:", ...Object.entries(plan.outputs).map(([k, v]) => `  ${k}: ${typeof v === "string" ? v : JSON.stringify(v)}`)]);
  for (const kind of kindsOf(plan)) {
    const full = wanted(o, kind, kindInfo(kind).shownByDefault) || (kind === "scp" && !!o.scpRows);
    // A set not asked for still shows its summary and problems, unless --section picked others.
    if (full || !filtered) sections.push(renderKindSection(plan, kind, { full, explain: explain && full, width }));
  }
  if (wanted(o, "paths", true)) sections.push(renderPathsSection(plan, lastPathStats(), { explain }));
  if (wanted(o, "scps", true)) sections.push(renderScpSection(plan, { statements: explain }), renderPerimeterSection(plan, { statements: explain }), recoveryLinesOf(plan));
  // Workload stacks (they have a design matrix): the tamper alarms, in full with --explain or --section alarms.
  if (plan.access && wanted(o, "alarms", true)) sections.push(alarmsSection(plan, explain || !!o.sections?.includes("alarms")));
  if (!filtered) sections.push(...(o.extra ?? []));
  if (wanted(o, "policy", true)) sections.push(renderPolicySection(plan));
  if (wanted(o, "warnings", true) && plan.warnings?.length) sections.push([`Warnings (${plan.warnings.length}):`, ...plan.warnings.map((w) => `  ${tone("warn", "!")} ${w}`)]);
  if (!filtered) {
    const more = [
      explain ? "" : "--explain (deciding statements, every hop)",
      plan.access?.some((c) => c.kind === "scp") && !o.scpRows ? "--scp-rows" : "",
      o.tree ? "" : `--tree (${plan.resources.length} resources and components, outputs)`,
      "--html FILE",
      "--json",
    ].filter(Boolean);
    sections.push([`More: ${more.join(" · ")}`]);
  }
  const out = [verdict];
  for (const s of sections) if (s.length) out.push("", ...s);
  if (o.failures?.length) out.push("", "Plan fails:", ...o.failures.map((f) => `  ${tone("bad", "-")} ${f}`));
  out.push("", verdict);
  return fit(out, { width, color: !!o.color }).join("\n");
}
