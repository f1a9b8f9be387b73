// The access matrix's speed: cells per second over the dev stack's planned documents, and the time
// of the whole dev matrix (target: under 1 s), with the engine evaluating every cell (no cached
// answers). The plan itself is built once, outside the timing.
import { buildPlan } from "../plan/build";
import { accessModelFromPlan, evaluateAccessModel } from "../plan/access";
import { DEFAULT_EVALUATION_CACHE_DIR, setEvaluationCacheDir } from "../plan/iamEval";

export interface AccessBenchResult {
  cells: number;
  /** Median time of one whole dev matrix, ms. */
  matrixMs: number;
  cellsPerSecond: number;
  runs: number;
}

export async function benchAccess(opts: { runs?: number; stack?: string } = {}): Promise<AccessBenchResult> {
  const runs = opts.runs ?? 7;
  const { plan, config } = await buildPlan(opts.stack ?? "dev");
  const { model } = accessModelFromPlan(plan, config);
  // The engine's speed, not the disk cache's.
  setEvaluationCacheDir(null);
  await evaluateAccessModel(model); // warm-up: iam-data catalogue reads, JIT
  const times: number[] = [];
  let cells = 0;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    cells = (await evaluateAccessModel(model)).cells.length;
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  setEvaluationCacheDir(DEFAULT_EVALUATION_CACHE_DIR);
  times.sort((a, b) => a - b);
  const matrixMs = times[Math.floor(times.length / 2)];
  const result = { cells, matrixMs, cellsPerSecond: Math.round((cells / matrixMs) * 1000), runs };
  console.log(
    `access matrix (${opts.stack ?? "dev"}): ${cells} cells in ${matrixMs.toFixed(0)} ms (median of ${runs}) = ${result.cellsPerSecond} cells/s; target whole matrix < 1000 ms: ${matrixMs < 1000 ? "met" : "NOT met"}`,
  );
  return result;
}

if (require.main === module) {
  benchAccess().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
