// One plan of a generated stack in a process of its own (bench/scale.ts): prints one JSON line with
// the plan's cells, engine evaluations, answers reused, wall time and the process's peak RSS.
// node -r ./tools/register.js bench/scale-child.ts CONSUMERS
import { buildPlan } from "../plan/build";
import { evaluationStats, flushEvaluationCache } from "../plan/iamEval";
import { scaleStackConfig } from "../tests/support/scaleStack";

export interface ScaleRun {
  consumers: number;
  cells: number;
  evaluated: number;
  reused: number;
  /** Whole process: from node's start (module loading included) to the answers written. */
  wallMs: number;
  /** CPU time of the process (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  peakRssMb: number;
  failures: number;
}

async function main(): Promise<void> {
  const n = Number(process.argv[2]);
  if (!Number.isInteger(n) || n < 1) throw new Error("usage: scale-child.ts CONSUMERS");
  const { plan, failures } = await buildPlan("dev", { config: scaleStackConfig(n) });
  // The plan writes its answers on exit; written here so the wall time includes them.
  flushEvaluationCache();
  const { evaluated, reused } = evaluationStats();
  const run: ScaleRun = {
    consumers: n,
    cells: plan.access?.length ?? 0,
    evaluated,
    reused,
    wallMs: Math.round(performance.now()),
    cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    failures: failures.length,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`, () => process.exit(0));
}

if (require.main === module) {
  Error.stackTraceLimit = 0; // as plan/cli.ts: the plan prints messages, never stacks
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  });
}
