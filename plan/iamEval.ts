// Every IAM evaluation of the offline plan (the access matrix and the SCP rows) goes through here:
// iam-simulate decides, and the decision with the statements that made it is kept on disk, keyed by
// the whole request (principal, action, resource, context, every policy document), the lockfile
// (which pins the engine and its IAM data), patches/ (fixes applied to it) and this file. Re-planning a stack whose documents did
// not change reuses the answers; any change to a document, the request, or the engine misses.
// The answers live in one file per cache directory, read once and written once per process (a file
// per answer cost a tenth of a cold plan); a cache that cannot be read or written is skipped.
// Dev tooling only (iam-simulate is AGPL-3.0).
import { getDenialReasons, getGrantReasons, runSimulation, type RequestDenial, type RequestGrant, type Simulation } from "@cloud-copilot/iam-simulate";
import { createHash, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { AccessDecision } from "./types";

/** The decision and the statements behind it: plain data, so it survives the disk cache. */
export interface Evaluation {
  decision: AccessDecision;
  /** Statements that allowed it (Allowed only). */
  grants: RequestGrant[];
  /** What denied it: explicit Deny statements, or the policy types with no Allow. */
  denials: RequestDenial[];
  /** False when the engine returned no analysis to explain the decision. */
  explained: boolean;
}

const ROOT = path.resolve(__dirname, "..");
/** MODEL_VAULT_IAM_CACHE moves it (the scale bench keeps its large stacks' answers apart from dev's). */
export const DEFAULT_EVALUATION_CACHE_DIR = process.env.MODEL_VAULT_IAM_CACHE || path.join(ROOT, "node_modules", ".cache", "model-vault", "iam");
/** The one file of answers in a cache directory. */
export const EVALUATION_CACHE_FILE = "answers.json";

let cacheDir: string | null = DEFAULT_EVALUATION_CACHE_DIR;
let salt: string | undefined;
let stats = { evaluated: 0, reused: 0 };

/** Where answers are kept; null turns the cache off (the bench's cold runs, tests that count). Saves the current directory's new answers first. */
export function setEvaluationCacheDir(dir: string | null): void {
  flushEvaluationCache();
  cacheDir = dir;
  store = undefined;
}

/** Evaluations run by the engine and answers reused from the cache since the last reset. */
export function evaluationStats(reset = false): { evaluated: number; reused: number } {
  const s = { ...stats };
  if (reset) stats = { evaluated: 0, reused: 0 };
  return s;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

function saltOnce(): string {
  if (salt === undefined) {
    const read = (f: string) => (fs.existsSync(f) ? sha256(fs.readFileSync(f)) : "none");
    // The engine's libraries as patched (patches/): a patch change re-asks every question.
    const patchDir = path.join(ROOT, "patches");
    const patches = fs.existsSync(patchDir) ? fs.readdirSync(patchDir).sort().map((f) => `${f}:${read(path.join(patchDir, f))}`).join(",") : "none";
    salt = `${read(path.join(ROOT, "package-lock.json"))}\0${read(__filename)}\0${patches}\0`;
  }
  return salt;
}

// Each document once per plan: the questions share the document objects the reader built (a key
// policy is in every KMS question), so their digests are kept by identity. The plan never edits a
// document once read; a changed document is a new object, hence a new digest.
const digests = new WeakMap<object, string>();
const POLICY_FIELDS = new Set(["policy", "resourcePolicy", "sessionPolicy"]);

function digestOf(doc: object): string {
  let d = digests.get(doc);
  if (d === undefined) {
    d = `#${sha256(JSON.stringify(doc))}`;
    digests.set(doc, d);
  }
  return d;
}

/** Exported for tests: the cache key of one simulation (every field of it, documents by digest). */
export function evaluationKey(sim: Simulation): string {
  const text = JSON.stringify(sim, (k, v: unknown) => (POLICY_FIELDS.has(k) && typeof v === "object" && v !== null ? digestOf(v) : v));
  return sha256(saltOnce() + text);
}

/** Answers kept at most; past it the least recently used go, down to half (each is a few hundred bytes). */
export const MAX_CACHED_EVALUATIONS = 100_000;

interface Store {
  file: string;
  answers: Map<string, Evaluation>;
  /** Keys answered or reused by this process: written last, so they are the last to go. */
  used: Set<string>;
  dirty: boolean;
}
let store: Store | undefined;
let flushOnExit = false;

const isEvaluation = (e: unknown): e is Evaluation =>
  typeof e === "object" && e !== null && typeof (e as Evaluation).decision === "string" && Array.isArray((e as Evaluation).grants) && Array.isArray((e as Evaluation).denials);

/** The answers of a cache file; an absent, corrupt or foreign file holds none, and a bad entry is skipped. */
function readAnswers(file: string): Map<string, Evaluation> {
  const out = new Map<string, Evaluation>();
  try {
    const data = JSON.parse(fs.readFileSync(file, "utf8")) as { answers?: unknown };
    if (Array.isArray(data.answers)) for (const [k, e] of data.answers as [unknown, unknown][]) if (typeof k === "string" && isEvaluation(e)) out.set(k, e);
  } catch {
    // Not cached yet, or unreadable: evaluate.
  }
  return out;
}

function storeOf(dir: string): Store {
  if (!store) {
    const file = path.join(dir, EVALUATION_CACHE_FILE);
    store = { file, answers: readAnswers(file), used: new Set(), dirty: false };
    if (!flushOnExit) {
      flushOnExit = true;
      // The plan ends with process.exit: the answers are written then, once, synchronously.
      process.on("exit", () => flushEvaluationCache());
    }
  }
  return store;
}

/**
 * Writes this process's new answers (the plan does it on exit; the bench times it). Merged with what
 * another plan wrote meanwhile, renamed into place so a concurrent plan never reads half a file.
 */
export function flushEvaluationCache(max = MAX_CACHED_EVALUATIONS): void {
  const s = store;
  if (!s || !s.dirty) return;
  s.dirty = false;
  try {
    const merged = readAnswers(s.file);
    for (const k of s.used) {
      const e = s.answers.get(k);
      if (!e) continue;
      merged.delete(k);
      merged.set(k, e);
    }
    const entries = [...merged];
    const kept = entries.length > max ? entries.slice(entries.length - Math.floor(max / 2)) : entries;
    fs.mkdirSync(path.dirname(s.file), { recursive: true });
    const tmp = `${s.file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ answers: kept }));
    fs.renameSync(tmp, s.file);
  } catch {
    // A read-only checkout evaluates every time.
  }
}

async function run(sim: Simulation): Promise<Evaluation> {
  const res = await runSimulation(sim, {});
  if (res.resultType === "error") {
    throw new Error(`iam-simulate rejected ${sim.request.action} on ${sim.request.resource.resource}: ${res.errors.message} ${JSON.stringify(res.errors)}`);
  }
  const analysis = res.resultType === "single" ? res.result.analysis : res.results[0]?.analysis;
  const decision = res.overallResult as AccessDecision;
  if (!analysis) return { decision, grants: [], denials: [], explained: false };
  return { decision, grants: decision === "Allowed" ? getGrantReasons(analysis) : [], denials: decision === "Allowed" ? [] : getDenialReasons(analysis), explained: true };
}

/** One IAM evaluation; throws when the engine rejects the request or a document. */
export async function evaluateSimulation(sim: Simulation): Promise<Evaluation> {
  const s = cacheDir ? storeOf(cacheDir) : undefined;
  const key = s ? evaluationKey(sim) : "";
  const cached = s?.answers.get(key);
  if (s && cached) {
    stats.reused++;
    s.used.add(key);
    // Unchanged answers are not rewritten; only their order (recently used last) would change.
    return cached;
  }
  const e = await run(sim);
  stats.evaluated++;
  if (s) {
    s.answers.set(key, e);
    s.used.add(key);
    s.dirty = true;
  }
  return e;
}

/**
 * How answers name the policy that decided: "identity:<name>", the resource policy by the name the
 * question gives it ("bucket-policy", "key-policy", "trust:<role>"), "boundary", "scp:<name>" ...
 */
export function policyName(policyType: string, identifier: string | undefined, resourceName: string): string {
  if (policyType === "identity") return identifier ? `identity:${identifier}` : "identity";
  if (policyType === "resource") return resourceName;
  if (policyType === "pb") return "boundary";
  if (policyType === "s3-bpa") return "s3-block-public-access";
  return identifier ? `${policyType}:${identifier}` : policyType;
}

/** `Sid`, or `#n` (1-based) for a statement without one. */
export function statementLabel(r: { statementId?: string; statementIndex?: number }): string {
  return r.statementId ? r.statementId : `#${r.statementIndex ?? "?"}`;
}
