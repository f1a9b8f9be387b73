// The broker acts on its request table: an approval record written there by anyone but the broker
// mints a publisher session on the next claim, and a revocation record deleted there drops out of the
// deny the revoker rebuilds. No goal asked who may write the table until the attacker-path goal
// forge-approval: here the plan's own analysis must find each planted writer as a breach.
import { strict as assert } from "node:assert";
import * as awsSdk from "@pulumi/aws";
import { buildPlan } from "../plan/build";
import { computeAttackPaths } from "../plan/paths";
import { tagsOf } from "../plan/planDocuments";
import { DATA_TAG, JIT_AUDIT_DATA } from "../iam/tags";
import { orgScpDocuments, planFor, serially, withoutStatement } from "./support/plans";

const ADMIN = "arn:aws:iam::111111111111:role/workload-admin";
const DEPLOYER = "arn:aws:iam::111111111111:role/model-vault-deployer";
const MANAGEMENT = "arn:aws:iam::000000000000:role/management-admin";

describe("attacker paths: who may write the broker's request table (goal forge-approval)", function () {
  this.timeout(180_000);

  it("in the dev plan: the revoker (designed), the deployer and the management account (accepted limits), nobody else", async () => {
    const { plan } = await planFor("dev");
    const reach = plan.paths!.filter((p) => p.goal === "forge-approval");
    const revoker = reach.find((p) => p.verdict === "designed");
    assert.match(revoker?.from ?? "", /:role\/model-vault\/model-vault-jit-revoker-/);
    assert.deepEqual(reach.filter((p) => p !== revoker).map((p) => `${p.verdict} ${p.from}`).sort(), [`accepted-limit ${MANAGEMENT}`, `accepted-limit ${DEPLOYER}`]);
  });

  it("without DenyJitRequestWritesExceptBroker the workload administrator's write is a breach", async () => {
    const { plan, config } = await planFor("dev");
    const scps = await orgScpDocuments();
    const without = withoutStatement(scps, "DenyJitRequestWritesExceptBroker");
    assert.notDeepEqual(without, scps, "the org plan has the statement");
    const p = (await computeAttackPaths(plan, config, without)).paths.find((x) => x.goal === "forge-approval" && x.from === ADMIN);
    assert.equal(p?.verdict, "breach");
    assert.match(p!.hops[0].action, /^dynamodb:/);
  });

  it("a consumer role given UpdateItem on the table (a plausible 'let the batch job read request status' slip): held by the SCPs, a breach without them", async () => {
    const dev = (await planFor("dev")).plan;
    const table = dev.resources.find((r) => r.type === "aws:dynamodb/table:Table" && tagsOf(r)[DATA_TAG] === JIT_AUDIT_DATA)!;
    const consumer = dev.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "access-consumer-ec2-batch")!;
    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const { plan, config, failures } = await serially(() =>
      buildPlan("dev", {
        program: async () => {
          const outputs = await program();
          new awsSdk.iam.RolePolicy("batch-reads-requests", {
            role: String(consumer.outputs.name ?? consumer.outputs.id),
            policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:UpdateItem"], Resource: String(table.outputs.arn) }] }),
          });
          return outputs;
        },
      }),
    );
    const from = String(consumer.outputs.arn);
    // Dev runs under the org SCPs: DenyJitRequestWritesExceptBroker refuses the consumer's write.
    assert.ok(!plan.paths!.some((x) => x.goal === "forge-approval" && x.from === from));
    assert.ok(!failures.some((f) => f.startsWith("attacker path: forge-approval")), failures.join("\n"));
    // A stack without the org's SCPs: the analysis finds the slip.
    const p = (await computeAttackPaths(plan, config, [])).paths.find((x) => x.goal === "forge-approval" && x.from === from);
    assert.equal(p?.verdict, "breach");
    assert.equal(p!.hops.length, 1);
    assert.match(p!.hops[0].decidedBy, /batch-reads-requests/);
  });
});
