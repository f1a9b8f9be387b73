// Organization-level S3 Block Public Access (issue 16 item 2): the org stack's S3_POLICY, and
// AccountGuardrails in both modes under Pulumi mocks. Under an organization S3 policy the account's
// own PutPublicAccessBlock can fail with 403, so "organization" mode must register nothing that calls it.
import { strict as assert } from "node:assert";
import { AccountGuardrails } from "../components/AccountGuardrails";
import { OrgGuardrails } from "../components/OrgGuardrails";
import { ConfigError, loadStackConfig } from "../config";
import { organizationSchema } from "../config/org";
import { S3_POLICY_TYPE, blocksAllPublicAccess } from "../iam/orgS3Policy";
import { publicAccessBlockWarnings, renderPerimeterSection, s3PoliciesFromPlan } from "../plan/orgPerimeter";
import { runProgram } from "../plan/run";
import type { Plan } from "../plan/types";
import { ofType, planFor, serially } from "./support/plans";

const ACCOUNT_PAB = "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock";

async function runAccount(mode?: "manage" | "organization"): Promise<Plan> {
  const r = await serially(() =>
    runProgram("acct", {
      config: { "aws:region": "us-east-1", "model-vault:accountId": "111111111111" },
      program: async () => {
        new AccountGuardrails("account", { accountId: "111111111111", protect: false, ...(mode ? { publicAccessBlock: mode } : {}) });
        return {};
      },
    }),
  );
  return { project: "model-vault", stack: "acct", resources: r.resources, outputs: r.outputs };
}

async function runOrg(s3BlockPublicAccessPolicy: boolean): Promise<Plan> {
  const organization = organizationSchema.parse({ targets: ["ou-ab12-cd34ef56"], s3BlockPublicAccessPolicy });
  const r = await serially(() =>
    runProgram("orgs3", {
      config: { "aws:region": "us-east-1", "model-vault:accountId": "999999999999" },
      program: async () => {
        new OrgGuardrails("org", { organization, tags: {}, protect: false });
        return {};
      },
    }),
  );
  return { project: "model-vault", stack: "orgs3", resources: r.resources, outputs: r.outputs };
}

describe("org: the organization-level S3 Block Public Access policy", () => {
  it("the org stack registers an S3_POLICY turning all four settings on, attached to the targets", async () => {
    const org = await planFor("org");
    const [p, ...rest] = s3PoliciesFromPlan(org.plan);
    assert.equal(rest.length, 0);
    assert.equal(p.type, S3_POLICY_TYPE);
    // The documented syntax: https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_s3_syntax.html
    assert.deepEqual(JSON.parse(p.content), { s3_attributes: { public_access_block_configuration: { "@@assign": "all" } } });
    assert.deepEqual(p.targets, ["ou-ab12-cd34ef56"]);
    assert.ok(blocksAllPublicAccess(p.content));
    assert.ok(!blocksAllPublicAccess(JSON.stringify({ s3_attributes: { public_access_block_configuration: { "@@assign": "none" } } })));
  });

  it("is not registered unless organization.s3BlockPublicAccessPolicy is set", async () => {
    assert.equal(s3PoliciesFromPlan(await runOrg(false)).length, 0);
    assert.equal(s3PoliciesFromPlan(await runOrg(true)).length, 1);
  });

  it("the perimeter section lists the RCPs with their sizes and the S3 policy", async () => {
    const text = renderPerimeterSection((await planFor("org")).plan).join("\n");
    assert.match(text, /Resource control policies \(1; limit 5120 characters each, minified\)/);
    assert.match(text, /model-vault-perimeter {2}\d{3,4}\/5120 characters \(\d+%\) {2}attached to: ou-ab12-cd34ef56/);
    assert.match(text, /target ou-ab12-cd34ef56: 1 perimeter RCP\(s\) \+ RCPFullAWSAccess = 2 of 5/);
    assert.match(text, /Organization S3 policy model-vault-s3-block-public-access \(S3_POLICY\)/);
  });
});

describe("org: AccountGuardrails with and without the organization's S3 policy", () => {
  it("manage (the default): the account-level setting, all four flags on; the component records nothing new", async () => {
    for (const p of [await runAccount(), await runAccount("manage")]) {
      const [pab] = ofType(p.resources, ACCOUNT_PAB);
      assert.deepEqual(pab.inputs, { accountId: "111111111111", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
      assert.deepEqual(ofType(p.resources, "model-vault:account:AccountGuardrails")[0].inputs, {});
    }
  });

  it("organization: registers nothing that would call PutPublicAccessBlock (403 under the org policy) and records the mode", async () => {
    const p = await runAccount("organization");
    assert.deepEqual(p.resources.filter((r) => r.custom), []);
    assert.deepEqual(ofType(p.resources, "model-vault:account:AccountGuardrails")[0].inputs, { publicAccessBlock: "organization" });
  });

  it("the plan warns when organization mode cannot be verified or is not backed by an attached S3 policy, and when manage mode meets one", async () => {
    const relies = await runAccount("organization");
    const manages = await runAccount("manage");
    const orgWith = (await planFor("org")).plan;
    const orgWithout = await runOrg(false);
    assert.match(publicAccessBlockWarnings(relies, null).join(), /relies on the organization's S3 policy, which this plan cannot see/);
    assert.match(publicAccessBlockWarnings(relies, orgWithout).join(), /registers no attached S3 policy/);
    assert.deepEqual(publicAccessBlockWarnings(relies, orgWith), []);
    assert.match(publicAccessBlockWarnings(manages, orgWith).join(), /can fail with 403: set model-vault:publicAccessBlock: organization/);
    assert.deepEqual(publicAccessBlockWarnings(manages, orgWithout), []);
    assert.deepEqual(publicAccessBlockWarnings(manages, null), []);
  });

  it("config: model-vault:publicAccessBlock takes manage or organization, default manage, and names the key otherwise", () => {
    const base = { "aws:region": "us-east-1", "model-vault:accountId": "111111111111", "model-vault:bucketName": "acme-models-dev" };
    assert.equal(loadStackConfig("dev", base).publicAccessBlock, "manage");
    assert.equal(loadStackConfig("dev", { ...base, "model-vault:publicAccessBlock": "organization" }).publicAccessBlock, "organization");
    assert.throws(
      () => loadStackConfig("dev", { ...base, "model-vault:publicAccessBlock": "off" }),
      (e: unknown) => e instanceof ConfigError && /model-vault:publicAccessBlock: expected manage .* or organization/.test(e.message),
    );
  });
});
