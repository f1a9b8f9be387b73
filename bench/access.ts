// The access matrix's speed: cells per second over the dev stack's planned documents, every cell
// asked of the engine (no cached answer). Two ways, interleaved run by run: with the answers written
// to a fresh cache (what a plan pays) and with the cache off. The process's first matrix (the engine's
// catalogue reads and JIT warm-up included, as in a plan) is the goal's figure; medians over every run
// show the warm engine.
// The plan is built first (from cached answers when there are: it then evaluates nothing).
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildPlan } from "../plan/build";
import { accessModelFromPlan, evaluateAccessModel } from "../plan/access";
import { DEFAULT_EVALUATION_CACHE_DIR, flushEvaluationCache, setEvaluationCacheDir } from "../plan/iamEval";
import { median } from "./plan";

export interface AccessBenchResult {
  cells: number;
  /** Median time of one whole matrix with the answers written, ms. */
  matrixMs: number;
  cellsPerSecond: number;
  /** The same without writing answers. */
  noWriteMs: number;
  noWriteCellsPerSecond: number;
  /** The first matrix of the process (with writes). */
  firstMs: number;
  runs: number;
}

export async function benchAccess(opts: { runs?: number; stack?: string } = {}): Promise<AccessBenchResult> {
  const runs = opts.runs ?? 7;
  const stack = opts.stack ?? "dev";
  const { plan, config } = await buildPlan(stack);
  const { model } = accessModelFromPlan(plan, config);
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "mv-access-bench-"));
  const withWrites: number[] = [];
  const noWrites: number[] = [];
  let cells = 0;
  const time = async (dir: string | null): Promise<number> => {
    // A fresh directory: the only answers reused are the matrix's own repeated questions, as in a plan.
    setEvaluationCacheDir(dir);
    const t = process.hrtime.bigint();
    cells = (await evaluateAccessModel(model)).cells.length;
    flushEvaluationCache();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  try {
    for (let i = 0; i < runs; i++) {
      withWrites.push(await time(path.join(base, String(i))));
      noWrites.push(await time(null));
    }
  } finally {
    setEvaluationCacheDir(DEFAULT_EVALUATION_CACHE_DIR);
    fs.rmSync(base, { recursive: true, force: true });
  }
  const perSecond = (ms: number) => Math.round((cells / ms) * 1000);
  const matrixMs = median(withWrites);
  const noWriteMs = median(noWrites);
  const result: AccessBenchResult = { cells, matrixMs, cellsPerSecond: perSecond(matrixMs), noWriteMs, noWriteCellsPerSecond: perSecond(noWriteMs), firstMs: withWrites[0], runs };
  // The goal is the fresh process's figure (the engine's catalogue reads and JIT warm-up included):
  // that is what a plan pays; the medians show the engine once warm.
  const first = perSecond(result.firstMs);
  console.log(
    `access matrix (${stack}): ${cells} cells; a fresh process's first matrix ${result.firstMs.toFixed(0)} ms = ${first} cells/s (goal >= 2000 cells/s: ${first >= 2000 ? "met" : "NOT met"}); ` +
      `warm, medians of ${runs}: answers written ${matrixMs.toFixed(0)} ms = ${result.cellsPerSecond} cells/s, no writes ${noWriteMs.toFixed(0)} ms = ${result.noWriteCellsPerSecond} cells/s`,
  );
  return result;
}

if (require.main === module) {
  benchAccess().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
