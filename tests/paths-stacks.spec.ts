// The promise of issues 12 and 13 on our own stacks: no attacker path is a breach. (It failed until
// the broker-hardening branches merged; kept apart so every other spec stays independent of it.)
import { strict as assert } from "node:assert";
import { describePath } from "../plan/paths";
import { planFor } from "./support/plans";

describe("attacker paths on our own stacks", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: no breach (every path is designed or an accepted limit with its reason)`, async () => {
      const { plan } = await planFor(stack);
      assert.ok(plan.paths && plan.paths.length > 0);
      assert.deepEqual(plan.paths.filter((p) => p.verdict === "breach").map(describePath), []);
      for (const p of plan.paths.filter((x) => x.verdict === "accepted-limit")) assert.ok(p.reason, describePath(p));
    });
  }
});
