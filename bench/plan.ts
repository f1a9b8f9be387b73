// The offline plan against the floor of any Pulumi program here: a fresh node that only loads
// @pulumi/pulumi and @pulumi/aws. Both are whole processes, timed the same way.
import { spawnSync } from "node:child_process";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

function timeProcess(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export interface PlanBench {
  floorMs: number;
  planMs: number;
  ratio: number;
  runs: number;
}

export function benchPlan(runs = 7, stack = "dev"): PlanBench {
  const floor = ["-e", "require('@pulumi/pulumi'); require('@pulumi/aws')"];
  const plan = ["-r", "./tools/register.js", "plan/cli.ts", "--stack", stack];
  timeProcess(floor); // warm the file cache for both
  timeProcess(plan);
  const f: number[] = [];
  const p: number[] = [];
  // Interleaved so that background load hits both alike.
  for (let i = 0; i < runs; i++) {
    f.push(timeProcess(floor));
    p.push(timeProcess(plan));
  }
  const result = { floorMs: median(f), planMs: median(p), ratio: median(p) / median(f), runs };
  console.log(
    `plan (${stack}): median ${result.planMs.toFixed(0)} ms vs floor ${result.floorMs.toFixed(0)} ms (node + @pulumi/pulumi + @pulumi/aws) over ${runs} runs: ratio ${result.ratio.toFixed(2)}x (target <= 2x)`,
  );
  return result;
}
