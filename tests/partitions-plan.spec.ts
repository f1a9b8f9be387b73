// Stacks in the China (cn-north-1) and GovCloud (us-gov-west-1) partitions: the real program under the
// plan runner, with the repository's stack files moved there (tests/support/partitionStacks.ts).
// Every string the plan registers or computes names the stack's partition, never arn:aws:; the IAM
// engine decides the design matrix and the attacker paths exactly as it does for the same stacks in
// us-east-1; the bucket's guardrails still bind requests on the bucket's real (partitioned) ARN.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { buildPlan, type PlanResult } from "../plan/build";
import type { PolicyDocument } from "../iam/types";
import { partitionRoot, stringsIn } from "./support/partitionStacks";
import { serially } from "./support/plans";
import { decide } from "./support/iam";

const plans = new Map<string, Promise<PlanResult>>();
const roots: string[] = [];
function planIn(region: string, stack: string): Promise<PlanResult> {
  const key = `${region}/${stack}`;
  let p = plans.get(key);
  if (!p) {
    const root = partitionRoot(region);
    roots.push(root);
    p = serially(() => buildPlan(stack, { root }));
    plans.set(key, p);
  }
  return p;
}

after(() => {
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

/** Everything the plan registered, computed and concluded, as strings with where they are. */
function everyString(r: PlanResult): Array<{ at: string; s: string }> {
  const { plan } = r;
  return stringsIn(
    { resources: plan.resources.map((x) => ({ urn: x.urn, inputs: x.inputs, outputs: x.outputs })), outputs: plan.outputs, access: plan.access, paths: plan.paths },
    "plan",
  );
}

/**
 * A plan's decisions with the partition and region spelled as us-east-1's, to compare with that plan's.
 * Which SCP document a statement landed in is left out: longer ARNs (arn:aws-us-gov:) fill the SCP
 * size budget sooner, so the same statements may split into one more document (iam/scpPack.ts).
 */
function decisions(r: PlanResult, partition: string, region: string, suffix: string): string {
  const text = JSON.stringify({ access: r.plan.access, paths: r.plan.paths });
  return text.split(`arn:${partition}:`).join("arn:aws:").split(region).join("us-east-1").split(suffix).join("amazonaws.com").replace(/scp:scp-\d+\//g, "scp:scp-N/");
}

const CASES = [
  { region: "cn-north-1", partition: "aws-cn", suffix: "amazonaws.com.cn" },
  { region: "us-gov-west-1", partition: "aws-us-gov", suffix: "amazonaws.com" },
] as const;

for (const { region, partition, suffix } of CASES) {
  describe(`partitions: a ${region} stack plans in ${partition} throughout`, function () {
    this.timeout(240_000);

    for (const stack of ["dev", "prod", "org"]) {
      it(`${stack}: exits clean and no registered input, output or plan row says arn:aws:`, async () => {
        const r = await planIn(region, stack);
        assert.deepEqual(r.failures, []);
        assert.equal(r.config.partition, partition);
        const strings = everyString(r);
        const wrong = strings.filter((x) => x.s.includes("arn:aws:"));
        assert.deepEqual(wrong.map((x) => `${x.at}: ${x.s.slice(0, 160)}`), []);
        assert.ok(strings.some((x) => x.s.includes(`arn:${partition}:`)), `no arn:${partition}: anywhere`);
      });
    }

    it("dev: the bucket, key, roles and policies carry the partition; endpoints its DNS suffix; service principals stay <service>.amazonaws.com", async () => {
      const r = await planIn(region, "dev");
      const strings = everyString(r).map((x) => x.s);
      assert.ok(strings.includes(`arn:${partition}:s3:::acme-model-weights-dev`));
      assert.ok(strings.some((s) => s.includes(`"kms:ViaService":"s3.${region}.${suffix}"`)), "kms:ViaService names the partition's S3 endpoint");
      assert.ok(strings.some((s) => s.includes(`"AWS":"arn:${partition}:iam::111111111111:root"`)), "key administration names the partition's account root");
      // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html: service principals are not ARNs.
      assert.ok(strings.some((s) => s.includes('"Service":"sagemaker.amazonaws.com"')));
      assert.ok(!strings.some((s) => /"Service":"[^"]*\.amazonaws\.com\.cn"/.test(s)), "no .amazonaws.com.cn service principal");
    });

    it("org: the SCPs name the org stack's partition", async () => {
      const r = await planIn(region, "org");
      const scps = r.plan.resources.filter((x) => x.type === "aws:organizations/policy:Policy").map((x) => String(x.inputs.content));
      assert.ok(scps.length > 0);
      assert.ok(scps.join("\n").includes(`"aws:PrincipalArn":"arn:${partition}:iam::*:role/model-vault-deployer"`), "SCP role patterns in the partition");
      assert.ok(scps.join("\n").includes(`"arn:${partition}:s3:::acme-model-weights-*/*"`), "SCP bucket patterns in the partition");
      for (const s of scps) assert.ok(!s.includes("arn:aws:"), "no commercial-partition pattern");
    });

    for (const stack of ["dev", "prod"]) {
      it(`${stack}: the IAM engine decides the matrix and the attacker paths as for the same stack in us-east-1`, async () => {
        const here = await planIn(region, stack);
        const home = await planIn("us-east-1", stack);
        assert.ok((home.plan.access ?? []).length > 0 && (home.plan.paths ?? []).length > 0);
        assert.equal(decisions(here, partition, region, suffix), decisions(home, "aws", "us-east-1", "amazonaws.com"));
      });
    }

    // The attack partitions make possible: a bucket policy naming arn:aws:s3::: never matches the bucket
    // AWS names arn:aws-cn:s3::: (or arn:aws-us-gov:s3:::), so its denies protect nothing there.
    it("dev: an administrator's plain-HTTP read of a weight, on the bucket's real ARN, is explicitly denied by the planned bucket policy", async () => {
      const r = await planIn(region, "dev");
      const policy = r.plan.resources.find((x) => x.type === "aws:s3/bucketPolicy:BucketPolicy" && x.name === "models-policy");
      assert.ok(policy, "the model bucket's policy is in the plan");
      const doc = JSON.parse(String(policy.inputs.policy)) as PolicyDocument;
      const admin = `arn:${partition}:iam::111111111111:role/someone-admin`;
      const everything: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
      const read = (secure: "true" | "false") =>
        decide({
          principal: admin,
          action: "s3:GetObject",
          resource: `arn:${partition}:s3:::acme-model-weights-dev/models/llama/weights.safetensors`,
          identityPolicies: [everything],
          resourcePolicy: doc,
          context: { "aws:SecureTransport": secure, "aws:PrincipalArn": admin, "aws:PrincipalAccount": "111111111111", "s3:TlsVersion": "1.3" },
        });
      assert.equal(await read("false"), "ExplicitlyDenied");
      assert.equal(await read("true"), "Allowed");
    });
  });
}

describe("partitions: a workload's scpStack in another partition", function () {
  this.timeout(240_000);

  // Without the check, the commercial organization's SCPs (arn:aws: patterns) would be evaluated against
  // aws-cn principals, match nothing, and the SCP rows would pass as if they guarded the account.
  it("fails the plan: the org stack's SCPs cannot guard an account of another partition", async () => {
    const root = partitionRoot("cn-north-1", "us-east-1");
    roots.push(root);
    const r = await serially(() => buildPlan("dev", { root }));
    assert.deepEqual(
      r.failures.filter((f) => f.startsWith("scpStack org:")),
      ["scpStack org: its organization is in partition aws, this stack in aws-cn: its SCPs cannot guard this account"],
    );
    assert.ok(!(r.plan.access ?? []).some((c) => c.kind === "scp"), "no SCP rows from the foreign organization");
  });
});
