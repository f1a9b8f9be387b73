// One clear message for a bad stack file: which file, which key, what was expected.
import type { z } from "zod";

export class ConfigError extends Error {
  constructor(
    readonly stackFile: string,
    readonly problems: string[],
  ) {
    super(`${stackFile}: invalid configuration\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

/** Values of a list whose entries carry a unique `name` are named by it, the way people refer to them. */
function namedEntry(list: unknown, index: number): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const name = (list[index] as { name?: unknown } | null)?.name;
  if (typeof name !== "string" || name === "") return undefined;
  return list.filter((x) => (x as { name?: unknown } | null)?.name === name).length === 1 ? name : undefined;
}

/** `consumers["sagemaker-inference"].prefixes[0]` when `raw` lets an entry be named, else `consumers[0]...`. */
export function keyPath(namespace: string, path: readonly PropertyKey[], raw?: unknown): string {
  if (path.length === 0) return `${namespace}:`;
  let out = `${namespace}:${String(path[0])}`;
  let at: unknown = (raw as Record<string, unknown> | undefined)?.[String(path[0])];
  for (const p of path.slice(1)) {
    const name = typeof p === "number" ? namedEntry(at, p) : undefined;
    out += typeof p === "number" ? (name !== undefined ? `[${JSON.stringify(name)}]` : `[${p}]`) : `.${String(p)}`;
    at = at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[p] : undefined;
  }
  return out;
}

/** The path as `pulumi config set --path` takes it (indexes, never names). */
function setPath(namespace: string, path: readonly PropertyKey[]): string {
  return `${namespace}:${String(path[0])}${path.slice(1).map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}`;
}

/** For a union, report the branch that got furthest (not the one that merely had the wrong type). */
function flatten(issue: Issue, base: PropertyKey[]): Issue[] {
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // The branch with the deepest issue is the one whose shape the input matched.
    const depth = (b: Issue[]) => Math.max(...b.map((i) => i.path.length));
    const best = issue.errors.filter((b) => b.length > 0).sort((a, b) => depth(b) - depth(a))[0];
    if (best && depth(best) > 0) return best.flatMap((i) => flatten(i, [...base, ...issue.path]));
  }
  return [{ ...issue, path: [...base, ...issue.path] } as Issue];
}

interface Def {
  type: string;
  innerType?: Schema;
  in?: Schema;
  out?: Schema;
  shape?: Record<string, Schema>;
  element?: Schema;
  valueType?: Schema;
  options?: Schema[];
  discriminator?: string;
}
const defOf = (s: Schema): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The schema a value is finally checked against, past optional/default/preprocess wrappers. */
function unwrap(s: Schema, raw: unknown): Schema {
  for (;;) {
    const d = defOf(s);
    if (d.innerType && ["optional", "default", "prefault", "nullable", "readonly", "catch", "nonoptional"].includes(d.type)) s = d.innerType;
    else if (d.type === "pipe" && d.in && d.out) s = defOf(d.out).type === "transform" ? d.in : d.out;
    else if (d.type === "union" && d.options) {
      // A discriminated union: the branch the input names; otherwise the first object branch.
      const disc = d.discriminator;
      const want = disc && raw !== null && typeof raw === "object" ? (raw as Record<string, unknown>)[disc] : undefined;
      const objects = d.options.map((o) => unwrap(o, raw)).filter((o) => defOf(o).type === "object");
      const hit = objects.find((o) => {
        const lit = defOf(o).shape?.[disc ?? ""];
        return lit !== undefined && (lit as unknown as { _zod: { def: { values?: unknown[] } } })._zod.def.values?.includes(want);
      });
      const chosen = hit ?? objects[0];
      if (!chosen) return s;
      s = chosen;
    } else return s;
  }
}

/** The keys an object at `path` may have, or [] when the schema there is not an object. */
export function keysAt(schema: Schema, path: readonly PropertyKey[], raw: unknown): string[] {
  let s = unwrap(schema, raw);
  let at = raw;
  for (const p of path) {
    const d = defOf(s);
    at = at !== null && typeof at === "object" ? (at as Record<PropertyKey, unknown>)[p] : undefined;
    const next = d.type === "object" ? d.shape?.[String(p)] : d.type === "array" ? d.element : d.type === "record" ? d.valueType : undefined;
    if (!next) return [];
    s = unwrap(next, at);
  }
  const d = defOf(s);
  return d.type === "object" && d.shape ? Object.keys(d.shape) : [];
}

function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length];
}

/** The valid name a typo most likely meant: same letters ignoring case and separators, or a few edits away. */
export function didYouMean(typo: string, valid: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[-_.\s]/g, "");
  const same = valid.find((v) => norm(v) === norm(typo));
  if (same) return same;
  const limit = Math.max(1, Math.min(3, Math.floor(typo.length / 3)));
  const scored = valid.map((v) => ({ v, d: distance(typo.toLowerCase(), v.toLowerCase()) })).filter((x) => x.d <= limit);
  scored.sort((a, b) => a.d - b.d || a.v.localeCompare(b.v));
  return scored[0]?.v;
}

/**
 * One line per problem, naming the key path (list entries by their `name`) and what was expected.
 * `raw` is the config as written (for names and for the keys valid at a path); `schema` the one it
 * was checked against.
 */
export function describeIssues(namespace: string, issues: readonly Issue[], schema: Schema, raw: unknown): string[] {
  const seen = new Set<string>();
  return issues
    .flatMap((i) => flatten(i, []))
    // One problem per key: the first rule it broke is the one worth reading.
    .filter((i) => {
      const k = JSON.stringify(i.path.map(String)) + (i.code === "unrecognized_keys" ? "#keys" : "");
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .flatMap((issue) => {
      if (issue.code === "unrecognized_keys") {
        const valid = keysAt(schema, issue.path, raw).sort();
        return issue.keys.map((k) => {
          const where = issue.path.length ? keyPath(namespace, [...issue.path, k], raw) : `${namespace}:${k}`;
          const guess = didYouMean(k, valid);
          return `${where}: unknown key${guess ? `; did you mean ${guess}?` : ""} (valid keys${issue.path.length ? ` of ${keyPath(namespace, issue.path, raw)}` : ""}: ${valid.join(", ")})`;
        });
      }
      const at = keyPath(namespace, issue.path, raw);
      if ((issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined) return [`${at}: is required (${issue.message})`];
      // `pulumi config set --path` stores integers and true/false as YAML numbers and booleans.
      if (issue.code === "invalid_type" && issue.expected === "string" && (typeof issue.input === "number" || typeof issue.input === "boolean")) {
        const v = String(issue.input);
        return [`${at}: ${issue.message}, got the ${typeof issue.input} ${v}: quote it in the stack file ("${v}") or set it with pulumi config set --path --type string '${setPath(namespace, issue.path)}' ${v}`];
      }
      return [`${at}: ${issue.message}`];
    });
}
