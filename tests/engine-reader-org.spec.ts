// The organization's policies as every question set reads them (plan/orgLayers.ts): SCP and RCP
// layers built from the planned aws.organizations.Policy resources (by type) and their attachments
// (root, OU, account), on tiny hand-made plans, decided by the IAM engine.
import { strict as assert } from "node:assert";
import { computeAccessMatrix } from "../plan/access";
import { decide } from "../plan/decide";
import { orgLayers, orgPoliciesFromPlan, type OrgLayers } from "../plan/orgLayers";
import { computeAttackPaths } from "../plan/paths";
import { startActor } from "../plan/paths/edges";
import { PathEngine } from "../plan/paths/engine";
import { OTHER_ACCOUNT, pathModelFromPlan } from "../plan/paths/principals";
import { ADMINISTRATOR_ACCESS } from "../plan/planDocuments";
import { scpMatrixCells } from "../plan/scpRows";
import {
  OTHER_ACCOUNT_ROOT,
  TINY_ACCOUNT,
  TINY_BUCKET_ARN,
  consumerRole,
  doc,
  orgPolicy,
  resource,
  roleArn,
  TINY_KEY_ARN,
  tinyConfig,
  tinyPlan,
} from "./support/tinyPlan";

const ORG_ID = "o-tiny1234";
const OUTSIDER = `arn:aws:iam::${OTHER_ACCOUNT}:role/outsider`;
const ADMIN = `arn:aws:iam::${TINY_ACCOUNT}:role/some-admin`;
const OBJECT = `${TINY_BUCKET_ARN}/models/example.safetensors`;

const deny = (Sid: string, Action: string) => doc({ Sid, Effect: "Deny", Action, Resource: "*" });

/** The data-perimeter RCP: nobody outside the organization reaches its resources (services exempt). */
const PERIMETER_RCP = doc({
  Sid: "DenyOutsideOrg",
  Effect: "Deny",
  Principal: "*",
  Action: ["s3:*", "sts:*", "kms:*"],
  Resource: "*",
  Condition: { StringNotEqualsIfExists: { "aws:PrincipalOrgID": ORG_ID }, BoolIfExists: { "aws:PrincipalIsAWSService": "false" } },
});

const layersOf = (plan: ReturnType<typeof tinyPlan>, organizationId?: string): OrgLayers => orgLayers(orgPoliciesFromPlan(plan), TINY_ACCOUNT, organizationId);

const adminAsks = (org: OrgLayers, action: string, resource: string) =>
  decide(
    {
      principal: ADMIN,
      action,
      resource,
      resourceAccount: TINY_ACCOUNT,
      context: { "aws:PrincipalArn": ADMIN, "aws:PrincipalAccount": TINY_ACCOUNT },
      identityPolicies: [{ name: "AdministratorAccess", policy: ADMINISTRATOR_ACCESS }],
      scps: org.scps,
      rcps: org.rcps,
    },
    "test",
  );

describe("engine-reader: the org levels (root, OU, account) from the planned attachments", () => {
  const plan = tinyPlan(
    orgPolicy("at-root", "SERVICE_CONTROL_POLICY", deny("NoDeletes", "s3:DeleteObject"), ["r-ab12"]),
    orgPolicy("at-ou", "SERVICE_CONTROL_POLICY", deny("NoPolicyChanges", "s3:PutBucketPolicy"), ["ou-ab12-cd34ef56"]),
    orgPolicy("at-this-account", "SERVICE_CONTROL_POLICY", deny("NoTrailStop", "cloudtrail:StopLogging"), [TINY_ACCOUNT]),
    orgPolicy("at-another-account", "SERVICE_CONTROL_POLICY", deny("NoVersioningChanges", "s3:PutBucketVersioning"), ["222222222222"]),
  );

  it("an SCP attached at the root, one at the OU and one at the account all bind; each level keeps FullAWSAccess", async () => {
    const org = layersOf(plan);
    assert.deepEqual(
      org.scps.map((l) => [l.orgIdentifier, l.policies.map((p) => p.name)]),
      [
        ["r-root", ["FullAWSAccess", "scp-1"]],
        ["ou-workloads", ["FullAWSAccess", "scp-2"]],
        [TINY_ACCOUNT, ["FullAWSAccess", "scp-3"]],
      ],
    );
    assert.equal(org.rcps.length, 0);
    const del = await adminAsks(org, "s3:DeleteObject", OBJECT);
    assert.deepEqual([del.decision, del.by], ["ExplicitlyDenied", "scp:scp-1/NoDeletes"]);
    const put = await adminAsks(org, "s3:PutBucketPolicy", TINY_BUCKET_ARN);
    assert.deepEqual([put.decision, put.by], ["ExplicitlyDenied", "scp:scp-2/NoPolicyChanges"]);
    const stop = await adminAsks(org, "cloudtrail:StopLogging", `arn:aws:cloudtrail:us-east-1:${TINY_ACCOUNT}:trail/t`);
    assert.deepEqual([stop.decision, stop.by], ["ExplicitlyDenied", "scp:scp-3/NoTrailStop"]);
  });

  it("an SCP attached only to another account does not protect this one (the old one-OU model counted every planned SCP)", async () => {
    const org = layersOf(plan);
    const d = await adminAsks(org, "s3:PutBucketVersioning", TINY_BUCKET_ARN);
    assert.equal(d.decision, "Allowed");
  });

  it("the design matrix and the attacker paths read the same layers: root and OU denials both decide their rows", async () => {
    const org = layersOf(plan);
    const m = await computeAccessMatrix(plan, { access: tinyConfig().access }, { scps: org });
    const unrelated = m.cells.filter((c) => c.label.startsWith("unrelated role"));
    const row = (action: string, scope: string) => unrelated.find((c) => c.action === action && (c as { scope?: string }).scope === scope)!;
    assert.match(row("s3:DeleteObject", "inside").by, /scp:scp-1\/NoDeletes/);
    assert.match(row("s3:PutBucketPolicy", "bucket").by, /scp:scp-2\/NoPolicyChanges/);
    const r = await computeAttackPaths(plan, tinyConfig(), org);
    const admin = r.paths.filter((p) => p.from.endsWith(":role/workload-admin"));
    assert.ok(!admin.some((p) => p.goal === "delete-model"), "the root SCP keeps the administrator from deletes");
    const guard = admin.find((p) => p.goal === "change-bucket-guard");
    assert.ok(guard && !guard.hops.some((h) => h.action === "s3:PutBucketPolicy"), "the OU SCP keeps it from the bucket policy");
  });
});

describe("engine-reader: RCPs from the planned org policies reach every question set", () => {
  const withRcp = (...extra: ReturnType<typeof orgPolicy>[]) => tinyPlan(consumerRole("reader", OTHER_ACCOUNT_ROOT), ...extra);

  it("an RCP is read by its policy type beside the SCPs, at its attachment's level", () => {
    const plan = withRcp(orgPolicy("perimeter", "RESOURCE_CONTROL_POLICY", PERIMETER_RCP, ["r-ab12"]), orgPolicy("guard", "SERVICE_CONTROL_POLICY", deny("NoDeletes", "s3:DeleteObject"), ["ou-ab12-cd34ef56"]));
    const org = layersOf(plan, ORG_ID);
    // RCPFullAWSAccess is the engine's to add at every level (it refuses an Allow in an RCP).
    assert.deepEqual(org.rcps.map((l) => [l.orgIdentifier, l.policies.map((p) => p.name)]), [["r-root", ["rcp-1"]]]);
    assert.deepEqual(org.scps.map((l) => l.policies.map((p) => p.name)), [["FullAWSAccess"], ["FullAWSAccess", "scp-1"]]);
  });

  it("attacker paths: another account trusted by a consumer role reads the weights; the perimeter RCP stops it, and says so", async () => {
    const without = withRcp();
    const before = await computeAttackPaths(without, tinyConfig(), layersOf(without, ORG_ID));
    const outsiderRead = before.paths.find((p) => p.from === OUTSIDER && p.goal === "read-weights");
    assert.ok(outsiderRead, "without the RCP the other account reads through the consumer role");
    assert.equal(outsiderRead.verdict, "breach");
    assert.equal(outsiderRead.hops[0].action, "sts:AssumeRole");

    const plan = withRcp(orgPolicy("perimeter", "RESOURCE_CONTROL_POLICY", PERIMETER_RCP, ["r-ab12"]));
    const org = layersOf(plan, ORG_ID);
    const after = await computeAttackPaths(plan, tinyConfig(), org);
    assert.ok(!after.paths.some((p) => p.from === OUTSIDER), after.paths.map((p) => `${p.goal} ${p.from}`).join("\n"));
    // The principals of the organization keep their reads: the consumer role itself.
    assert.ok(after.paths.some((p) => p.from === roleArn("reader") && p.goal === "read-weights" && p.verdict === "designed"));
    // The refused hop is decided by the RCP.
    const model = pathModelFromPlan(plan, tinyConfig(), org);
    const engine = new PathEngine(model);
    const outsider = model.principals.find((p) => p.arn === OUTSIDER)!;
    const reader = model.principals.find((p) => p.arn === roleArn("reader"))!;
    const ans = await engine.ask(startActor(outsider), { action: "sts:AssumeRole", resource: reader.arn, resourcePolicy: reader.trust, resourceName: "trust:reader" });
    assert.deepEqual([ans.decision, ans.by], ["ExplicitlyDenied", "rcp:rcp-1/DenyOutsideOrg"]);
  });

  it("the design matrix: the anonymous caller's read is denied by the RCP; the consumer's stays allowed", async () => {
    const plan = withRcp(orgPolicy("perimeter", "RESOURCE_CONTROL_POLICY", PERIMETER_RCP, ["ou-ab12-cd34ef56"]));
    const cfg = { access: { ...tinyConfig().access, consumers: [{ name: "reader", kind: "account" as const, principalArn: OTHER_ACCOUNT_ROOT, prefixes: ["models/"] }] } };
    const m = await computeAccessMatrix(plan, cfg as Parameters<typeof computeAccessMatrix>[1], { scps: layersOf(plan, ORG_ID) });
    const anon = m.cells.find((c) => c.label === "anonymous" && c.action === "s3:GetObject" && c.resource === OBJECT)!;
    assert.deepEqual([anon.decision, anon.by], ["ExplicitlyDenied", "rcp:rcp-1/DenyOutsideOrg"]);
    // Under RCPs the promise for anonymous callers is the explicit denial: an RCP that stopped covering them is reported.
    assert.equal(anon.expected, "ExplicitlyDenied");
    const bare = await computeAccessMatrix(plan, cfg as Parameters<typeof computeAccessMatrix>[1]);
    assert.equal(bare.cells.find((c) => c.label === "anonymous" && c.action === "s3:GetObject" && c.resource === OBJECT)!.expected, "ImplicitlyDenied");
    const consumer = m.cells.find((c) => c.principal === roleArn("reader") && c.action === "s3:GetObject" && c.resource === OBJECT)!;
    assert.equal(consumer.decision, "Allowed", consumer.by);
  });

  it("RCPs decide only the services they govern: an RCP on lambda:* leaves an invoke alone", async () => {
    const plan = withRcp(orgPolicy("no-lambda", "RESOURCE_CONTROL_POLICY", doc({ Sid: "NoInvoke", Effect: "Deny", Principal: "*", Action: "lambda:*", Resource: "*" }), ["r-ab12"]));
    const d = await adminAsks(layersOf(plan, ORG_ID), "lambda:InvokeFunction", `arn:aws:lambda:us-east-1:${TINY_ACCOUNT}:function:f`);
    assert.equal(d.decision, "Allowed");
    const s3 = await adminAsks(layersOf(withRcp(orgPolicy("no-s3", "RESOURCE_CONTROL_POLICY", doc({ Sid: "NoS3", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }), ["r-ab12"])), ORG_ID), "s3:GetObject", OBJECT);
    assert.deepEqual([s3.decision, s3.by], ["ExplicitlyDenied", "rcp:rcp-1/NoS3"]);
  });

  it("the SCP rows: an RCP decides a row, and the SCP-free comparison keeps it (no breach invented)", async () => {
    const plan = withRcp(orgPolicy("no-reads", "RESOURCE_CONTROL_POLICY", doc({ Sid: "NoReads", Effect: "Deny", Principal: "*", Action: "s3:GetObject", Resource: "*" }), ["r-ab12"]));
    const cells = await scpMatrixCells({
      accountId: TINY_ACCOUNT,
      scps: layersOf(plan, ORG_ID),
      bucketName: "tiny-models",
      principals: [{ arn: ADMIN, label: "administrator", identityPolicies: [ADMINISTRATOR_ACCESS], exempt: null }],
    });
    const read = cells.find((c) => c.action === "s3:GetObject")!;
    assert.deepEqual([read.decision, read.by, read.expected], ["ExplicitlyDenied", "rcp:rcp-1/NoReads", "ExplicitlyDenied"]);
  });

  it("a service acting for the account's own resource carries aws:SourceOrgID: the stack's CloudFront still reads under an RCP that refuses services acting for outsiders", async () => {
    const dist = `arn:aws:cloudfront::${TINY_ACCOUNT}:distribution/ETINY`;
    const serviceRcp = doc({
      Sid: "DenyServiceForOutsiders",
      Effect: "Deny",
      Principal: "*",
      Action: ["s3:*", "kms:*"],
      Resource: "*",
      Condition: { StringNotEqualsIfExists: { "aws:SourceOrgID": ORG_ID }, Null: { "aws:SourceAccount": "false" }, Bool: { "aws:PrincipalIsAWSService": "true" } },
    });
    const viaOac = { Effect: "Allow" as const, Principal: { Service: "cloudfront.amazonaws.com" }, Condition: { StringEquals: { "aws:SourceArn": dist } } };
    const plan = tinyPlan(
      [resource("aws:cloudfront/distribution:Distribution", "cdn", {}, { arn: dist })],
      [resource("aws:s3/bucketPolicy:BucketPolicy", "models-policy", { bucket: "tiny-models", policy: JSON.stringify(doc({ ...viaOac, Sid: "Oac", Action: "s3:GetObject", Resource: `${TINY_BUCKET_ARN}/models/*` })) })],
      [
        resource("aws:kms/keyPolicy:KeyPolicy", "models-key-policy", {
          keyId: TINY_KEY_ARN,
          policy: JSON.stringify(doc({ Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TINY_ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }, { ...viaOac, Sid: "OacDecrypt", Action: "kms:Decrypt", Resource: "*" })),
        }),
      ],
      orgPolicy("services", "RESOURCE_CONTROL_POLICY", serviceRcp, ["r-ab12"]),
    );
    const cfg = { access: tinyConfig().access, cdn: { enabled: true, prefixes: ["models/"] } };
    const read = async (organizationId?: string) =>
      (await computeAccessMatrix(plan, cfg, { scps: layersOf(plan, organizationId) })).cells.find((c) => c.label === "cloudfront as distribution/ETINY" && c.action === "s3:GetObject" && c.resource === OBJECT)!;
    const ours = await read(ORG_ID);
    assert.equal(ours.decision, "Allowed", ours.by);
    // Without the organization's id the request carries no aws:SourceOrgID: the RCP refuses it.
    const unknown = await read();
    assert.deepEqual([unknown.decision, unknown.by], ["ExplicitlyDenied", "rcp:rcp-1/DenyServiceForOutsiders"]);
  });
});
