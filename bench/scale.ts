// npm run bench -- --only scale [--sizes 100,300,1000] [--runs 3]: plans of generated stacks
// (tests/support/scaleStack.ts: four consumer kinds mixed, 1-3 prefixes each), each in a process of
// its own so that every figure includes loading the program and the engine, as `npm run plan` pays.
// Cold: no IAM answers cached (a fresh MODEL_VAULT_IAM_CACHE directory; the transpile and bundle
// caches warm, as after editing a policy). Warm: the same stack again. Runs are interleaved (each
// round plans every size cold then warm) so background load hits all alike; figures are medians.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { median } from "./plan";
import type { ScaleRun } from "./scale-child";

const ROOT = path.resolve(__dirname, "..");

function planChild(consumers: number, cacheDir: string): ScaleRun {
  const r = spawnSync(process.execPath, ["-r", "./tools/register.js", "bench/scale-child.ts", String(consumers)], {
    cwd: ROOT,
    env: { ...process.env, MODEL_VAULT_IAM_CACHE: cacheDir },
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`scale plan of ${consumers} consumers exited ${r.status}: ${r.stderr}`);
  const run = JSON.parse(r.stdout.trim().split("\n").pop() ?? "") as ScaleRun;
  if (run.failures > 0) throw new Error(`scale plan of ${consumers} consumers failed ${run.failures} checks`);
  return run;
}

export interface ScaleFigures {
  consumers: number;
  cells: number;
  evaluatedCold: number;
  coldMs: number;
  coldCpuMs: number;
  warmMs: number;
  warmCpuMs: number;
  peakRssMb: number;
  runs: number;
}

function argOf(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
}

export function benchScale(sizes = (argOf("--sizes") ?? "100,300,1000").split(",").map(Number), runs = Number(argOf("--runs") ?? 3)): ScaleFigures[] {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "mv-scale-bench-"));
  const cold = new Map<number, ScaleRun[]>(sizes.map((n) => [n, []]));
  const warm = new Map<number, ScaleRun[]>(sizes.map((n) => [n, []]));
  try {
    for (let i = 0; i < runs; i++) {
      for (const n of sizes) {
        const dir = path.join(base, `${n}-${i}`);
        cold.get(n)!.push(planChild(n, dir));
        warm.get(n)!.push(planChild(n, dir));
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }
  } finally {
    fs.rmSync(base, { recursive: true, force: true });
  }
  const out = sizes.map((n): ScaleFigures => {
    const c = cold.get(n)!;
    const w = warm.get(n)!;
    return {
      consumers: n,
      cells: c[0].cells,
      evaluatedCold: c[0].evaluated,
      coldMs: median(c.map((r) => r.wallMs)),
      coldCpuMs: median(c.map((r) => r.cpuMs)),
      warmMs: median(w.map((r) => r.wallMs)),
      warmCpuMs: median(w.map((r) => r.cpuMs)),
      peakRssMb: Math.max(...c.map((r) => r.peakRssMb), ...w.map((r) => r.peakRssMb)),
      runs,
    };
  });
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(`scale (generated stacks; each plan a process of its own; medians of ${runs} interleaved runs; cpu = user + system):`);
  for (const f of out) {
    console.log(
      `  ${String(f.consumers).padStart(5)} consumers: ${f.cells} cells, ${f.evaluatedCold} evaluations cold; cold ${s(f.coldMs)} (cpu ${s(f.coldCpuMs)}), warm ${s(f.warmMs)} (cpu ${s(f.warmCpuMs)}), peak RSS ${f.peakRssMb} MB`,
    );
  }
  // Cost per added consumer between consecutive sizes: flat is linear.
  for (let i = 1; i < out.length; i++) {
    const [a, b] = [out[i - 1], out[i]];
    const per = (x: number, y: number) => ((y - x) / (b.consumers - a.consumers)).toFixed(0);
    console.log(`  per added consumer ${a.consumers}->${b.consumers}: cold cpu ${per(a.coldCpuMs, b.coldCpuMs)} ms, warm cpu ${per(a.warmCpuMs, b.warmCpuMs)} ms`);
  }
  const at300 = out.find((f) => f.consumers === 300);
  if (at300) console.log(`  goals at 300 consumers: cold <= 6 s ${at300.coldMs <= 6000 ? "met" : "NOT met"}, warm <= 2 s ${at300.warmMs <= 2000 ? "met" : "NOT met"}`);
  return out;
}
