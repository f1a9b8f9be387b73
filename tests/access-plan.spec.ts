// The whole program under the plan runner: what the access components register, and the access
// matrix the plan computes over it (every consumer kind of the dev stack, the prod stack).
import { strict as assert } from "node:assert";
import { buildPlan, type PlanResult } from "../plan/build";
import { renderPlan } from "../plan/render";
import { readStackConfig } from "../plan/stackFiles";
import type { PlanResource } from "../plan/types";
import { doc, ofType, planFor, serially } from "./support/plans";
import { arnLike } from "../iam/arnLike";

const ROLE = "aws:iam/role:Role";
const tagsOf = (r: PlanResource) => (r.inputs.tags ?? {}) as Record<string, string>;

for (const stack of ["dev", "prod"]) {
  describe(`access roles in the ${stack} stack`, () => {
    let result: PlanResult;
    let roles: PlanResource[];
    before(async () => {
      result = await planFor(stack);
      roles = ofType(result.plan.resources, ROLE);
    });

    it("creates one consumer role per configured consumer, tagged, with one-hour sessions", () => {
      const consumers = roles.filter((r) => tagsOf(r)["model-vault:role"] === "consumer");
      assert.deepEqual(consumers.map((r) => tagsOf(r)["model-vault:consumer"]).sort(), result.config.access.consumers.map((c) => c.name).sort());
      for (const r of consumers) {
        assert.equal(r.inputs.maxSessionDuration, 3600);
        for (const [k, v] of Object.entries(result.config.tags)) assert.equal(tagsOf(r)[k], v, `${r.name} tag ${k}`);
      }
    });

    it("puts every role model-vault creates under the IAM path /model-vault/ (what the org SCPs name)", () => {
      assert.ok(roles.length >= 5);
      for (const r of roles) {
        assert.equal(r.inputs.path, "/model-vault/", r.name);
        assert.match(String(r.outputs.arn), /:role\/model-vault\/[^/]+$/, r.name);
      }
    });

    it("pins every consumer's trust policy to its workload", () => {
      for (const c of result.config.access.consumers) {
        const r = roles.find((x) => tagsOf(x)["model-vault:consumer"] === c.name)!;
        const [s, ...rest] = doc(r.inputs.assumeRolePolicy).Statement as { Principal: Record<string, string>; Action: unknown; Condition: Record<string, Record<string, string>> }[];
        assert.equal(rest.length, 0);
        switch (c.kind) {
          case "service":
            assert.deepEqual(s.Principal, { Service: c.service });
            assert.deepEqual(s.Condition, { StringEquals: { "aws:SourceAccount": result.config.accountId } });
            break;
          case "eks-irsa": {
            const issuer = c.oidcProviderArn.split("oidc-provider/")[1];
            assert.deepEqual(s.Principal, { Federated: c.oidcProviderArn });
            assert.equal(s.Action, "sts:AssumeRoleWithWebIdentity");
            assert.deepEqual(s.Condition, { StringEquals: { [`${issuer}:sub`]: `system:serviceaccount:${c.namespace}:${c.serviceAccount}`, [`${issuer}:aud`]: "sts.amazonaws.com" } });
            break;
          }
          case "eks-pod-identity":
            assert.deepEqual(s.Principal, { Service: "pods.eks.amazonaws.com" });
            assert.deepEqual(s.Action, ["sts:AssumeRole", "sts:TagSession"]);
            assert.equal(s.Condition.StringEquals["aws:RequestTag/kubernetes-service-account"], c.serviceAccount);
            assert.equal(s.Condition.StringEquals["aws:SourceAccount"], result.config.accountId);
            break;
          case "account":
            assert.deepEqual(s.Principal, { AWS: c.principalArn });
            assert.deepEqual(s.Condition, { StringEquals: { "sts:ExternalId": c.externalId } });
            break;
        }
      }
    });

    it("gives the publisher role one-hour sessions, the elevated tag, and with the broker on a trust in its issuer only", () => {
      const pub = roles.filter((r) => tagsOf(r)["model-vault:role"] === "elevated");
      assert.equal(pub.length, 1);
      assert.ok((pub[0].inputs.maxSessionDuration as number) <= 3600);
      assert.ok(result.config.jit.enabled, "both stacks run the broker");
      const issuer = roles.find((r) => tagsOf(r)["model-vault:role"] === "jit-issuer")!;
      const trust = doc(pub[0].inputs.assumeRolePolicy).Statement as { Principal: { AWS: string }; Action: string[]; Condition: Record<string, Record<string, string>> }[];
      assert.equal(trust.length, 1, "no standing MFA principals once the broker is on");
      assert.equal(trust[0].Principal.AWS, issuer.outputs.arn);
      assert.ok(trust[0].Action.includes("sts:SetSourceIdentity"));
      assert.equal(trust[0].Condition.Null["sts:SourceIdentity"], "false");
      assert.equal(trust[0].Condition.Null["aws:RequestTag/jit-request-id"], "false");
    });

    it("contributes the write/config/source-identity denies to the bucket policy with the planned role ARNs", () => {
      const pubArn = roles.find((r) => tagsOf(r)["model-vault:role"] === "elevated")!.outputs.arn;
      const bucketPolicy = ofType(result.plan.resources, "aws:s3/bucketPolicy:BucketPolicy").find((r) => r.inputs.bucket === result.config.storage.bucketName)!;
      const byId = new Map(doc(bucketPolicy.inputs.policy).Statement.map((s) => [s.Sid as string, s]));
      assert.deepEqual(byId.get("DenyObjectWritesExceptPublisher")!.Condition, { ArnNotEquals: { "aws:PrincipalArn": pubArn } });
      assert.deepEqual(byId.get("DenyBucketConfigChangesExceptDeployer")!.Condition, { ArnNotEquals: { "aws:PrincipalArn": result.config.access.deployerRoleArn } });
      assert.deepEqual(byId.get("DenyPublisherWithoutSourceIdentity")!.Condition, { ArnEquals: { "aws:PrincipalArn": pubArn }, Null: { "aws:SourceIdentity": "true" } });
    });

    it("lets each role use the bucket key via S3 only, by name or (consumers) by the consumer name pattern in the key policy", () => {
      const keyPolicy = ofType(result.plan.resources, "aws:kms/keyPolicy:KeyPolicy")[0];
      const statements = doc(keyPolicy.inputs.policy).Statement as { Principal?: { AWS?: string }; Action: string[]; Condition?: Record<string, Record<string, string>> }[];
      for (const r of roles.filter((x) => ["consumer", "elevated"].includes(tagsOf(x)["model-vault:role"]))) {
        const mine = statements.filter((s) => s.Principal?.AWS === r.outputs.arn || arnLike(s.Condition?.ArnLike?.["aws:PrincipalArn"] ?? "", String(r.outputs.arn)));
        assert.equal(mine.length, 1, r.name);
        assert.equal(mine[0].Condition!.StringEquals["kms:ViaService"], `s3.${result.config.region}.amazonaws.com`);
        assert.deepEqual(mine[0].Action, tagsOf(r)["model-vault:role"] === "consumer" ? ["kms:Decrypt"] : ["kms:GenerateDataKey", "kms:Decrypt"]);
      }
    });

    it("computes the access matrix: read-only roles list/get inside their prefixes and never put/delete; no breach", () => {
      assert.deepEqual(result.failures.filter((f) => f.startsWith("access matrix")), []);
      const cells = result.plan.access ?? [];
      for (const c of result.config.access.consumers) {
        const mine = cells.filter((x) => x.label.startsWith(`consumer ${c.name} `));
        // 10 design rows and 6 loader calls (HeadObject, ranged GetObject, ListObjectsV2; inside and outside).
        assert.equal(mine.length, 16, c.name);
        for (const x of mine) {
          if (x.action === "s3:PutObject" || x.action === "s3:DeleteObject") assert.equal(x.decision, "ExplicitlyDenied", `${c.name} ${x.action} ${x.resource}`);
          assert.ok(x.by.length > 0);
        }
        const inside = mine.filter((x) => (x as { scope?: string }).scope === "inside" && ["s3:ListBucket", "s3:GetObject"].includes(x.action));
        assert.deepEqual(inside.map((x) => x.decision), ["Allowed", "Allowed", "Allowed", "Allowed", "Allowed"], c.name);
      }
      const anonymous = cells.filter((x) => x.label === "anonymous");
      assert.equal(anonymous.length, 10);
      assert.ok(anonymous.every((x) => x.decision !== "Allowed"));
    });

    it("shows the matrix in the text plan", () => {
      const text = renderPlan(result.plan);
      assert.match(text, /Access matrix/);
      assert.match(text, /All \d+ cells are what the design promises/);
    });
  });
}

describe("access matrix in a dev stack without a deployer role", () => {
  it("warns in the plan instead of failing", async () => {
    const config = { ...readStackConfig("dev") };
    delete config["model-vault:deployerRoleArn"];
    const r = await serially(() => buildPlan("dev", { config }));
    assert.deepEqual(r.failures.filter((f) => f.startsWith("access matrix")), []);
    assert.ok(r.plan.warnings!.some((w) => /deployerRoleArn is not set/.test(w)), r.plan.warnings!.join("\n"));
    const bucketPolicy = ofType(r.plan.resources, "aws:s3/bucketPolicy:BucketPolicy").find((x) => x.inputs.bucket === r.config.storage.bucketName)!;
    assert.ok(!doc(bucketPolicy.inputs.policy).Statement.some((s) => s.Sid === "DenyBucketConfigChangesExceptDeployer"));
  });
});
