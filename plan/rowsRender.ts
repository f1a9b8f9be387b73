// The one renderer of evaluated question rows (plan.access), whatever their set (`kind`: the design
// matrix, the SCP rows, any set added later): a grid (one line per principal, one column per request),
// the rows that break their promise, and on request each row with the statement that decided it.
// The text plan, the HTML page (plan/html/) and the access diff (plan/diff.ts) all read rows through
// this file; a set only names itself in KINDS.
import { markOfRow, warningKind, type Mark } from "./expectation";
import { clip, pad, tone } from "./layout";
import type { AccessCell, AccessDecision, Plan } from "./types";
import { NETWORK_LABEL_PREFIX, VANTAGE_LEGEND } from "./networkQuestions";

/** A row as the sets write it: some carry the listing context, a scope and the loader call it stands for. */
export type Row = AccessCell & { context?: Record<string, string>; scope?: string; operation?: string; vantage?: string };

export interface KindInfo {
  title: string;
  /** What was asked of the engine, for the section heading. */
  basis: string;
  /** "cells" or "rows". */
  noun: string;
  /** Shown in full without a flag (the others show a summary line and their problems). */
  shownByDefault: boolean;
  /** What every label of the set starts with in the JSON, left out where the heading says it. */
  labelPrefix?: string;
  /** The grid's sub-columns explained, when they are not the prefix scopes. */
  subLegend?: string;
}

/** Labels of the SCP rows in plan.access start with this, for a reader of the JSON; renderers go by `kind`. */
export const SCP_LABEL_PREFIX = "under SCPs: ";

const KINDS: Record<string, KindInfo> = {
  design: {
    title: "Access matrix",
    basis: "iam-simulate over the planned identity policies, boundaries, bucket policy, key policy and SCPs",
    noun: "cells",
    shownByDefault: true,
  },
  scp: {
    title: "Access under the org stack's SCPs",
    // Why a GetObject can be Allowed here and denied in the design matrix (issue 19).
    basis: "iam-simulate: identity policy + bucket policy + FullAWSAccess + guardrail SCPs; the key policy is not asked, so an S3 read Allowed here can still be refused by KMS, as the design matrix shows",
    noun: "rows",
    shownByDefault: false,
    labelPrefix: SCP_LABEL_PREFIX,
  },
  network: {
    title: "Network perimeter",
    basis: "iam-simulate: each perimeter consumer's read asked from inside its VPC endpoints, VPCs or ranges and from outside them; the design matrix is asked from inside",
    noun: "rows",
    shownByDefault: false,
    labelPrefix: NETWORK_LABEL_PREFIX,
    subLegend: VANTAGE_LEGEND,
  },
};

export function kindInfo(kind: string): KindInfo {
  return KINDS[kind] ?? { title: `${kind} rows`, basis: "iam-simulate", noun: "rows", shownByDefault: false };
}

/** A label as the set's section shows it. */
export function displayLabel(kind: string, label: string): string {
  const p = kindInfo(kind).labelPrefix;
  return p && label.startsWith(p) ? label.slice(p.length) : label;
}

/** The rows of one question set; a plan written before `kind` existed holds design rows only. */
export function rowsOfKind(plan: Plan, kind: string): Row[] {
  return (plan.access ?? []).filter((c) => (c.kind ?? "design") === kind);
}

/** The sets a plan holds, design first, then in first-seen order. */
export function kindsOf(plan: Plan): string[] {
  const kinds = [...new Set((plan.access ?? []).map((c) => c.kind ?? "design"))];
  return kinds.sort((a, b) => Number(b === "design") - Number(a === "design"));
}

/** Whether a row keeps the promise its question carries (a warning keeps it: nobody's access differs). */
export function keepsPromise(c: AccessCell): boolean {
  return markOfRow(c) !== "breach";
}

export const DECISION_SYMBOL: Record<AccessDecision, string> = { Allowed: "A", ExplicitlyDenied: "D", ImplicitlyDenied: "." };
const MARK_SYMBOL: Record<Exclude<Mark, null>, string> = { breach: "!", warning: "~" };

/** The request a row stands for: the loader call or the action, with the scope where there is one. */
export function columnOf(c: Row): string {
  const verb = c.operation ?? c.action;
  const sub = c.vantage ?? c.scope;
  return sub && sub !== "bucket" ? `${verb}(${sub})` : verb;
}

/** Where the request goes: s3:// for S3 ARNs, with the listing's prefix and delimiter. */
export function targetOf(c: Row): string {
  const m = /^arn:aws[\w-]*:s3:::(.*)$/.exec(c.resource);
  const s3 = m ? `s3://${m[1]}` : c.resource;
  return c.context && Object.keys(c.context).length ? `${s3} ${Object.entries(c.context).map(([k, v]) => `${k.replace(/^s3:/, "")}="${v}"`).join(" ")}` : s3;
}

export interface GridColumn {
  group: string;
  /** The scope inside the group ("" when the set has none). */
  sub: string;
}

/** The rows as a principal x request grid; several rows in one place (other resources, notes) share a cell. */
export interface Grid {
  kind: string;
  labels: string[];
  /** A principal's ARN, by label. */
  principals: Map<string, string>;
  columns: GridColumn[];
  cell(label: string, col: GridColumn): Row[];
}

export function gridOf(rows: Row[], kind: string): Grid {
  const labels = [...new Set(rows.map((r) => r.label))];
  const principals = new Map(rows.map((r) => [r.label, r.principal]));
  const groups = new Map<string, string[]>();
  const place = (r: Row) => {
    const sub = r.vantage ?? r.scope;
    return { group: r.operation ?? r.action, sub: sub && sub !== "bucket" ? sub : "" };
  };
  for (const r of rows) {
    const { group, sub } = place(r);
    const subs = groups.get(group) ?? [];
    if (!subs.includes(sub)) subs.push(sub);
    groups.set(group, subs);
  }
  const columns = [...groups].flatMap(([group, subs]) => subs.map((sub) => ({ group, sub })));
  const at = new Map<string, Row[]>();
  for (const r of rows) {
    const { group, sub } = place(r);
    const k = `${r.label}\u0000${group}\u0000${sub}`;
    at.set(k, [...(at.get(k) ?? []), r]);
  }
  return { kind, labels, principals, columns, cell: (label, col) => at.get(`${label}\u0000${col.group}\u0000${col.sub}`) ?? [] };
}

/** The worst mark of a cell's rows. */
export function cellMark(rows: Row[]): Mark {
  const marks = rows.map(markOfRow);
  return marks.includes("breach") ? "breach" : marks.includes("warning") ? "warning" : null;
}

/** One decision when every row of the cell agrees, else "mixed". */
export function cellDecision(rows: Row[]): AccessDecision | "mixed" | null {
  const ds = [...new Set(rows.map((r) => r.decision))];
  return ds.length === 0 ? null : ds.length === 1 ? ds[0] : "mixed";
}

function cellText(rows: Row[]): string {
  const d = cellDecision(rows);
  if (d === null) return "  ";
  const sym = d === "mixed" ? "*" : DECISION_SYMBOL[d];
  const mark = cellMark(rows);
  const t = mark === "breach" ? "bad" : mark === "warning" ? "warn" : d === "Allowed" ? "allow" : d === "ExplicitlyDenied" ? "explicit" : "dim";
  return tone(t, sym + (mark ? MARK_SYMBOL[mark] : "")) + (mark ? "" : " ");
}

/** Drops a service prefix every group shares ("s3:" in the design matrix) from the key. */
function groupNames(columns: GridColumn[]): Map<string, string> {
  const groups = [...new Set(columns.map((c) => c.group))];
  const services = new Set(groups.map((g) => (/^([\w-]+):/.exec(g) ?? [])[1]).filter((x) => x !== undefined));
  const shared = services.size === 1 ? [...services][0] : "";
  return new Map(groups.map((g) => [g, shared && g.startsWith(`${shared}:`) ? g.slice(shared.length + 1) : g]));
}

/**
 * The grid as text, fitted to `width`: group numbers over scope letters over the cells, then the key.
 * Labels are shortened before the grid is split; a grid wider than the page is cut into column blocks.
 */
export function renderGrid(grid: Grid, width: number): string[] {
  const groups = [...new Set(grid.columns.map((c) => c.group))];
  const names = groupNames(grid.columns);
  const colW = 3;
  // Columns of one group sit together; one more space between groups.
  const blockWidth = (cols: GridColumn[]) => cols.length * colW + (new Set(cols.map((c) => c.group)).size - 1);
  const shown = (l: string) => displayLabel(grid.kind, l);
  const longest = Math.max(9, ...grid.labels.map((l) => [...shown(l)].length));
  // Labels keep at least two fifths of the page: a grid cut into blocks reads better than cut names.
  const labelW = Math.min(longest, Math.max(Math.floor(width * 0.4), width - 4 - blockWidth(grid.columns)));
  const room = Math.max(colW, width - 4 - labelW);
  const blocks: GridColumn[][] = [];
  for (const g of groups) {
    const cols = grid.columns.filter((c) => c.group === g);
    const last = blocks[blocks.length - 1];
    if (last && blockWidth([...last, ...cols]) <= room) last.push(...cols);
    else blocks.push([...cols]);
  }
  const lines: string[] = [];
  for (const block of blocks) {
    let head1 = "";
    let head2 = "";
    const rows = grid.labels.map(() => "");
    block.forEach((c, i) => {
      const newGroup = i > 0 && block[i - 1].group !== c.group;
      const sep = newGroup ? " " : "";
      const first = i === 0 || newGroup;
      head1 += sep + (first ? pad(String(groups.indexOf(c.group) + 1), colW) : " ".repeat(colW));
      head2 += sep + pad(c.sub ? c.sub[0] : "", colW);
      grid.labels.forEach((l, r) => (rows[r] += sep + pad(cellText(grid.cell(l, c)), colW)));
    });
    if (lines.length) lines.push("");
    lines.push(`  ${" ".repeat(labelW)}  ${head1}`.replace(/ +$/, ""));
    if (block.some((c) => c.sub)) lines.push(`  ${pad("principal", labelW)}  ${head2}`.replace(/ +$/, ""));
    grid.labels.forEach((l, r) => lines.push(`  ${pad(clip(shown(l), labelW), labelW)}  ${rows[r]}`.replace(/ +$/, "")));
  }
  const key = groups.map((g, i) => {
    const subs = grid.columns.filter((c) => c.group === g && c.sub).map((c) => c.sub[0]);
    return `${i + 1}=${names.get(g)}${subs.length ? `(${subs.join(",")})` : ""}`;
  });
  lines.push("", `  ${key.join("  ")}`);
  const scopes = [...new Set(grid.columns.map((c) => c.sub).filter(Boolean))];
  const legend = kindInfo(grid.kind).subLegend;
  if (scopes.length) lines.push(legend ? `  ${legend}` : `  ${scopes.map((s) => `${s[0]}=${s}`).join(" ")} (of the principal's prefixes)`);
  lines.push("  A allowed  D explicit Deny  . no Allow (implicit deny)  * mixed", "  ! breach  ~ warning: denied, by another kind of denial than designed");
  return lines;
}

/** The problem a marked row shows, in one line. */
export function problemLine(c: Row): string {
  const mark = markOfRow(c);
  if (!mark) return "";
  const why = mark === "warning" ? (warningKind(c) === "stricter" ? " (stricter than designed)" : " (denied, but by no explicit Deny)") : "";
  const tag = mark === "breach" ? tone("bad", "BREACH") : tone("warn", "warning");
  return `  ${tag} ${displayLabel(c.kind ?? "design", c.label)}: ${columnOf(c)} on ${targetOf(c)} is ${c.decision}, expected ${c.expected}${why}  <- ${c.by}`;
}

/** One row with the statement that decided it (the --explain listing). */
export function explainLine(c: Row): string {
  const mark = markOfRow(c);
  const status = mark === "breach" ? tone("bad", "BREACH") : mark === "warning" ? tone("warn", "warn") : "ok";
  return `    ${pad(status, 6)} ${c.decision.padEnd(16)} ${(c.operation ?? c.action).padEnd(18)} ${targetOf(c)}  <- ${c.by}`;
}

/** Rows grouped by label, in first-seen order: a heading per principal, then `line` for each row. */
export function renderRowGroups<C extends AccessCell>(cells: C[], line: (c: C) => string, heading: (label: string, first: C) => string = (l, c) => `  ${l}  ${c.principal}`): string[] {
  const groups = new Map<string, C[]>();
  for (const c of cells) groups.set(c.label, [...(groups.get(c.label) ?? []), c]);
  const lines: string[] = [];
  for (const [label, list] of groups) lines.push(heading(label, list[0]), ...list.map(line));
  return lines;
}

export interface RowCounts {
  rows: number;
  principals: number;
  breaches: number;
  warnings: number;
}

export function countRows(rows: Row[]): RowCounts {
  const marks = rows.map(markOfRow);
  return { rows: rows.length, principals: new Set(rows.map((r) => r.label)).size, breaches: marks.filter((m) => m === "breach").length, warnings: marks.filter((m) => m === "warning").length };
}

/** The set's one-line summary. */
export function summaryLine(kind: string, rows: Row[]): string {
  const info = kindInfo(kind);
  const n = countRows(rows);
  const head = `${info.title}: ${n.rows} ${info.noun} for ${n.principals} principal(s)`;
  if (!n.breaches && !n.warnings) return kind === "design" ? `${info.title}: All ${n.rows} cells are what the design promises.` : `${head}, all keep their promise.`;
  const parts = [n.breaches ? tone("bad", `${n.breaches}`) + " breach(es) (!)" : "0 breaches", n.warnings ? tone("warn", `${n.warnings}`) + " warning(s) (~, a denial of another kind than designed)" : ""];
  return `${head}: ${parts.filter(Boolean).join(", ")}.`;
}

export interface SectionOptions {
  /** The grid and the problems (a set not shown by default gives only its summary and problems). */
  full: boolean;
  /** Each row with the statement that decided it. */
  explain: boolean;
  width: number;
}

/** One question set as a text section: summary, grid, what is wrong, and on request why each row decided. */
export function renderKindSection(plan: Plan, kind: string, o: SectionOptions): string[] {
  const rows = rowsOfKind(plan, kind);
  if (rows.length === 0) return [];
  const info = kindInfo(kind);
  const lines = [summaryLine(kind, rows)];
  if (o.full) lines.push(`  (${info.basis})`, "", ...renderGrid(gridOf(rows, kind), o.width));
  const bad = rows.filter((r) => markOfRow(r));
  if (bad.length) lines.push("", ...bad.map(problemLine));
  if (o.explain) lines.push("", `${info.title}, decided by:`, ...renderRowGroups(rows, explainLine, (l, c) => `  ${displayLabel(kind, l)}  ${c.principal}`));
  return lines;
}
