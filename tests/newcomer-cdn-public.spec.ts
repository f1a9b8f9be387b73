// `cdn.signing.required: false` makes the distribution public: every object under its prefixes
// goes to anyone on the internet. That must never pass unnoticed: the plan warns (with the keys
// the stack configures but no key group trusts), the pack flags it (advisory in dev) and refuses
// it in prod unless the stack's pack config waives it for a reason until a date.
import { strict as assert } from "node:assert";
import { buildPlan, type PlanResult } from "../plan/build";
import { evaluatePolicyPack, loadPackConfig } from "../plan/policy";
import { readStackConfig } from "../plan/stackFiles";
import { serially } from "./support/plans";

function withPublicCdn(stack: string): Record<string, string> {
  const config = { ...readStackConfig(stack) };
  const dev = JSON.parse(readStackConfig("dev")["model-vault:cdn"]) as { signing: { publicKeys: unknown[] } };
  // The dev stack's CDN section (its demo key included), with signing switched off.
  config["model-vault:cdn"] = JSON.stringify({ enabled: true, prefixes: ["models/llama/"], signing: { required: false, publicKeys: dev.signing.publicKeys } });
  return config;
}

describe("newcomer: a public distribution (cdn.signing.required: false)", function () {
  this.timeout(120_000);
  let dev: PlanResult;
  let prod: PlanResult;
  before(async () => {
    dev = await serially(() => buildPlan("dev", { config: withPublicCdn("dev") }));
    prod = await serially(() => buildPlan("prod", { config: withPublicCdn("prod") }));
  });

  it("is a plan warning naming the key path, the prefixes served to anyone and the keys nobody trusts", () => {
    for (const r of [dev, prod]) {
      const w = (r.plan.warnings ?? []).filter((x) => x.startsWith("model-vault:cdn.signing.required"));
      assert.equal(w.length, 1, (r.plan.warnings ?? []).join("\n"));
      assert.match(w[0], /is false: the distribution serves every object under models\/llama\/ to anyone, unsigned/);
      assert.match(w[0], /public key dev-demo is registered but trusted by no key group/);
    }
  });

  it("is an advisory pack finding in dev: the plan still passes", () => {
    const v = dev.plan.policy!.violations.filter((x) => x.policy === "cloudfront-signed-urls");
    assert.equal(v.length, 1);
    assert.equal(v[0].level, "advisory");
    assert.match(v[0].message, /serves objects to anyone without a signed URL/);
    assert.deepEqual(dev.failures.filter((f) => f.includes("cloudfront-signed-urls")), []);
  });

  it("is a mandatory pack violation in prod: the plan fails", () => {
    const v = prod.plan.policy!.violations.filter((x) => x.policy === "cloudfront-signed-urls");
    assert.equal(v.length, 1);
    assert.equal(v[0].level, "mandatory");
    assert.equal(prod.failures.filter((f) => f.startsWith("policy cloudfront-signed-urls:")).length, 1, prod.failures.join("\n"));
  });

  it("passes prod only with a waiver in the prod pack config, which the findings then name", () => {
    const waiver = { resource: "cdn", reason: "MLOPS-123: open-weights release, public by design", expires: "2999-12-31" };
    const v = evaluatePolicyPack(prod.plan.resources, "prod", { ...loadPackConfig("prod"), "cloudfront-signed-urls": { waivers: [waiver] } }).filter((x) => x.policy === "cloudfront-signed-urls");
    assert.equal(v.length, 1);
    assert.equal(v[0].level, "advisory");
    assert.match(v[0].message, /^waived until 2999-12-31 \(MLOPS-123: open-weights release, public by design\)/);
  });
});
