// `npm run plan -- --stack NAME --baseline OLD.json [--fail-on new-access]`: what changed in access
// between two plans (the base branch's and this one's): rows of any question set whose decision
// changed, attacker paths added or removed, IAM documents changed with the resource that holds them.
// "New access" - a principal allowed, or reaching a goal, where it was not, or a document that may
// now allow more - is the offline counterpart of IAM Access Analyzer's "no new access" check
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-custom-policy-checks.html).
import { diffDocuments, type DocumentChange, type Statement } from "./diffDocuments";
import { tone } from "./layout";
import { fromOf } from "./paths/render";
import { columnOf, displayLabel, targetOf, type Row } from "./rowsRender";
import type { AccessDecision, AttackPath, Plan } from "./types";

export interface RowChange {
  kind: string;
  label: string;
  column: string;
  target: string;
  before?: AccessDecision;
  after?: AccessDecision;
  byBefore?: string;
  byAfter?: string;
}

export interface PathChange {
  change: "added" | "removed" | "verdict";
  goal: string;
  from: string;
  fromLabel: string;
  before?: AttackPath["verdict"];
  after?: AttackPath["verdict"];
  hops: string;
}

export interface AccessDiff {
  rows: RowChange[];
  paths: PathChange[];
  documents: DocumentChange[];
  /** Why the change grants access that was not there (each a sentence); [] when it grants none. */
  newAccess: string[];
}

/**
 * A row's identity across plans: its set, principal label and request. Where a row has a scope
 * (inside/outside the principal's prefixes) the scope names it, not the object: a consumer whose
 * first prefix changed still has one "GetObject inside" row. Repeats (same request, another note)
 * are told apart by their order.
 */
function rowKeys(rows: Row[]): Map<string, Row> {
  const out = new Map<string, Row>();
  for (const r of rows) {
    const base = [r.kind ?? "design", r.label, r.operation ?? r.action, r.vantage ?? "", r.scope ?? `${r.resource} ${JSON.stringify(r.context ?? {})}`].join("\u0000");
    let n = 0;
    while (out.has(`${base}\u0000${n}`)) n++;
    out.set(`${base}\u0000${n}`, r);
  }
  return out;
}

const pathKey = (p: AttackPath) => `${p.goal}\u0000${p.from}`;
const hopsOf = (p: AttackPath) => p.hops.map((h) => h.action).join(" > ");

export function diffPlans(before: Plan, after: Plan): AccessDiff {
  const newAccess: string[] = [];
  const rows: RowChange[] = [];
  const b = rowKeys((before.access ?? []) as Row[]);
  const a = rowKeys((after.access ?? []) as Row[]);
  const labelsBefore = new Set((before.access ?? []).map((r) => r.label));
  for (const [k, now] of a) {
    const was = b.get(k);
    if (was && was.decision === now.decision) continue;
    const kind = now.kind ?? "design";
    rows.push({ kind, label: displayLabel(kind, now.label), column: columnOf(now), target: targetOf(now), before: was?.decision, after: now.decision, byBefore: was?.by, byAfter: now.by });
    // A row newly asked of a principal that was there before is a new question, not new access.
    if (now.decision === "Allowed" && (was || !labelsBefore.has(now.label))) newAccess.push(`${displayLabel(kind, now.label)} is allowed ${columnOf(now)} on ${targetOf(now)} (${was ? was.decision : "a new principal"} before)`);
  }
  for (const [k, was] of b) {
    if (a.has(k)) continue;
    const kind = was.kind ?? "design";
    rows.push({ kind, label: displayLabel(kind, was.label), column: columnOf(was), target: targetOf(was), before: was.decision, byBefore: was.by });
  }
  const paths: PathChange[] = [];
  const pb = new Map((before.paths ?? []).map((p) => [pathKey(p), p]));
  const pa = new Map((after.paths ?? []).map((p) => [pathKey(p), p]));
  for (const [k, p] of pa) {
    const was = pb.get(k);
    if (!was) {
      paths.push({ change: "added", goal: p.goal, from: p.from, fromLabel: fromOf(p), after: p.verdict, hops: hopsOf(p) });
      newAccess.push(`${fromOf(p)} reaches ${p.goal} (${p.verdict}): ${hopsOf(p)}`);
    } else if (was.verdict !== p.verdict) paths.push({ change: "verdict", goal: p.goal, from: p.from, fromLabel: fromOf(p), before: was.verdict, after: p.verdict, hops: hopsOf(p) });
  }
  for (const [k, p] of pb) if (!pa.has(k)) paths.push({ change: "removed", goal: p.goal, from: p.from, fromLabel: fromOf(p), before: p.verdict, hops: hopsOf(p) });
  const documents = diffDocuments(before, after);
  for (const d of documents) for (const w of d.widened) newAccess.push(`${d.type.replace(/^aws:[\w-]+\/\w+:/, "aws:")} ${d.name} (${d.field}${d.attachedTo ? `, ${d.attachedTo}` : ""}) statement ${w.sid}: ${w.gained.join("; ")}`);
  return { rows, paths, documents, newAccess };
}

/** The one-line summary, first and last. */
export function diffVerdict(d: AccessDiff, baseline: string): string {
  const added = d.paths.filter((p) => p.change === "added").length;
  const removed = d.paths.filter((p) => p.change === "removed").length;
  const status = d.newAccess.length ? tone("bad", "NEW-ACCESS") : d.rows.length || d.paths.length || d.documents.length ? tone("warn", "CHANGED") : tone("ok", "UNCHANGED");
  return `${status} access against ${baseline}: ${d.rows.length} row(s) changed · ${added} path(s) added, ${removed} removed · ${d.documents.length} IAM document(s) changed · ${d.newAccess.length} new access`;
}

/** A statement in one line a reader scans: Sid, effect, actions, resources, principals, conditions. */
function statementLine(s: Statement): string {
  const l = (v: unknown) => (Array.isArray(v) ? v.join(", ") : typeof v === "object" && v ? JSON.stringify(v) : String(v));
  const parts = [s.Sid ? String(s.Sid) + ":" : "", String(s.Effect)];
  for (const f of ["Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource"]) if (s[f] !== undefined) parts.push(`${f} ${l(s[f])}`);
  if (s.Condition) parts.push(`if ${JSON.stringify(s.Condition).replace(/,/g, ", ")}`);
  return parts.filter(Boolean).join(" ");
}

const D: Record<AccessDecision, string> = { Allowed: "Allowed", ExplicitlyDenied: "ExplicitlyDenied", ImplicitlyDenied: "ImplicitlyDenied" };

export function renderDiff(d: AccessDiff, baseline: string, planVerdict: string): string[] {
  const v = diffVerdict(d, baseline);
  const out = [v, `  this plan: ${planVerdict}`];
  if (d.newAccess.length) out.push("", "New access:", ...d.newAccess.map((n) => `  ${tone("bad", "+")} ${n}`));
  if (d.rows.length) {
    out.push("", "Rows whose decision changed:");
    for (const r of d.rows) {
      const arrow = `${r.before ? D[r.before] : "(not asked)"} -> ${r.after ? D[r.after] : "(not asked)"}`;
      out.push(`  ${r.label}: ${r.column} on ${r.target}: ${r.after === "Allowed" ? tone("bad", arrow.replace(/ /g, "")) : arrow}${r.byAfter ? `  <- ${r.byAfter}` : r.byBefore ? `  (was <- ${r.byBefore})` : ""}`);
    }
  }
  if (d.paths.length) {
    out.push("", "Attacker paths:");
    for (const p of d.paths) {
      const what = p.change === "added" ? `${tone("bad", "added")} (${p.after})` : p.change === "removed" ? `removed (was ${p.before})` : `${p.before} -> ${p.after}`;
      out.push(`  ${what} ${p.goal} from ${p.fromLabel}: ${p.hops}`);
    }
  }
  if (d.documents.length) {
    out.push("", "IAM documents changed:");
    for (const doc of d.documents) {
      out.push(`  ${doc.change} ${doc.type} ${doc.name} (${doc.field}${doc.attachedTo ? `, ${doc.attachedTo}` : ""})`);
      for (const s of doc.removed) out.push(`    - ${statementLine(s)}`);
      for (const s of doc.added) out.push(`    + ${statementLine(s)}`);
    }
  }
  out.push("", v);
  return out;
}
