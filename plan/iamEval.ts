// Every IAM evaluation of the offline plan (the access matrix and the SCP rows) goes through here:
// iam-simulate decides, and the decision with the statements that made it is kept on disk, keyed by
// the whole request (principal, action, resource, context, every policy document), the lockfile
// (which pins the engine and its IAM data) and this file. Re-planning a stack whose documents did
// not change reuses the answers; any change to a document, the request, or the engine misses.
// A cache that cannot be read or written is skipped. Dev tooling only (iam-simulate is AGPL-3.0).
import { getDenialReasons, getGrantReasons, runSimulation, type RequestDenial, type RequestGrant, type Simulation } from "@cloud-copilot/iam-simulate";
import { createHash } from "node:crypto";
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
export const DEFAULT_EVALUATION_CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "model-vault", "iam");

let cacheDir: string | null = DEFAULT_EVALUATION_CACHE_DIR;
let salt: string | undefined;
let stats = { evaluated: 0, reused: 0 };

/** Where answers are kept; null turns the cache off (the bench's cold runs, tests that count). */
export function setEvaluationCacheDir(dir: string | null): void {
  cacheDir = dir;
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
    salt = `${read(path.join(ROOT, "package-lock.json"))}\0${read(__filename)}\0`;
  }
  return salt;
}

/** Exported for tests: the cache key of one simulation. */
export function evaluationKey(sim: Simulation): string {
  return sha256(saltOnce() + JSON.stringify(sim));
}

function readCached(file: string): Evaluation | undefined {
  try {
    const e = JSON.parse(fs.readFileSync(file, "utf8")) as Evaluation;
    return typeof e.decision === "string" && Array.isArray(e.grants) && Array.isArray(e.denials) ? e : undefined;
  } catch {
    return undefined; // Not cached yet, or unreadable: evaluate.
  }
}

/** Entries kept at most; past it the oldest go, down to half (each is a few hundred bytes). */
export const MAX_CACHED_EVALUATIONS = 20_000;
let pruned = false;

/** Exported for tests: drops the oldest entries once the directory holds more than `max`. */
export function pruneEvaluationCache(dir: string, max = MAX_CACHED_EVALUATIONS): number {
  const names = fs.readdirSync(dir).filter((n) => n.endsWith(".json"));
  if (names.length <= max) return 0;
  const aged = names.map((n) => ({ n, t: fs.statSync(path.join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  const drop = aged.slice(0, names.length - Math.floor(max / 2));
  for (const { n } of drop) fs.rmSync(path.join(dir, n), { force: true });
  return drop.length;
}

function writeCached(file: string, e: Evaluation): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Every edited policy adds answers; once per process, keep the directory bounded.
    if (!pruned) {
      pruned = true;
      pruneEvaluationCache(path.dirname(file));
    }
    // Renamed into place so a concurrent plan never reads half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(e));
    fs.renameSync(tmp, file);
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
  const file = cacheDir ? path.join(cacheDir, `${evaluationKey(sim)}.json`) : undefined;
  const cached = file ? readCached(file) : undefined;
  if (cached) {
    stats.reused++;
    return cached;
  }
  const e = await run(sim);
  stats.evaluated++;
  if (file) writeCached(file, e);
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
