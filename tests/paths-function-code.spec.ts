// A function already runs as its role: whoever may replace its code or its configuration (a layer,
// NODE_OPTIONS) runs as that role, from that very function, with no iam:PassRole and past the role's
// own pin to its function (lambda:SourceFunctionArn). The attacker paths ask it of every principal
// for every planned function; the org SCP DenyJitBrokerChangesExceptDeployer is what holds it for the
// broker's functions, so without it the administrator writes model objects through the issuer.
// The same statement denies lambda:AddPermission: a permission for an account outside the
// organization (which no SCP binds) opens the direct invoke the SCPs deny to the org's own principals.
import { strict as assert } from "node:assert";
import * as awsSdk from "@pulumi/aws";
import { buildPlan } from "../plan/build";
import { computeAttackPaths } from "../plan/paths";
import { orgScpDocuments, planFor, serially, withoutStatement } from "./support/plans";

const ADMIN = "arn:aws:iam::111111111111:role/workload-admin";
const DEPLOYER = "arn:aws:iam::111111111111:role/model-vault-deployer";

describe("attacker paths: replacing a function's code runs as its role (edge function-code)", function () {
  this.timeout(180_000);

  it("without DenyJitBrokerChangesExceptDeployer the administrator rewrites the broker's API function and writes model objects", async () => {
    const { plan, config } = await planFor("dev");
    const scps = await orgScpDocuments();
    const without = withoutStatement(scps, "DenyJitBrokerChangesExceptDeployer");
    assert.notDeepEqual(without, scps, "the org plan has the statement");
    const r = await computeAttackPaths(plan, config, without);
    const p = r.paths.find((x) => x.goal === "write-model" && x.from === ADMIN);
    assert.equal(p?.verdict, "breach", JSON.stringify(r.paths.filter((x) => x.from === ADMIN).map((x) => x.goal)));
    assert.match(p!.hops[0].action, /^lambda:/);
    assert.match(p!.hops[0].resource, /:function:model-vault-jit-api-/);
    assert.equal(p!.hops[1].action, "sts:AssumeRole", "then the issuer, as its own function, assumes the publisher");
    const issuer = plan.resources.find((x) => x.type === "aws:iam/role:Role" && x.name === "model-vault-jit-issuer")!;
    assert.ok(r.edges.some((e) => e.from === ADMIN && e.kind === "function-code" && e.to === String(issuer.outputs.arn) && /^lambda:UpdateFunction(Code|Configuration)$/.test(e.hop.action)));
  });

  it("under the org SCPs no principal but the deployer and the management account replaces a function's code", async () => {
    const { plan } = await planFor("dev");
    const viaCode = plan.paths!.filter((p) => p.hops.some((h) => h.action.startsWith("lambda:UpdateFunction")));
    assert.deepEqual([...new Set(viaCode.map((p) => p.verdict))].filter((v) => v === "breach"), []);
  });

  it("without it the administrator may also open the broker to an outside account (edge function-policy); under the SCPs only the deployer may", async () => {
    const { plan, config } = await planFor("dev");
    const scps = await orgScpDocuments();
    const issuer = plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "model-vault-jit-issuer")!;
    const issuerArn = String(issuer.outputs.arn);
    const opened = (r: Awaited<ReturnType<typeof computeAttackPaths>>, from: string) => r.edges.some((e) => e.from === from && e.kind === "function-policy" && e.to === issuerArn);
    const without = withoutStatement(scps, "DenyJitBrokerChangesExceptDeployer");
    assert.ok(opened(await computeAttackPaths(plan, config, without), ADMIN));
    const under = await computeAttackPaths(plan, config, scps);
    assert.ok(!opened(under, ADMIN));
    // (and the administrator once the management account has detached the SCPs: an accepted limit)
    assert.deepEqual([...new Set(under.edges.filter((e) => e.kind === "function-policy").map((e) => e.from))].sort(), [DEPLOYER, `${ADMIN}#no-scps`]);
  });

  it("a function policy granting another account UpdateFunctionCode (which no SCP binds) lets it run as the revoker: a breach", async () => {
    const dev = (await planFor("dev")).plan;
    const revoker = dev.resources.find((r) => r.type === "aws:lambda/function:Function" && (r.inputs.tags as Record<string, string>)["model-vault:jit"] === "revoker")!;
    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const { plan } = await serially(() =>
      buildPlan("dev", {
        program: async () => {
          const outputs = await program();
          new awsSdk.lambda.Permission("partner-deploys-revoker", { function: String(revoker.outputs.name ?? revoker.outputs.id), action: "lambda:UpdateFunctionCode", principal: "999999999999" });
          return outputs;
        },
      }),
    );
    const outsider = "arn:aws:iam::999999999999:role/outsider";
    const p = plan.paths!.find((x) => x.from === outsider && x.verdict === "breach");
    assert.ok(p, JSON.stringify(plan.paths!.filter((x) => x.from === outsider)));
    assert.equal(p.hops[0].action, "lambda:UpdateFunctionCode");
    assert.match(p.hops[0].decidedBy, /function-policy/);
  });
});
