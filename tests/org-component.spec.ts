// OrgGuardrails under the plan runner (Pulumi mocks + fake cloud): what is registered, as registered.
import { strict as assert } from "node:assert";
import { organizationSchema, type OrgConfigInput } from "../config/org";
import { OrgGuardrails } from "../components/OrgGuardrails";
import { SCP_MAX_CHARS, ScpSizeError, buildScps, minify } from "../iam/scp";
import { renderScpSection, scpsFromPlan } from "../plan/orgScps";
import { runProgram } from "../plan/run";
import type { Plan, PlanResource } from "../plan/types";
import { serially } from "./support/plans";

const POLICY = "aws:organizations/policy:Policy";
const ATTACH = "aws:organizations/policyAttachment:PolicyAttachment";
const TAGS = { team: "ml-platform", "model-vault:stack": "orgtest" };

async function run(input: OrgConfigInput, protect = true): Promise<Plan> {
  const organization = organizationSchema.parse(input);
  const r = await serially(() =>
    runProgram("orgtest", {
      config: { "aws:region": "us-east-1", "model-vault:accountId": "999999999999" },
      program: async () => {
        const g = new OrgGuardrails("org", { organization, tags: TAGS, protect });
        return { ids: g.policyIds, sizes: g.sizes };
      },
    }),
  );
  return { project: "model-vault", stack: "orgtest", resources: r.resources, outputs: r.outputs };
}

const of = (p: Plan, type: string): PlanResource[] => p.resources.filter((r) => r.type === type);

// Long enough that the rules need more documents than the defaults (2), within the 4 a target can take.
const long = (tag: string) => `model-vault/${tag}/${"x".repeat(250)}-*`;
const bigInput: OrgConfigInput = {
  targets: ["ou-ab12-cd34ef56", "123456789012"],
  rolePathOrNamePattern: long("roles"),
  elevatedRolePattern: long("elevated"),
  deployerRolePattern: long("deployer"),
};

describe("org: OrgGuardrails component (registered inputs)", () => {
  // Since issue 12 the default guardrails no longer fit one document: each part is registered and attached.
  it("registers the SCPs whose contents are the built documents, minified and within the limit", async () => {
    const input: OrgConfigInput = { targets: ["ou-ab12-cd34ef56", "r-ab12"], modelBucketPattern: "acme-model-weights-*" };
    const p = await run(input);
    const policies = of(p, POLICY);
    const expected = buildScps(organizationSchema.parse(input), { maxDocuments: 4 }).documents;
    assert.equal(policies.length, expected.length);
    assert.ok(expected.length >= 2);
    policies.forEach((policy, i) => {
      assert.equal(policy.inputs.type, "SERVICE_CONTROL_POLICY");
      assert.equal(policy.inputs.name, `model-vault-guardrails-${i + 1}`);
      assert.equal(policy.inputs.content, minify(expected[i]));
      assert.ok(String(policy.inputs.content).length <= SCP_MAX_CHARS);
      assert.deepEqual(policy.inputs.tags, TAGS);
      assert.equal(policy.options.protect, true);
      assert.match(policy.parent ?? "", /model-vault:org:OrgGuardrails::org$/);
    });
    const stmts = policies.flatMap((x) => JSON.parse(String(x.inputs.content)).Statement as { Sid: string; Effect: string; Resource: unknown; Condition?: unknown }[]);
    assert.ok(stmts.every((s) => s.Effect === "Deny"));
    const writes = stmts.find((s) => s.Sid === "DenyModelObjectWritesExceptElevated");
    assert.deepEqual(writes?.Resource, "arn:aws:s3:::acme-model-weights-*/*");
    assert.deepEqual(writes?.Condition, { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/model-vault/access-publisher-*" } });
  });

  it("attaches every SCP to every target, by the policy's id", async () => {
    const p = await run({ targets: ["ou-ab12-cd34ef56", "123456789012", "r-ab12"] });
    const atts = of(p, ATTACH);
    for (const policy of of(p, POLICY)) {
      const mine = atts.filter((a) => a.inputs.policyId === policy.outputs.id);
      assert.deepEqual(mine.map((a) => a.inputs.targetId).sort(), ["123456789012", "ou-ab12-cd34ef56", "r-ab12"]);
      for (const a of mine) assert.equal(a.options.protect, true);
    }
    assert.equal(atts.length, of(p, POLICY).length * 3);
  });

  it("does not protect when the stack does not", async () => {
    const p = await run({ targets: ["r-ab12"] }, false);
    assert.ok(p.resources.filter((r) => r.custom).every((r) => !r.options.protect));
  });

  it("splits rules that do not fit one SCP into several, each attached to every target", async () => {
    const p = await run(bigInput);
    const policies = of(p, POLICY);
    assert.ok(policies.length >= 2, `expected a split, got ${policies.length}`);
    for (const pol of policies) assert.ok(String(pol.inputs.content).length <= SCP_MAX_CHARS);
    assert.deepEqual(policies.map((x) => x.inputs.name).sort(), policies.map((_, i) => `model-vault-guardrails-${i + 1}`).sort());
    assert.equal(of(p, ATTACH).length, policies.length * 2);
    const scps = scpsFromPlan(p);
    for (const s of scps) assert.deepEqual(s.targets.sort(), ["123456789012", "ou-ab12-cd34ef56"]);
    const text = renderScpSection(p).join("\n");
    assert.match(text, /split across \d documents/);
    assert.match(text, /target ou-ab12-cd34ef56: \d guardrail SCP\(s\) \+ FullAWSAccess = \d of 5/);
  });

  it("refuses with a clear error rules that need more SCPs than a target can take", async () => {
    await assert.rejects(run({ ...bigInput, otherScpsPerTarget: 3 }), (e: unknown) => e instanceof ScpSizeError && /only 1 more/.test(e.message));
  });

  it("the plan section shows each SCP with its size and targets", async () => {
    const p = await run({ targets: ["ou-ab12-cd34ef56"] });
    const text = renderScpSection(p).join("\n");
    const size = String(of(p, POLICY)[0].inputs.content).length;
    assert.match(text, new RegExp(`model-vault-guardrails-1  ${size}/5120 characters \\(\\d+%\\)  attached to: ou-ab12-cd34ef56`));
    assert.match(text, /Deny DenyLeaveOrganization/);
  });
});
