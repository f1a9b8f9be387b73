// The other side of tests/paths-known.spec.ts: the same frozen pre-fix dev plan with the fixes of
// issue 12 written by hand as the branches' contracts describe them (SCP denials of borrowing the
// broker's roles, of direct invokes, of re-trusting the people's roles, of audit-log and version
// deletes; a permissions boundary on the publisher). The graph must then report no breach, while
// the designed paths remain: the model is not pessimistic beyond what the fixes close.
import { strict as assert } from "node:assert";
import type { PolicyDocument } from "../iam/types";
import { computeAttackPaths, describePath } from "../plan/paths";
import type { Plan } from "../plan/types";
import { loadPathFixture } from "./support/pathFixture";

const fx = loadPathFixture();
const ACCOUNT = fx.config.accountId;
const notDeployer = { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/model-vault-deployer" } };
const FIXES_SCP: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "NoBorrowing", Effect: "Deny", Action: "iam:PassRole", Resource: ["arn:aws:iam::*:role/model-vault/model-vault-jit-*", "arn:aws:iam::*:role/model-vault/access-publisher-*"], Condition: notDeployer },
    { Sid: "UrlOnly", Effect: "Deny", Action: "lambda:InvokeFunction", Resource: "arn:aws:lambda:*:*:function:model-vault-jit-api-*", Condition: { ...notDeployer, BoolIfExists: { "lambda:InvokedViaFunctionUrl": "false" } } },
    {
      Sid: "People",
      Effect: "Deny",
      Action: ["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"],
      Resource: ["arn:aws:iam::*:role/ml-*"],
      Condition: notDeployer,
    },
    { Sid: "AuditLogs", Effect: "Deny", Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"], Resource: "arn:aws:s3:::*-audit/*" },
    { Sid: "Versions", Effect: "Deny", Action: ["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold"], Resource: "arn:aws:s3:::acme-*/*", Condition: notDeployer },
  ],
};
const BOUNDARY_ARN = `arn:aws:iam::${ACCOUNT}:policy/model-vault/model-vault-publisher-boundary-x`;
const BOUNDARY: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:DeleteObject"], Resource: "arn:aws:s3:::acme-model-weights-dev/models/*" },
    { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::acme-model-weights-dev" },
    { Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: "*", Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } } },
  ],
};

function fixedPlan(): Plan {
  const plan = JSON.parse(JSON.stringify(fx.plan)) as Plan;
  const publisher = plan.resources.find((r) => r.type === "aws:iam/role:Role" && (r.inputs.tags as Record<string, string>)["model-vault:role"] === "elevated")!;
  publisher.inputs.permissionsBoundary = BOUNDARY_ARN;
  plan.resources.push({ urn: "urn:pulumi:dev::model-vault::aws:iam/policy:Policy::publisher-boundary", type: "aws:iam/policy:Policy", name: "publisher-boundary", parent: null, custom: true, inputs: { policy: JSON.stringify(BOUNDARY) }, outputs: { arn: BOUNDARY_ARN }, options: { protect: false, retainOnDelete: false } });
  return plan;
}

describe("attacker paths: the pre-fix dev plan with issue 12's fixes written by hand", () => {
  it("reports no breach, and keeps the designed paths and the accepted limits with their reasons", async () => {
    const r = await computeAttackPaths(fixedPlan(), fx.config, [...fx.scps, FIXES_SCP]);
    assert.deepEqual(r.paths.filter((p) => p.verdict === "breach").map(describePath), []);
    const designed = (goal: string) => r.paths.filter((p) => p.goal === goal && p.verdict === "designed").map((p) => p.fromLabel);
    assert.ok(designed("write-model").some((l) => /requester/.test(l!)), "a requester still publishes through the broker");
    assert.ok(designed("read-weights").length >= 6, "every consumer and the distribution still read");
    assert.ok(designed("lift-revocation").some((l) => /revoker/.test(l!)));
    assert.ok(r.paths.filter((p) => p.verdict === "accepted-limit").every((p) => p.reason));
  });
});
