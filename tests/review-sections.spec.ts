// The sections other issues added, placed in the one text plan (plan/render.ts): the org stack's
// perimeter (RCPs, S3 policy) and lockout recovery, the workload's network rows and alarms, and the
// Block Public Access disagreement between a workload and its org stack.
import { strict as assert } from "node:assert";
import { renderPlan } from "../plan/render";
import { applyScpStack } from "../plan/scpApply";
import type { Plan } from "../plan/types";
import { planFor, serially } from "./support/plans";
import { buildPlan } from "../plan/build";
import { readStackConfig } from "../plan/stackFiles";

const text = (plan: Plan, o: Parameters<typeof renderPlan>[1] = {}) => renderPlan(plan, o);

describe("review: sections of the org perimeter, the network and the alarms", () => {
  it("org: the RCPs and the S3 policy follow the SCPs, then how to recover from a lockout", async () => {
    const t = text((await planFor("org")).plan);
    const at = (re: RegExp) => t.search(re);
    assert.ok(at(/^Service control policies/m) >= 0 && at(/^Service control policies/m) < at(/^Resource control policies \(1;/m), t);
    assert.ok(at(/^Resource control policies/m) < at(/^Organization S3 policy model-vault-s3-block-public-access/m));
    assert.ok(at(/^Organization S3 policy/m) < at(/^Lockout recovery/m));
    assert.match(t, /^ {4}9 statement\(s\): DenyModelVaultS3WithoutTls, /m);
    assert.match(t, /--task-policy-arn arn=arn:aws:iam::aws:policy\/root-task\/S3UnlockBucketPolicy/);
    assert.match(t, /detach model-vault-guardrails\* from ou-ab12-cd34ef56/);
    // --explain gives each RCP statement with its condition.
    assert.match(text((await planFor("org")).plan, { explain: true }), /^ {4}Deny DenyModelDataOutsideOrgAndPartners: .* if \{/m);
  });

  it("a workload plan has no perimeter or recovery section; prod shows its alarms in two lines, all rules on request", async () => {
    const { plan } = await planFor("prod");
    const t = text(plan);
    assert.doesNotMatch(t, /^(Resource control policies|Lockout recovery)/m);
    const lines = t.split("\n");
    const from = lines.findIndex((l) => l.startsWith("Alarms:"));
    const alarms = lines.slice(from, lines.indexOf("", from));
    assert.deepEqual(alarms.map((l) => l.replace(/:.*/, ":")), ["Alarms:", "  subscribers:"]);
    const full = text(plan, { sections: ["alarms"] });
    assert.equal(full.split("\n").filter((l) => /^ {2}model-vault-/.test(l)).length, 7, full);
  });

  it("prod: the network rows as a grid with one column per vantage", async () => {
    const t = text((await planFor("prod")).plan, { sections: ["network"], width: 100 });
    assert.match(t, /^Network perimeter: 6 rows for 2 principal\(s\), all keep their promise\.$/m);
    assert.match(t, /^ {2}principal +p {2}i {2}e$/m);
  });

  it("warns when the workload manages Block Public Access while its org stack's S3 policy sets it", async function () {
    this.timeout(120_000);
    const raw = { ...readStackConfig("dev") };
    delete (raw as Record<string, unknown>)["model-vault:publicAccessBlock"];
    const { plan } = await serially(() => buildPlan("dev", { config: raw }));
    assert.ok(
      (plan.warnings ?? []).some((w) => /^scpStack org: the org stack's S3 policy \(model-vault-s3-block-public-access\) .* set model-vault:publicAccessBlock: organization$/.test(w)),
      (plan.warnings ?? []).join("\n"),
    );
    // The shipped stacks agree with their org stack: no such warning.
    assert.ok(!((await planFor("dev")).plan.warnings ?? []).some((w) => /publicAccessBlock/.test(w)));
  });

  it("without an org stack, relying on the organization's S3 policy is a warning: the plan cannot see it", async () => {
    const { plan } = await planFor("dev");
    const target = { plan: { ...plan, warnings: [] as string[] }, config: { accountId: "111111111111", scpStack: null }, failures: [] as string[] };
    await applyScpStack(target);
    assert.match((target.plan.warnings ?? []).join("\n"), /relies on the organization's S3 policy, which this plan cannot see/);
  });
});
