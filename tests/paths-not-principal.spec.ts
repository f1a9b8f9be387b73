// The attacker paths skip, before the engine, every question no statement could allow. An Allow with
// NotPrincipal names nobody, yet grants everyone it does not exclude: the pre-checks must count it as
// a possible grant, or the analysis would prove "nobody reaches it" about a document that opens the
// weights to the world. (The policy pack refuses such a statement too; the proof must not rely on it.)
import { strict as assert } from "node:assert";
import { computeAttackPaths } from "../plan/paths";
import { EdgeIndex } from "../plan/paths/edgeIndex";
import { resourceMayGrant } from "../plan/paths/prune";
import type { PolicyDocument } from "../iam/types";
import type { Plan } from "../plan/types";
import { planFor } from "./support/plans";

const OUTSIDER = "arn:aws:iam::999999999999:role/outsider";

const allowAllBut = (action: string, resource: string, except: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Sid: "AllButOne", Effect: "Allow", NotPrincipal: { AWS: except }, Action: action, Resource: resource }],
});

describe("attacker paths: an Allow with NotPrincipal is a grant to everyone else", function () {
  this.timeout(120_000);

  it("the resource-policy pre-check counts it as a possible grant", () => {
    const doc = allowAllBut("s3:GetObject", "arn:aws:s3:::b/*", "arn:aws:iam::111111111111:role/x");
    assert.ok(resourceMayGrant(doc, { arn: OUTSIDER, account: "999999999999" }, "s3:GetObject", "arn:aws:s3:::b/k"));
  });

  it("the edge index keeps a role whose trust allows everyone but one principal", () => {
    const arn = "arn:aws:iam::111111111111:role/open";
    const role = { id: arn, arn, label: "open", kind: "stack-role" as const, identityPolicies: [], boundary: null, attachedPolicyArns: [], trust: allowAllBut("sts:AssumeRole", "*", "arn:aws:iam::111111111111:role/x"), tags: {}, underScps: false, start: true };
    const ix = new EdgeIndex({ accountId: "111111111111", region: "us-east-1", principals: [role] } as never);
    const outsider = { key: "o", principal: { ...role, id: OUTSIDER, arn: OUTSIDER, trust: null, kind: "other-account" as const }, identityPolicies: [], boundary: null, underScps: false, via: "start", sessionTags: {} };
    assert.ok(ix.assumable(outsider as never).has(0));
  });

  it("a consumer role's trust allowing all but one principal: the plan's analysis reports another account assuming it and reading the weights", async () => {
    const { plan: dev, config } = await planFor("dev");
    const plan: Plan = JSON.parse(JSON.stringify(dev));
    const role = plan.resources.find((r) => r.type === "aws:iam/role:Role" && r.name === "access-consumer-ec2-batch")!;
    role.inputs.assumeRolePolicy = JSON.stringify(allowAllBut("sts:AssumeRole", "*", "arn:aws:iam::111111111111:role/nobody"));
    const r = await computeAttackPaths(plan, config, []);
    const read = r.paths.find((p) => p.goal === "read-weights" && p.from === OUTSIDER);
    assert.equal(read?.verdict, "breach", JSON.stringify(r.paths.filter((p) => p.from === OUTSIDER)));
    assert.equal(read!.hops[0].action, "sts:AssumeRole");
    assert.match(read!.hops[0].decidedBy, /AllButOne/);
  });
});
