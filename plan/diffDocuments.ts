// The IAM documents two plans register, compared statement by statement: which resource's document
// changed, which statements were added, removed or changed, and whether a change can only have
// narrowed access or may have widened it. "May have widened" is judged on the statements alone
// (an Allow covering an action, resource or principal the old one did not; a Deny no longer covering
// one; a condition loosened on an Allow or tightened on a Deny); the IAM engine's answers on the
// question sets are the other half (plan/diff.ts). Deliberately fail-closed: a change it cannot prove
// narrower counts as widening.
import { actionLike, arnLike } from "../iam/arnLike";
import type { Plan, PlanResource } from "./types";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Statement = Record<string, Json>;

export interface DocumentChange {
  urn: string;
  type: string;
  name: string;
  /** The input holding the document: policy, assumeRolePolicy, content ... */
  field: string;
  /** For an attached document, what it attaches to (a RolePolicy's role, a BucketPolicy's bucket). */
  attachedTo?: string;
  change: "added" | "removed" | "changed";
  added: Statement[];
  removed: Statement[];
  /** Statements that may now allow more, each with what it gained. */
  widened: { sid: string; gained: string[] }[];
}

function parseDocument(v: unknown): { Statement: Statement[] } | undefined {
  let d = v;
  if (typeof v === "string") {
    if (!v.includes("Statement")) return undefined;
    try {
      d = JSON.parse(v);
    } catch {
      return undefined;
    }
  }
  if (!d || typeof d !== "object" || !("Statement" in d)) return undefined;
  const st = (d as { Statement: unknown }).Statement;
  return { Statement: (Array.isArray(st) ? st : [st]) as Statement[] };
}

/** Every IAM document in a resource's inputs, by field (one level of nesting: inlinePolicies[0].policy). */
export function documentsOf(r: PlanResource): Map<string, Statement[]> {
  const out = new Map<string, Statement[]>();
  for (const [k, v] of Object.entries(r.inputs)) {
    const d = parseDocument(v);
    if (d) out.set(k, d.Statement);
    else if (Array.isArray(v))
      v.forEach((item, i) => {
        if (item && typeof item === "object") for (const [k2, v2] of Object.entries(item)) {
          const d2 = parseDocument(v2);
          if (d2) out.set(`${k}[${i}].${k2}`, d2.Statement);
        }
      });
  }
  return out;
}

function canonical(v: Json): Json {
  if (Array.isArray(v)) return v.map(canonical).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, canonical(v[k])]));
  return v;
}

const key = (s: Statement) => JSON.stringify(canonical(s));
const list = (v: Json | undefined): string[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v.map(String) : typeof v === "object" ? Object.values(v).flatMap((x) => list(x)) : [String(v)]);

/** Elements of `now` that no element of `before` covers (glob-aware: s3:Get* covers s3:GetObject). */
function uncovered(before: string[], now: string[], like: (p: string, v: string) => boolean): string[] {
  return now.filter((n) => !before.some((b) => b === n || like(b, n)));
}

function conditionPairs(s: Statement): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const c = s.Condition;
  if (c && typeof c === "object" && !Array.isArray(c))
    for (const [op, kv] of Object.entries(c)) if (kv && typeof kv === "object" && !Array.isArray(kv)) for (const [k, v] of Object.entries(kv)) out.set(`${op}:${k}`, list(v).sort());
  return out;
}

/** What an Allow gains, or a Deny stops covering, from `before` to `now`; [] when it can only be narrower. */
export function gained(before: Statement, now: Statement): string[] {
  const allow = now.Effect === "Allow";
  const [wide, narrow] = allow ? [now, before] : [before, now];
  const out: string[] = [];
  const like = (p: string, v: string) => (v.startsWith("arn:") || p.startsWith("arn:") ? arnLike(p, v) : p === "*" || actionLike(p, v));
  for (const [field, match] of [["Action", actionLike], ["Resource", like], ["Principal", like]] as const) {
    const extra = uncovered(list(narrow[field]), list(wide[field]), match);
    if (extra.length) out.push(`${allow ? "+" : "-"}${field} ${extra.join(", ")}`);
  }
  for (const field of ["NotAction", "NotResource", "NotPrincipal"]) if (JSON.stringify(canonical(before[field] ?? null)) !== JSON.stringify(canonical(now[field] ?? null))) out.push(`${field} changed`);
  // Conditions. Values of one key are alternatives: more of them loosen a positive operator
  // (StringLike) and tighten a negated one (ArnNotLike); an Allow loosens, a Deny tightens with them.
  // Any other change (Bool, Null, a key gone or added where it loosens) counts as loosening.
  const cb = conditionPairs(before);
  const cn = conditionPairs(now);
  const more = (x: string[], y: string[]) => y.some((v) => !x.includes(v));
  for (const k of new Set([...cb.keys(), ...cn.keys()])) {
    const [was, is] = [cb.get(k), cn.get(k)];
    const op = k.split(":")[0].replace(/^For(Any|All)Values/, "").replace(/IfExists$/, "");
    let loosens: boolean;
    if (!was || !is) loosens = allow ? !is : !was;
    else if (/^(Bool|Null)$/.test(op)) loosens = JSON.stringify(was) !== JSON.stringify(is);
    else {
      const widerMatch = /Not/.test(op) ? more(is, was) : more(was, is);
      const narrowerMatch = /Not/.test(op) ? more(was, is) : more(is, was);
      loosens = allow ? widerMatch : narrowerMatch;
    }
    if (loosens) out.push(!was ? `+Condition ${k}` : !is ? `-Condition ${k}` : `Condition ${k}: ${JSON.stringify(was)} -> ${JSON.stringify(is)}`);
  }
  return [...new Set(out)];
}

const sidOf = (s: Statement, i: number) => (typeof s.Sid === "string" && s.Sid ? s.Sid : `#${i + 1}`);

/** Compares one document's statements: by Sid where both have one, else by content. */
function compare(before: Statement[], now: Statement[]): Pick<DocumentChange, "added" | "removed" | "widened"> {
  const beforeKeys = new Set(before.map(key));
  const nowKeys = new Set(now.map(key));
  const added = now.filter((s) => !beforeKeys.has(key(s)));
  const removed = before.filter((s) => !nowKeys.has(key(s)));
  const widened: DocumentChange["widened"] = [];
  const bySid = new Map(removed.filter((s) => typeof s.Sid === "string" && s.Sid).map((s) => [s.Sid as string, s]));
  for (const s of added) {
    const old = typeof s.Sid === "string" ? bySid.get(s.Sid) : undefined;
    if (old && old.Effect === s.Effect) {
      const g = gained(old, s);
      if (g.length) widened.push({ sid: sidOf(s, now.indexOf(s)), gained: g });
    } else if (s.Effect !== "Deny") widened.push({ sid: sidOf(s, now.indexOf(s)), gained: ["new Allow statement"] });
  }
  const addedSids = new Set(added.map((s) => s.Sid).filter(Boolean));
  for (const s of removed) if (s.Effect === "Deny" && !(typeof s.Sid === "string" && addedSids.has(s.Sid))) widened.push({ sid: sidOf(s, before.indexOf(s)), gained: ["Deny statement removed"] });
  return { added, removed, widened };
}

function attachedTo(r: PlanResource): string | undefined {
  for (const k of ["role", "bucket", "keyId", "arn", "user", "group", "policyId", "targetId"]) if (typeof r.inputs[k] === "string") return `${k} ${r.inputs[k]}`;
  return undefined;
}

/** Every IAM document that differs between the plans, with the resource that holds it. */
export function diffDocuments(before: Plan, after: Plan): DocumentChange[] {
  const old = new Map(before.resources.map((r) => [r.urn, r]));
  const seen = new Set<string>();
  const out: DocumentChange[] = [];
  const push = (r: PlanResource, field: string, b: Statement[] | undefined, a: Statement[] | undefined) => {
    const c = compare(b ?? [], a ?? []);
    if (!c.added.length && !c.removed.length) return;
    out.push({ urn: r.urn, type: r.type, name: r.name, field, attachedTo: attachedTo(r), change: !b ? "added" : !a ? "removed" : "changed", ...c });
  };
  for (const r of after.resources) {
    seen.add(r.urn);
    const was = old.get(r.urn);
    const docsNow = documentsOf(r);
    const docsBefore = was ? documentsOf(was) : new Map<string, Statement[]>();
    for (const f of new Set([...docsNow.keys(), ...docsBefore.keys()])) push(r, f, docsBefore.get(f), docsNow.get(f));
  }
  for (const r of before.resources) if (!seen.has(r.urn)) for (const [f, d] of documentsOf(r)) push(r, f, d, undefined);
  return out;
}
