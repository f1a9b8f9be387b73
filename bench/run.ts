// npm run bench: speed goals as ratios and throughput, never as timed test assertions.
// Each bench prints its own line; `--only plan,pack,access,jit,models,scale` picks some.
import { benchAccess } from "./access";
import { benchJit } from "./jit";
import { benchPack } from "./pack";
import { benchPlan, pathFigures } from "./plan";
import { benchModels } from "./models";
import { benchScale } from "./scale";
import { benchAccessReport } from "./access-report";

const benches: Record<string, () => Promise<unknown> | unknown> = {
  plan: async () => {
    const r = benchPlan();
    const s = await pathFigures();
    console.log(`  attacker paths (dev): ${s.edgesEvaluated} edges evaluated, ${s.engineQuestions} engine questions (answers cached across plans), ${s.pruned} candidates pruned before the engine, ${s.principals} principals`);
    return r;
  },
  access: () => benchAccess(),
  pack: () => benchPack(),
  jit: () => benchJit(),
  models: () => benchModels(),
  scale: () => benchScale(),
  "access-report": () => benchAccessReport(),
};

async function main() {
  const i = process.argv.indexOf("--only");
  const only = i > 0 ? process.argv[i + 1].split(",") : Object.keys(benches);
  const unknown = only.filter((n) => !benches[n]);
  if (unknown.length) throw new Error(`unknown bench ${unknown.join(", ")}; choose from ${Object.keys(benches).join(", ")}`);
  console.log("model-vault benchmarks (medians; this machine's load varies, compare ratios)\n");
  for (const name of only) await benches[name]();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
