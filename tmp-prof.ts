import { buildPlan } from "./plan/build";
import { evaluationStats } from "./plan/iamEval";
import { lastPathStats } from "./plan/paths";
(async () => {
  const t0 = Date.now();
  const r = await buildPlan("dev");
  console.log("ms", Date.now() - t0, evaluationStats(), lastPathStats(), "paths", r.plan.paths?.length);
  const { computeAttackPaths } = await import("./plan/paths");
  const t1 = Date.now();
  await computeAttackPaths(r.plan, r.config, []);
  console.log("paths-only (no scps) ms", Date.now() - t1, evaluationStats(), lastPathStats());
})();
