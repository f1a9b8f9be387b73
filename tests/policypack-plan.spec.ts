// plan/policy.ts: the offline evaluator honours pack config like `--policy-pack-config`, and the
// rules behave the same under CrossGuard's own unknown-checking proxy.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { evaluatePolicyPack, hasMandatory, levelOf, loadPackConfig, resourceArgs } from "../plan/policy";
import { policies } from "../policypack/policies";
import { doc, resource } from "./support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";
import { UNKNOWN_STRING } from "../policypack/lib/unknown";

const wildcard = () => resource(T.managedPolicy, { policy: doc({ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::m/*" }) });

describe("policypack: plan integration", () => {
  it("policies have unique names, descriptions and levels", () => {
    const names = policies.map((p) => p.name);
    assert.strictEqual(new Set(names).size, names.length);
    for (const p of policies) {
      assert.ok(p.description.length > 20, p.name);
      assert.ok(p.enforcementLevel, p.name);
    }
  });
  it("index.ts hands exactly `policies` to the PolicyPack", () => {
    const src = fs.readFileSync(path.join(__dirname, "..", "policypack", "index.ts"), "utf8");
    assert.match(src, /new PolicyPack\(PACK_NAME, \{\s*policies,/);
  });
  it("the pack's package.json pins the root's versions", () => {
    const root = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8"));
    const pack = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policypack", "package.json"), "utf8"));
    assert.ok(pack.version);
    for (const d of Object.keys(pack.dependencies)) assert.strictEqual(pack.dependencies[d], root.dependencies[d], d);
  });
  it("fails on a wildcard action or a public principal added to a stack", () => {
    const pub = resource(T.bucketPolicy, { bucket: "m", policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::m/*" }) });
    for (const stack of ["dev", "prod", "org"]) {
      assert.ok(hasMandatory(evaluatePolicyPack([wildcard()], stack)), stack);
      assert.ok(hasMandatory(evaluatePolicyPack([pub], stack)), stack);
    }
  });
  it("honours `all`, per-rule levels and `disabled`", () => {
    assert.strictEqual(levelOf("x", "mandatory", { all: "advisory" }), "advisory");
    assert.strictEqual(levelOf("x", "mandatory", { all: "advisory", x: { enforcementLevel: "mandatory" } }), "mandatory");
    const v = evaluatePolicyPack([wildcard()], "t", { "no-wildcard-actions": "advisory" });
    assert.deepStrictEqual(v.filter((x) => x.policy === "no-wildcard-actions").map((x) => x.level), ["advisory"]);
    assert.strictEqual(evaluatePolicyPack([wildcard()], "t", { "no-wildcard-actions": "disabled" }).filter((x) => x.policy === "no-wildcard-actions").length, 0);
  });
  it("loads the checked-in configs: prod and org all mandatory", () => {
    assert.deepStrictEqual(loadPackConfig("prod"), { all: "mandatory" });
    assert.deepStrictEqual(loadPackConfig("org"), { all: "mandatory" });
    for (const [k, v] of Object.entries(loadPackConfig("dev"))) assert.ok(policies.some((p) => p.name === k), `dev.json names unknown rule ${k}: ${JSON.stringify(v)}`);
    assert.deepStrictEqual(loadPackConfig("no-such-stack"), {});
  });
  it("turns a crashing rule into a mandatory violation and honours notApplicable", () => {
    const boom: ResourceValidationPolicy = { name: "boom", description: "throws", enforcementLevel: "advisory", validateResource: () => { throw new Error("bad"); } };
    const na: ResourceValidationPolicy = { name: "na", description: "n/a", enforcementLevel: "mandatory", validateResource: (a) => a.notApplicable("nope") };
    const v = evaluatePolicyPack([wildcard()], "t", {}, { policies: [boom, na] });
    assert.deepStrictEqual(v.map((x) => [x.policy, x.level]), [["boom", "mandatory"]]);
  });
  it("passes stackTags, getConfig, isType and asType", () => {
    const seen: unknown[] = [];
    const spy: ResourceValidationPolicy = {
      name: "spy",
      description: "records its args",
      validateResource: (a) => {
        seen.push(a.stackTags.get("team"), a.getConfig<{ x?: number }>().x, a.isType({ __pulumiType: T.managedPolicy } as never), a.asType({ __pulumiType: T.bucket } as never));
      },
    };
    evaluatePolicyPack([wildcard()], "t", { spy: { enforcementLevel: "advisory", x: 7 } }, { policies: [spy], stackTags: { team: "ml" } });
    assert.deepStrictEqual(seen, ["ml", 7, true, undefined]);
  });
  it("rules see through CrossGuard's unknown-checking proxy and report unknowns as advisory", () => {
    // The same wrapper the CLI's analyzer puts around props (exported at runtime, not in the d.ts).
    const { unknownCheckingProxy } = require("@pulumi/policy") as { unknownCheckingProxy: (o: object) => Record<string, unknown> };
    const r = resource(T.bucketPolicy, { bucket: UNKNOWN_STRING, policy: UNKNOWN_STRING });
    const messages: { level: string; message: string }[] = [];
    for (const p of policies) {
      const rp = p as ResourceValidationPolicy;
      if (!rp.validateResource || Array.isArray(rp.validateResource)) continue;
      const args = { ...resourceArgs(r, {}, new Map()), props: unknownCheckingProxy({ ...r.inputs }) };
      rp.validateResource(args, ((m: unknown) =>
        messages.push(typeof m === "string" ? { level: "rule", message: m } : (m as { enforcementLevel: string; message: string }) && { level: (m as { enforcementLevel: string }).enforcementLevel, message: (m as { message: string }).message })) as never);
    }
    assert.deepStrictEqual(messages.map((m) => m.level), ["advisory"]);
    assert.match(messages[0].message, /not known yet/);
  });
});
