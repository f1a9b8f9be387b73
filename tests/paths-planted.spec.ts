// A team adds one resource next to model-vault that opens an escalation: the plan exits 1 naming the path.
import { strict as assert } from "node:assert";
import * as awsSdk from "@pulumi/aws";
import { buildPlan } from "../plan/build";
import { planFor, serially } from "./support/plans";

describe("attacker paths: a planted escalation fails the plan", () => {
  it("another account allowed to invoke the broker's API function directly reaches the publisher's writes", async () => {
    const dev = (await planFor("dev")).plan;
    const api = dev.resources.find((r) => r.type === "aws:lambda/function:Function" && (r.inputs.tags as Record<string, string>)["model-vault:jit"] === "api")!;
    const fnName = String(api.outputs.name ?? api.outputs.id);
    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const { plan, failures } = await serially(() =>
      buildPlan("dev", {
        program: async () => {
          const outputs = await program();
          // Looks harmless ("let the partner's pipeline call our function"): a direct invoke writes the whole event.
          new awsSdk.lambda.Permission("partner-invoke", { function: fnName, action: "lambda:InvokeFunction", principal: "999999999999" });
          return outputs;
        },
      }),
    );
    const outsider = "arn:aws:iam::999999999999:role/outsider";
    const p = plan.paths!.find((x) => x.from === outsider && x.goal === "write-model")!;
    assert.ok(p, "the other account reaches write-model");
    assert.equal(p.verdict, "breach");
    assert.equal(p.hops[0].action, "lambda:InvokeFunction");
    assert.match(p.hops[0].decidedBy, /function-policy\/partner-invoke/);
    assert.ok(failures.some((f) => f.startsWith("attacker path: write-model from principal of another account") && f.includes("lambda:InvokeFunction")), failures.join("\n"));
    // Without the planted permission the other account reaches nothing.
    assert.ok(!dev.paths!.some((x) => x.from === outsider));
  });
});
