// A cell stricter than designed is a warning, not a breach (issue 19 item 4): without
// model-vault:deployerRoleArn the SCP denies PutBucketPolicy explicitly where the design expects only
// "no Allow"; nobody gains or loses access, so the plan warns (~) and does not flag a breach (!).
import { strict as assert } from "node:assert";
import { accessModelFromPlan, designQuestions } from "../plan/access";
import { buildPlan } from "../plan/build";
import { denyKindMatters, markOf, markOfRow } from "../plan/expectation";
import { renderPlan } from "../plan/render";
import { readStackConfig } from "../plan/stackFiles";
import type { AccessDecision } from "../plan/types";
import type { Expected } from "../plan/expectation";
import { planFor, serially } from "./support/plans";

const DECISIONS: AccessDecision[] = ["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"];
const EXPECTED: Expected[] = [...DECISIONS, "AllowedOrDenied"];

describe("review: stricter than designed is a warning", () => {
  it("for every promise, answer and set: access gained or lost is a breach, a kept promise has no mark", () => {
    for (const e of EXPECTED)
      for (const d of DECISIONS)
        for (const kind of ["design", "scp", "network"] as const) {
          const mark = markOf(e, d, kind !== "design");
          assert.equal(markOfRow({ expected: e, decision: d, kind }), mark);
          if (e === "AllowedOrDenied" || e === d) assert.equal(mark, null, `${e} ${d} ${kind}`);
          else if ((d === "Allowed") !== (e === "Allowed")) assert.equal(mark, "breach", `${e} ${d} ${kind}`);
          else assert.equal(mark, kind === "design" ? "warning" : "breach", `${e} ${d} ${kind}`);
        }
  });

  it("the rule: a denial of another kind warns in the design matrix; an Allow gained or lost is a breach", () => {
    assert.equal(markOfRow({ expected: "ImplicitlyDenied", decision: "ExplicitlyDenied", kind: "design" }), "warning");
    assert.equal(markOfRow({ expected: "ExplicitlyDenied", decision: "ImplicitlyDenied", kind: "design" }), "warning");
    assert.equal(markOfRow({ expected: "ImplicitlyDenied", decision: "Allowed", kind: "design" }), "breach");
    assert.equal(markOfRow({ expected: "Allowed", decision: "ExplicitlyDenied", kind: "design" }), "breach");
    // The SCP rows promise the kind of denial too; a set the renderer does not know is read strictly.
    assert.equal(markOfRow({ expected: "ImplicitlyDenied", decision: "ExplicitlyDenied", kind: "scp" }), "breach");
    assert.equal(markOfRow({ expected: "ImplicitlyDenied", decision: "ExplicitlyDenied", kind: "network" as never }), "breach");
    assert.equal(markOfRow({ expected: "ImplicitlyDenied", decision: "ExplicitlyDenied" }), "warning", "a plan from before `kind` holds design rows");
  });


  it("the design questions leave the kind of denial free, as the renderers read them", async () => {
    const { plan, config } = await planFor("dev");
    const { model } = accessModelFromPlan(plan, config);
    const qs = designQuestions(model);
    assert.ok(qs.length > 0);
    assert.ok(qs.every((q) => q.denyKindMatters === denyKindMatters(q.kind)));
  });

  it("dev without deployerRoleArn: four stricter cells are warnings (~), the plan passes and says why", async () => {
    const config = { ...readStackConfig("dev") };
    delete config["model-vault:deployerRoleArn"];
    const { plan, failures } = await serially(() => buildPlan("dev", { config }));
    assert.deepEqual(failures, []);
    const stricter = plan.access!.filter((c) => markOfRow(c) !== null);
    assert.equal(stricter.length, 4);
    assert.ok(stricter.every((c) => c.action === "s3:PutBucketPolicy" && c.decision === "ExplicitlyDenied" && c.expected === "ImplicitlyDenied" && markOfRow(c) === "warning"));
    const text = renderPlan(plan, { width: 250, failures });
    const lines = text.split("\n");
    assert.match(lines[0], /^PASS model-vault\/dev: .*0 access breaches/);
    assert.match(text, /Access matrix: \d+ cells for \d+ principal\(s\): 0 breaches, 4 warning\(s\)/);
    const grid = lines.filter((l) => /^ {2}(publisher|cloudfront)/.test(l));
    assert.equal(grid.filter((l) => /D~/.test(l)).length, 4);
    assert.ok(!lines.some((l) => /^ {2}\S.*[AD.]!/.test(l)), "no cell flagged as a breach");
    assert.equal(lines.filter((l) => /^ {2}warning .*s3:PutBucketPolicy .* is ExplicitlyDenied, expected ImplicitlyDenied \(stricter than designed\)/.test(l)).length, 4);
  });
});
