// Waivers: one resource exempted from one rule, with a reason and an expiry date, in the pack config.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluatePolicyPack, loadPackConfig, PackConfig } from "../plan/policy";
import { planFor } from "./support/plans";
import { resource } from "./support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const legacy = () => resource(T.rolePolicyAttachment, { role: "legacy", policyArn: ADMIN }, undefined, "legacy-admin");
const other = () => resource(T.rolePolicyAttachment, { role: "other", policyArn: ADMIN }, undefined, "other-admin");
const waive = (resourcePattern: string, expires: string, rule = "no-broad-managed-policy"): PackConfig => ({
  all: "mandatory",
  [rule]: { waivers: [{ resource: resourcePattern, reason: "INC-1234: vendor role, replaced next quarter", expires }] },
});
const mandatory = (c: PackConfig, ...rs: ReturnType<typeof legacy>[]) => evaluatePolicyPack(rs, "test", c).filter((v) => v.level === "mandatory");

describe("policypack: waivers", () => {
  it("an active waiver exempts the named resource from that rule only, and is listed as advisory with its reason and date", () => {
    const c = waive("legacy-*", "2999-12-31");
    const all = evaluatePolicyPack([legacy(), other()], "test", c);
    const m = all.filter((v) => v.level === "mandatory");
    assert.strictEqual(m.length, 1);
    assert.ok(m[0].urn.endsWith("::other-admin"));
    const listed = all.filter((v) => v.level === "advisory" && v.urn.endsWith("legacy-admin"));
    assert.strictEqual(listed.length, 1);
    assert.match(listed[0].message, /^waived until 2999-12-31 \(INC-1234: vendor role, replaced next quarter\): /);
  });
  it("a waiver by exact URN works; a waiver for another rule exempts nothing", () => {
    assert.deepStrictEqual(mandatory(waive(legacy().urn, "2999-12-31"), legacy()), []);
    assert.strictEqual(mandatory(waive("legacy-*", "2999-12-31", "no-wildcard-actions"), legacy()).length, 1);
  });
  it("an expired waiver is a violation: the finding counts again and says the waiver expired", () => {
    const m = mandatory(waive("legacy-*", "2020-01-31"), legacy());
    assert.strictEqual(m.length, 1);
    assert.match(m[0].message, /expired on 2020-01-31/);
  });
  it("an expired waiver on a resource that no longer needs it is a violation too", () => {
    const fixed = resource(T.rolePolicyAttachment, { role: "legacy", policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" }, undefined, "legacy-admin");
    const m = mandatory(waive("legacy-*", "2020-01-31"), fixed);
    assert.strictEqual(m.length, 1);
    assert.match(m[0].message, /expired on 2020-01-31; remove it/);
  });
  it("an invalid waiver waives nothing and is reported", () => {
    const c: PackConfig = { all: "mandatory", "no-broad-managed-policy": { waivers: [{ resource: "legacy-*", expires: "next year" }] } };
    const m = mandatory(c, legacy());
    assert.ok(m.some((v) => /waivers for no-broad-managed-policy are invalid/.test(v.message) && /reason/.test(v.message) && /expires/.test(v.message)));
    assert.ok(m.some((v) => /attaches arn:aws:iam::aws:policy\/AdministratorAccess/.test(v.message)));
  });
  it("the offline plan's config loader names the file and every bad waiver at once", () => {
    const name = `waiver-test-${process.pid}`;
    const file = path.join(__dirname, "..", "policypack", "config", `${name}.json`);
    fs.writeFileSync(file, JSON.stringify({ "no-wildcard-actions": { waivers: [{ resource: "" }] }, "no-public-principals": { waivers: "x" } }));
    try {
      assert.throws(() => loadPackConfig(name), (e: Error) => e.message.includes(`${name}.json`) && e.message.includes("no-wildcard-actions.waivers[0]") && e.message.includes("no-public-principals.waivers"));
    } finally {
      fs.unlinkSync(file);
    }
  });
  it("end to end in the dev plan: a waived legacy attachment keeps the plan clean and is listed; expired, it blocks", async function () {
    this.timeout(120_000);
    const { plan } = await planFor("dev");
    const base = loadPackConfig("dev");
    const withWaiver = { ...base, "no-broad-managed-policy": { waivers: [{ resource: "legacy-*", reason: "INC-1234", expires: "2999-12-31" }] } };
    const active = evaluatePolicyPack([...plan.resources, legacy()], "dev", withWaiver);
    assert.deepStrictEqual(active.filter((v) => v.level === "mandatory"), []);
    assert.ok(active.some((v) => v.policy === "no-broad-managed-policy" && v.level === "advisory" && v.message.startsWith("waived until 2999-12-31 (INC-1234)")));
    const lapsed = { ...base, "no-broad-managed-policy": { waivers: [{ resource: "legacy-*", reason: "INC-1234", expires: "2020-01-01" }] } };
    assert.strictEqual(evaluatePolicyPack([...plan.resources, legacy()], "dev", lapsed).filter((v) => v.level === "mandatory").length, 1);
  });
  it("every rule declares the waiver settings, so `--policy-pack-config` accepts them", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { policies } = require("../policypack/policies") as typeof import("../policypack/policies");
    for (const p of policies) assert.ok(p.configSchema?.properties["waivers"], `${p.name} has no waivers setting`);
  });
});
