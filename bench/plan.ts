// The offline plan against the floor of any Pulumi program here: a fresh node that only loads
// @pulumi/pulumi and @pulumi/aws. Both are whole processes, timed the same way. The plan keeps
// three caches in node_modules/.cache/model-vault (transpiled TypeScript, the broker's Lambda
// bundle, IAM answers), so it is timed three ways: warm (re-planning an unchanged stack), with the
// IAM answers gone (as after editing a policy), and with every cache gone (the first plan after
// `npm ci`, as in CI).
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_EVALUATION_CACHE_DIR } from "../plan/iamEval";
import type { PathsResult } from "../plan/paths/graph";

const ROOT = path.resolve(__dirname, "..");
const CACHE_ROOT = path.join(ROOT, "node_modules", ".cache", "model-vault");

function timeProcess(args: string[], clear?: string): number {
  if (clear) fs.rmSync(clear, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  // 1 is a whole plan that judged a breach or violation (timed like a clean one); 2 or a crash is not.
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export interface PlanBench {
  floorMs: number;
  /** Warm caches: the goal's figure. */
  planMs: number;
  ratio: number;
  /** No IAM answers cached (the other caches warm). */
  uncachedIamMs: number;
  /** No cache at all. */
  coldMs: number;
  runs: number;
}

/** The attacker paths' share of the work: edges evaluated, engine questions, candidates pruned (one in-process plan). */
export async function pathFigures(stack = "dev"): Promise<PathsResult["stats"]> {
  // Required here, not imported: the timed runs above must not pay for loading the plan in this process.
  const { buildPlan } = require("../plan/build") as typeof import("../plan/build");
  const { lastPathStats } = require("../plan/paths") as typeof import("../plan/paths");
  await buildPlan(stack);
  const s = lastPathStats();
  if (!s) throw new Error(`plan of ${stack} computed no attacker paths`);
  return s;
}

export function benchPlan(runs = 7, stack = "dev"): PlanBench {
  const floor = ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"];
  const plan = ["-r", "./tools/register.js", "plan/cli.ts", "--stack", stack];
  const f: number[] = [];
  const warm: number[] = [];
  const noIam: number[] = [];
  const cold: number[] = [];
  // Interleaved so that background load hits all alike, and no run set aside: the bench's first
  // process (cold, every cache empty) counts. Each round's emptied caches are refilled by the run
  // that emptied them, so the warm run after them is warm.
  for (let i = 0; i < runs; i++) {
    if (i % 3 === 0) cold.push(timeProcess(plan, CACHE_ROOT));
    if (i % 2 === 0) noIam.push(timeProcess(plan, DEFAULT_EVALUATION_CACHE_DIR));
    f.push(timeProcess(floor));
    warm.push(timeProcess(plan));
  }
  timeProcess(plan); // leave the caches warm
  const floorMs = median(f);
  const result: PlanBench = { floorMs, planMs: median(warm), ratio: median(warm) / floorMs, uncachedIamMs: median(noIam), coldMs: median(cold), runs };
  const x = (ms: number, goal: number) => `${ms.toFixed(0)} ms (${(ms / floorMs).toFixed(2)}x; goal <= ${goal}x ${ms / floorMs <= goal ? "met" : "NOT met"})`;
  console.log(
    `plan (${stack}), floor ${floorMs.toFixed(0)} ms (node + @pulumi/pulumi + @pulumi/aws), medians of interleaved runs:\n` +
      `  re-planning, every cache warm (${runs} runs): ${x(result.planMs, 1.3)}\n` +
      `  without cached IAM answers (as after editing a policy; ${noIam.length} runs): ${x(result.uncachedIamMs, 1.6)}\n` +
      `  first plan after npm ci, every cache empty (${cold.length} runs): ${x(result.coldMs, 2.2)}`,
  );
  return result;
}
