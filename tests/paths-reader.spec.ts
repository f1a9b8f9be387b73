// Attacker paths found through the one reader of the planned documents (plan/planDocuments.ts), on
// tiny hand-made plans: each reading (a Lambda permission, a trust policy, a trust rewrite) with the
// path it opens and a negative case, decided by the IAM engine.
import { strict as assert } from "node:assert";
import { computeAttackPaths } from "../plan/paths";
import { OTHER_ACCOUNT } from "../plan/paths/principals";
import { ELEVATED_ROLE, ROLE_TAG, jitRoleTag } from "../iam/tags";
import type { PlanResource } from "../plan/types";
import { OTHER_ACCOUNT_ROOT, TINY_ACCOUNT, TINY_BUCKET_ARN, TINY_KEY_ARN, allow, consumerRole, doc, resource, roleArn, tinyConfig, tinyPlan, tinyRole } from "./support/tinyPlan";

const OUTSIDER = `arn:aws:iam::${OTHER_ACCOUNT}:role/outsider`;
const FUNCTION = `arn:aws:lambda:us-east-1:${TINY_ACCOUNT}:function:jit-api`;

/** The broker's parts as a stack plans them: the API function running as the issuer, which may assume the publisher. */
function broker(...permissions: Record<string, unknown>[]): PlanResource[][] {
  return [
    tinyRole("jit-issuer", doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }), doc(allow("sts:AssumeRole", roleArn("access-publisher"))), { [ROLE_TAG]: jitRoleTag("issuer") }),
    tinyRole(
      "access-publisher",
      doc({ Effect: "Allow", Principal: { AWS: roleArn("jit-issuer") }, Action: "sts:AssumeRole" }),
      doc(allow("s3:PutObject", `${TINY_BUCKET_ARN}/*`), allow("kms:GenerateDataKey", TINY_KEY_ARN)),
      { [ROLE_TAG]: ELEVATED_ROLE },
    ),
    [resource("aws:lambda/function:Function", "jit-api", { name: "jit-api", role: roleArn("jit-issuer"), tags: { "model-vault:jit": "api" } }, { arn: FUNCTION, id: "jit-api" })],
    permissions.map((p, i) => resource("aws:lambda/permission:Permission", `permission-${i + 1}`, { function: "jit-api", ...p })),
  ];
}

describe("attacker paths through the one reader (tiny plans)", () => {
  it("a Lambda permission granting lambda:InvokeFunction to another account: it forges the broker's caller and writes models", async () => {
    const r = await computeAttackPaths(tinyPlan(...broker({ action: "lambda:InvokeFunction", principal: OTHER_ACCOUNT })), tinyConfig(), []);
    const p = r.paths.find((x) => x.from === OUTSIDER && x.goal === "write-model");
    assert.ok(p, r.paths.map((x) => `${x.goal} ${x.from}`).join("\n"));
    assert.equal(p.verdict, "breach");
    assert.deepEqual(
      p.hops.map((h) => h.action),
      ["lambda:InvokeFunction", "sts:AssumeRole", "s3:PutObject + kms:GenerateDataKey"],
    );
    assert.match(p.hops[0].decidedBy, /function-policy\/permission-1/);
  });

  it("negative: the same account granted only the function URL (AWS_IAM) cannot invoke directly", async () => {
    const r = await computeAttackPaths(
      tinyPlan(...broker({ action: "lambda:InvokeFunctionUrl", principal: OTHER_ACCOUNT, functionUrlAuthType: "AWS_IAM" }, { action: "lambda:InvokeFunction", principal: OTHER_ACCOUNT, invokedViaFunctionUrl: true })),
      tinyConfig(),
      [],
    );
    assert.ok(!r.paths.some((x) => x.from === OUTSIDER), r.paths.map((x) => `${x.goal} ${x.from}`).join("\n"));
  });

  it("a trust policy naming another account: that account reads the weights through the role", async () => {
    const r = await computeAttackPaths(tinyPlan(consumerRole("reader", OTHER_ACCOUNT_ROOT)), tinyConfig(), []);
    const p = r.paths.find((x) => x.from === OUTSIDER && x.goal === "read-weights");
    assert.ok(p);
    assert.equal(p.verdict, "breach");
    assert.equal(p.hops[0].action, "sts:AssumeRole");
    assert.match(p.hops[0].decidedBy, /trust:/);
  });

  it("negative: a trust naming only a role of the account leaves the other account outside", async () => {
    const r = await computeAttackPaths(tinyPlan(consumerRole("reader", `arn:aws:iam::${TINY_ACCOUNT}:role/app`)), tinyConfig(), []);
    assert.ok(!r.paths.some((x) => x.from === OUTSIDER));
  });

  it("a trust policy edit: a role allowed iam:UpdateAssumeRolePolicy on the consumer role re-trusts itself into its reads", async () => {
    const helper = (resource: string) => tinyRole("helper", doc({ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }), doc(allow("iam:UpdateAssumeRolePolicy", resource)));
    const r = await computeAttackPaths(tinyPlan(consumerRole("reader", `arn:aws:iam::${TINY_ACCOUNT}:role/app`), helper(roleArn("reader"))), tinyConfig(), []);
    const p = r.paths.find((x) => x.from === roleArn("helper") && x.goal === "read-weights");
    assert.ok(p, r.paths.map((x) => `${x.goal} ${x.from}`).join("\n"));
    assert.equal(p.verdict, "breach");
    assert.deepEqual([p.hops[0].action, p.hops[0].resource], ["iam:UpdateAssumeRolePolicy", roleArn("reader")]);

    const other = await computeAttackPaths(tinyPlan(consumerRole("reader", `arn:aws:iam::${TINY_ACCOUNT}:role/app`), helper(roleArn("someone-else"))), tinyConfig(), []);
    assert.ok(!other.paths.some((x) => x.from === roleArn("helper") && x.goal === "read-weights"));
  });

  it("the function URL's planned auth type: an AWS_IAM URL is the requester's designed way to the publisher; a NONE URL is no way at all", async () => {
    const requester = `arn:aws:iam::${TINY_ACCOUNT}:role/requester`;
    const cfg = { ...tinyConfig(), jit: { enabled: true, requesters: [requester], approvers: [], breakGlass: [] } };
    const url = (authorizationType: string) => [resource("aws:lambda/functionUrl:FunctionUrl", "jit-api-url", { functionName: "jit-api", authorizationType })];
    const iam = await computeAttackPaths(tinyPlan(...broker(), url("AWS_IAM")), cfg, []);
    const designed = iam.paths.find((x) => x.from === requester && x.goal === "write-model");
    assert.ok(designed, iam.paths.map((x) => `${x.goal} ${x.from}`).join("\n"));
    assert.equal(designed.verdict, "designed");
    assert.equal(designed.hops[0].action, "lambda:InvokeFunctionUrl");
    // The caller policy (jit/caller-policy.ts) asks lambda:FunctionUrlAuthType = AWS_IAM, and the broker needs a signed caller.
    const none = await computeAttackPaths(tinyPlan(...broker(), url("NONE")), cfg, []);
    assert.ok(!none.paths.some((x) => x.from === requester && x.goal === "write-model"));
  });
});
