// The corpus: labelled real-world cases (tests/corpus/policypack-cases.json), each with the public
// source it was written from (AWS documentation, linters' fixtures, scanners' issues). Every bad case
// must be caught by the rule it names; every good case must pass every rule at mandatory level.
// Cases with an `ambiguous` note are where AWS's semantics leave room: the note records the pack's choice.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluatePolicyPack } from "../plan/policy";
import { resource } from "./support/policypack-fixtures";

interface Case {
  id: string;
  label: "good" | "bad";
  type: string;
  inputs: Record<string, unknown>;
  source: string;
  rules?: string[];
  tricky?: boolean;
  ambiguous?: string;
}

const cases = JSON.parse(fs.readFileSync(path.join(__dirname, "corpus", "policypack-cases.json"), "utf8")) as Case[];

describe("policypack: corpus", function () {
  this.timeout(60_000);

  it("has at least 250 cases, 40% good-but-tricky, each with a public source and unique id", () => {
    assert.ok(cases.length >= 250, `${cases.length} cases`);
    const tricky = cases.filter((c) => c.label === "good" && c.tricky).length;
    assert.ok(tricky / cases.length >= 0.4, `${tricky} tricky good cases of ${cases.length}`);
    assert.strictEqual(new Set(cases.map((c) => c.id)).size, cases.length);
    for (const c of cases) {
      assert.match(c.source, /^https:\/\//, c.id);
      if (c.label === "bad") assert.ok(c.rules && c.rules.length > 0, `${c.id} names the rule that must catch it`);
    }
  });

  for (const c of cases) {
    it(`${c.label} ${c.id}`, () => {
      const found = evaluatePolicyPack([resource(c.type, c.inputs, undefined, c.id)], "corpus", { all: "mandatory" }).filter((v) => v.level === "mandatory");
      if (c.label === "good") assert.deepStrictEqual(found.map((v) => `${v.policy}: ${v.message}`), [], `false alarm on ${c.id} (${c.source})`);
      else {
        const hit = found.filter((v) => c.rules!.includes(v.policy));
        assert.ok(hit.length > 0, `missed ${c.id}: expected ${c.rules!.join(" or ")}, got ${JSON.stringify(found.map((v) => v.policy))} (${c.source})`);
      }
    });
  }
});

describe("policypack: the pinning-key list", () => {
  it("has a good corpus case for each key (fixed value) and bad ones for its negated and IfExists forms", () => {
    // Imported here so the list and its cases cannot drift apart.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PIN_KEYS } = require("../policypack/iam/pins") as { PIN_KEYS: ReadonlySet<string> };
    const ids = new Set(cases.map((c) => c.id.toLowerCase()));
    for (const k of PIN_KEYS) {
      const slug = k.replace(":", "-");
      assert.ok(ids.has(`pin-${slug}`), `no good case for ${k}`);
      assert.ok(ids.has(`pin-negated-${slug}`) && ids.has(`pin-ifexists-${slug}`), `no bad cases for ${k}`);
    }
  });
});
