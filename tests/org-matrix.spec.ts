// The SCPs' effect, evaluated with the IAM engine (iam-simulate) over the real documents iam/scp.ts
// builds, the FullAWSAccess SCP at root and OU, and a bucket policy of the ModelBucket's shape.
import * as assert from "assert";
import { organizationSchema } from "../config/org";
import { buildScps } from "../iam/scp";
import { policyDocument, type PolicyDocument } from "../iam/types";
import { issuerPolicy, revokerPolicy, type BrokerArns } from "../jit/trust";
import { ADMINISTRATOR_ACCESS, arnLike, evaluate, exampleRoleArn, expectedUnderScps, isBreach, isRestricted, scpMatrixCells, scpRequests, workloadScpInputs, type ScpMatrixInput } from "../plan/orgScps";
import type { AccessDecision, Plan } from "../plan/types";
import { planResource } from "./support/plans";

const ACCOUNT = "111111111111";
const BUCKET = "model-vault-prod-models";
const org = organizationSchema.parse({ targets: ["ou-ab12-cd34ef56"] });
const scps = buildScps(org, { maxDocuments: 4 }).documents;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/workload-admin`;
const ELEVATED = `arn:aws:iam::${ACCOUNT}:role/model-vault/access-publisher-prod`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/model-vault-deployer`;

// Representative model-bucket policy: TLS only; no grants (same-account identity policies grant).
const bucketPolicy: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
};

const s3OnBucket: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: "s3:*", Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`] }],
};
const elevatedPolicy: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"], Resource: `arn:aws:s3:::${BUCKET}/*` }],
};

const base = { accountId: ACCOUNT, bucketName: BUCKET, bucketPolicy };
const obj = `arn:aws:s3:::${BUCKET}/models/llama/model.safetensors`;
const bucketArn = `arn:aws:s3:::${BUCKET}`;

describe("org: SCP effect on a workload account (iam-simulate)", () => {
  it("a workload administrator with s3:* on the bucket is allowed without the SCP (control)", async () => {
    assert.strictEqual((await evaluate(ADMIN, "s3:DeleteObject", obj, base, [s3OnBucket], null)).decision, "Allowed");
    assert.strictEqual((await evaluate(ADMIN, "s3:PutBucketPolicy", bucketArn, base, [s3OnBucket], null)).decision, "Allowed");
  });

  it("with the SCP, that administrator is denied DeleteObject, PutObject and PutBucketPolicy by the SCP, and may still read", async () => {
    for (const [action, res] of [
      ["s3:DeleteObject", obj],
      ["s3:DeleteObjectVersion", obj],
      ["s3:PutObject", obj],
      ["s3:PutBucketPolicy", bucketArn],
      ["s3:PutBucketVersioning", bucketArn],
      ["s3:PutEncryptionConfiguration", bucketArn],
    ]) {
      const r = await evaluate(ADMIN, action, res, base, [s3OnBucket], scps);
      assert.strictEqual(r.decision, "ExplicitlyDenied", action);
      assert.match(r.by, /^scp:/, `${action} decided by ${r.by}`);
    }
    assert.strictEqual((await evaluate(ADMIN, "s3:GetObject", obj, base, [s3OnBucket], scps)).decision, "Allowed");
  });

  it("with AdministratorAccess the administrator cannot stop the trail, re-trust model-vault roles, touch account BPA or leave", async () => {
    const cases: [string, string][] = [
      ["cloudtrail:StopLogging", `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/model-vault-audit`],
      ["cloudtrail:PutEventSelectors", `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/model-vault-audit`],
      ["iam:UpdateAssumeRolePolicy", ELEVATED],
      ["iam:AttachRolePolicy", `arn:aws:iam::${ACCOUNT}:role/model-vault/access-consumer-sagemaker`],
      ["iam:CreateRole", `arn:aws:iam::${ACCOUNT}:role/model-vault/access-publisher-evil`],
      ["iam:UpdateAssumeRolePolicy", DEPLOYER],
      ["s3:PutAccountPublicAccessBlock", "*"],
      ["organizations:LeaveOrganization", "*"],
    ];
    for (const [action, res] of cases)
      assert.strictEqual((await evaluate(ADMIN, action, res, base, [ADMINISTRATOR_ACCESS], scps)).decision, "ExplicitlyDenied", `${action} ${res}`);
    // Roles outside model-vault's pattern stay the account's business.
    assert.strictEqual(
      (await evaluate(ADMIN, "iam:UpdateAssumeRolePolicy", `arn:aws:iam::${ACCOUNT}:role/team-app`, base, [ADMINISTRATOR_ACCESS], scps)).decision,
      "Allowed",
    );
  });

  // Issue 12: version deletes are no longer the elevated role's (the deployer's alone).
  it("the elevated role keeps its object writes and deletes, not version deletes", async () => {
    for (const action of ["s3:PutObject", "s3:DeleteObject"])
      assert.strictEqual((await evaluate(ELEVATED, action, obj, base, [elevatedPolicy], scps)).decision, "Allowed", action);
    assert.strictEqual((await evaluate(ELEVATED, "s3:DeleteObjectVersion", obj, base, [elevatedPolicy], scps)).decision, "ExplicitlyDenied");
  });

  it("the deployer keeps bucket security, trail and role changes, but not object deletes", async () => {
    for (const [action, res] of [
      ["s3:PutBucketPolicy", bucketArn],
      ["s3:PutBucketVersioning", bucketArn],
      ["s3:PutAccountPublicAccessBlock", "*"],
      ["cloudtrail:UpdateTrail", `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/model-vault-audit`],
      ["iam:PutRolePolicy", ELEVATED],
    ])
      assert.strictEqual((await evaluate(DEPLOYER, action, res, base, [ADMINISTRATOR_ACCESS], scps)).decision, "Allowed", action);
    assert.strictEqual((await evaluate(DEPLOYER, "s3:DeleteObject", obj, base, [ADMINISTRATOR_ACCESS], scps)).decision, "ExplicitlyDenied");
  });

  it("buckets outside the pattern are not affected", async () => {
    const other = "arn:aws:s3:::team-data/x";
    assert.strictEqual((await evaluate(ADMIN, "s3:DeleteObject", other, base, [ADMINISTRATOR_ACCESS], scps)).decision, "Allowed");
  });
});

describe("org: matrix rows (plan/orgScps.ts scpMatrixCells)", () => {
  const input: ScpMatrixInput = {
    ...base,
    scps,
    roleArn: ELEVATED,
    principals: [
      { arn: ADMIN, label: "admin", identityPolicies: [ADMINISTRATOR_ACCESS], exempt: null },
      { arn: ELEVATED, label: "elevated", identityPolicies: [elevatedPolicy], exempt: "elevated" },
      { arn: exampleRoleArn("aws", ACCOUNT, org.deployerRolePattern), label: "deployer", identityPolicies: [ADMINISTRATOR_ACCESS], exempt: "deployer" },
    ],
  };

  it("no breach with the real SCPs; the admin is denied every protected request", async () => {
    const cells = await scpMatrixCells(input);
    assert.deepStrictEqual(cells.filter(isBreach), []);
    const admin = cells.filter((c) => c.principal === ADMIN);
    for (const a of ["s3:DeleteObject", "s3:PutBucketPolicy", "cloudtrail:StopLogging", "iam:UpdateAssumeRolePolicy"])
      assert.strictEqual(admin.find((c) => c.action === a)?.decision, "ExplicitlyDenied", a);
    const elevated = cells.filter((c) => c.principal === ELEVATED);
    assert.strictEqual(elevated.find((c) => c.action === "s3:DeleteObject")?.decision, "Allowed");
    const deployer = cells.filter((c) => c.label === "deployer");
    assert.strictEqual(deployer.find((c) => c.action === "s3:PutBucketPolicy")?.decision, "Allowed");
  });

  it("reports breaches when the SCPs are missing (the matrix would catch a dropped guardrail)", async () => {
    const cells = await scpMatrixCells({ ...input, scps: [] });
    const breaches = cells.filter(isBreach);
    assert.ok(breaches.some((c) => c.principal === ADMIN && c.action === "s3:DeleteObject"));
  });

  it("reports a breach when the elevated pattern does not match the elevated role", async () => {
    const wrong = buildScps({ ...org, elevatedRolePattern: "publisher-*" }, { maxDocuments: 4 }).documents;
    const cells = await scpMatrixCells({ ...input, scps: wrong });
    assert.ok(cells.filter(isBreach).some((c) => c.principal === ELEVATED && c.action === "s3:PutObject"));
  });

  it("skips the SCP-free evaluation only where it cannot change the promise", async () => {
    const decisions: AccessDecision[] = ["Allowed", "ExplicitlyDenied", "ImplicitlyDenied"];
    for (const withScps of decisions)
      for (const without of decisions)
        for (const restricted of [true, false]) {
          let asked = false;
          const got = await expectedUnderScps(withScps, restricted, async () => ((asked = true), without));
          // The rule written out in full, always looking at the SCP-free decision.
          const full = restricted ? (without === "Allowed" || withScps === "Allowed" ? "ExplicitlyDenied" : withScps) : without;
          // Only combinations IAM can produce: SCPs never widen access.
          if (withScps === "Allowed" && without !== "Allowed") continue;
          assert.strictEqual(got, full, `with ${withScps}, without ${without}, restricted ${restricted}`);
          assert.strictEqual(asked, restricted ? withScps === "ImplicitlyDenied" : withScps !== "Allowed", `asked (with ${withScps}, restricted ${restricted})`);
        }
  });

  it("every row's promise equals the one from evaluating each request both with and without the SCPs", async () => {
    const cells = await scpMatrixCells(input);
    const reqs = scpRequests(input);
    let i = 0;
    for (const p of input.principals)
      for (const r of reqs) {
        const withScps = (await evaluate(p.arn, r.action, r.resource, input, p.identityPolicies, input.scps)).decision;
        const without = (await evaluate(p.arn, r.action, r.resource, input, p.identityPolicies, null)).decision;
        const restricted = isRestricted(r, p);
        const full = restricted ? (without === "Allowed" || withScps === "Allowed" ? "ExplicitlyDenied" : withScps) : without;
        assert.strictEqual(cells[i++].expected, full, `${p.label} ${r.action}`);
      }
  });

  it("arnLike follows ArnLike wildcards", () => {
    assert.ok(arnLike("arn:aws:iam::*:role/model-vault/access-publisher-*", ELEVATED));
    assert.ok(!arnLike("arn:aws:iam::*:role/model-vault/access-publisher-*", DEPLOYER));
    assert.ok(!arnLike("arn:aws:iam::*:role/model-vault/*", "arn:aws:iam::1:role/model-vault-elsewhere"));
  });
});

describe("org: the deployed elevated role's policies in the SCP rows (plan/orgScps.ts workloadScpInputs)", () => {
  const resource = planResource;

  const ROLE_NAME = "access-publisher-prod";
  const writes = { Version: "2012-10-17", Statement: [{ Sid: "Writes", Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `arn:aws:s3:::${BUCKET}/*` }] };
  const noDeletes = { Version: "2012-10-17", Statement: [{ Sid: "NoDeletes", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "*" }] };
  const planWith = (boundary: boolean): Plan => ({
    project: "model-vault",
    stack: "prod",
    outputs: {},
    resources: [
      resource("aws:s3/bucket:Bucket", "models", { bucket: BUCKET, tags: { "model-vault:role": "model-bucket" } }, { id: BUCKET }),
      resource(
        "aws:iam/role:Role",
        "elevated",
        { name: ROLE_NAME, tags: { "model-vault:role": "elevated" }, ...(boundary ? { permissionsBoundary: `arn:aws:iam::${ACCOUNT}:policy/boundary` } : {}) },
        { arn: ELEVATED, id: ROLE_NAME, name: ROLE_NAME },
      ),
      resource("aws:iam/policy:Policy", "writes", { policy: JSON.stringify(writes) }, { arn: `arn:aws:iam::${ACCOUNT}:policy/writes` }),
      resource("aws:iam/policy:Policy", "boundary", { policy: JSON.stringify(noDeletes) }, { arn: `arn:aws:iam::${ACCOUNT}:policy/boundary` }),
      resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "writes-attach", { role: ROLE_NAME, policyArn: `arn:aws:iam::${ACCOUNT}:policy/writes` }),
      resource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws-managed", { role: ROLE_NAME, policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
    ],
  });
  const rowsOf = async (p: Plan) => {
    const { input, warnings } = workloadScpInputs(p, scps, org, ACCOUNT);
    const cells = await scpMatrixCells({ ...input, principals: input.principals.filter((x) => x.exempt === "elevated") });
    return { put: cells.find((c) => c.action === "s3:PutObject")!, del: cells.find((c) => c.action === "s3:DeleteObject")!, warnings };
  };

  it("evaluates managed policies attached to the role, and warns of one the plan cannot see", async () => {
    const { put, del, warnings } = await rowsOf(planWith(false));
    assert.strictEqual(put.decision, "Allowed", put.by);
    assert.match(put.by, /Writes/);
    assert.strictEqual(del.decision, "Allowed", del.by);
    assert.ok(warnings.some((w) => w.includes("arn:aws:iam::aws:policy/ReadOnlyAccess") && w.includes("not in the plan")), warnings.join("\n"));
  });

  it("evaluates the role's permissions boundary: what it leaves out is denied, with and without the SCPs", async () => {
    const { put, del } = await rowsOf(planWith(true));
    assert.strictEqual(put.decision, "Allowed", put.by);
    assert.strictEqual(del.decision, "ImplicitlyDenied", del.by);
    assert.strictEqual(del.expected, "ImplicitlyDenied");
  });
});

describe("org: the JIT broker under the SCPs (iam-simulate over the default org config's SCPs)", () => {
  const prefix = org.jitNamePrefix;
  const issuer = `arn:aws:iam::${ACCOUNT}:role/model-vault/${prefix}-issuer-a1b2c3d`;
  const revoker = `arn:aws:iam::${ACCOUNT}:role/model-vault/${prefix}-revoker-a1b2c3d`;
  const fn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${prefix}-api-a1b2c3d`;
  const table = `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/${prefix}-requests-a1b2c3d`;
  const arns: BrokerArns = {
    accountId: ACCOUNT,
    region: "us-east-1",
    tableArn: table,
    topicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:${prefix}-notices`,
    elevatedRoleArn: ELEVATED,
    scheduleGroupName: `${prefix}-windows`,
    schedulerRoleArn: `arn:aws:iam::${ACCOUNT}:role/model-vault/${prefix}-scheduler-a1b2c3d`,
    logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/lambda/${prefix}-api`,
    streamArn: `${table}/stream/2026-01-01T00:00:00.000`,
    functionArn: fn,
  };
  // The broker's roles are pinned to their function (jit/trust.ts pinnedToFunction): requests come from inside it.
  const inside = { context: { "lambda:SourceFunctionArn": fn } };
  const decide = async (who: string, action: string, resource: string, identity: PolicyDocument[], withScps = true) =>
    (await evaluate(who, action, resource, base, identity, withScps ? scps : null, inside)).decision;

  it("a workload administrator cannot change the broker's code, forge a request, or re-trust its roles", async () => {
    for (const [action, resource] of [
      ["lambda:UpdateFunctionCode", fn],
      ["lambda:UpdateFunctionUrlConfig", fn],
      ["lambda:AddPermission", fn],
      ["dynamodb:PutItem", table],
      ["dynamodb:UpdateItem", table],
      ["dynamodb:BatchWriteItem", table],
      ["dynamodb:PutResourcePolicy", table],
      ["iam:UpdateAssumeRolePolicy", issuer],
      ["iam:PutRolePolicy", issuer],
      ["iam:UpdateAssumeRolePolicy", revoker],
    ] as const) {
      assert.strictEqual(await decide(ADMIN, action, resource, [ADMINISTRATOR_ACCESS], false), "Allowed", `${action} without the SCPs`);
      assert.strictEqual(await decide(ADMIN, action, resource, [ADMINISTRATOR_ACCESS]), "ExplicitlyDenied", `${action} ${resource}`);
    }
  });

  it("the revoker, with its real policy, can still write and remove the elevated role's revocation deny", async () => {
    const own = [policyDocument(revokerPolicy(arns))];
    for (const action of ["iam:PutRolePolicy", "iam:DeleteRolePolicy"]) assert.strictEqual(await decide(revoker, action, ELEVATED, own), "Allowed", action);
    // ... and nothing else on roles, even holding AdministratorAccess: the exemption is for inline-policy writes only.
    for (const action of ["iam:UpdateAssumeRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"])
      assert.strictEqual(await decide(revoker, action, ELEVATED, [ADMINISTRATOR_ACCESS]), "ExplicitlyDenied", action);
    assert.strictEqual(await decide(revoker, "lambda:UpdateFunctionCode", fn, [ADMINISTRATOR_ACCESS]), "ExplicitlyDenied");
  });

  it("the issuer, with its real policy, can still record requests and approvals", async () => {
    const own = [policyDocument(issuerPolicy(arns))];
    for (const action of ["dynamodb:PutItem", "dynamodb:UpdateItem"]) assert.strictEqual(await decide(issuer, action, table, own), "Allowed", action);
  });

  it("an organization without jitNamePrefix would deny the revoker its revocation write", async () => {
    const without = buildScps({ ...org, jitNamePrefix: undefined }, { maxDocuments: 4 }).documents;
    const d = await evaluate(revoker, "iam:PutRolePolicy", ELEVATED, base, [policyDocument(revokerPolicy(arns))], without, inside);
    assert.strictEqual(d.decision, "ExplicitlyDenied");
  });

  it("another team's functions and tables are not the broker's", async () => {
    for (const [action, resource] of [
      ["lambda:UpdateFunctionCode", `arn:aws:lambda:us-east-1:${ACCOUNT}:function:jit-api-other-team`],
      ["dynamodb:PutItem", `arn:aws:dynamodb:us-east-1:${ACCOUNT}:table/other-team-requests`],
      ["iam:UpdateAssumeRolePolicy", `arn:aws:iam::${ACCOUNT}:role/model-vault-jit-issuer-lookalike`],
    ] as const)
      assert.strictEqual(await decide(ADMIN, action, resource, [ADMINISTRATOR_ACCESS]), "Allowed", resource);
  });
});

describe("org: model-vault's KMS keys under the SCPs (found by their model-vault:role tag)", () => {
  const key = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0b1c2d3e-1111-2222-3333-444455556666`;
  // The default key policy: the account's IAM policies decide (the worst case for the SCP to cover).
  const defaultKeyPolicy: PolicyDocument = {
    Version: "2012-10-17",
    Statement: [{ Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }],
  };
  const onKey = (who: string, action: string, tagValue: string, withScps = true) =>
    evaluate(who, action, key, base, [ADMINISTRATOR_ACCESS], withScps ? scps : null, {
      context: { "aws:ResourceTag/model-vault:role": tagValue },
      resourcePolicy: defaultKeyPolicy,
    });
  const destructive = ["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy", "kms:DisableKeyRotation", "kms:CreateGrant", "kms:UntagResource", "kms:TagResource"];

  it("an administrator cannot delete, disable, re-policy, grant on or re-tag the model or audit key", async () => {
    for (const tagValue of ["model-bucket-key", "audit-key"])
      for (const action of destructive) {
        assert.strictEqual((await onKey(ADMIN, action, tagValue, false)).decision, "Allowed", `${action} without the SCPs`);
        const r = await onKey(ADMIN, action, tagValue);
        assert.strictEqual(r.decision, "ExplicitlyDenied", `${action} on the ${tagValue}`);
        assert.match(r.by, /DenyModelVaultKeyAndCdnChangesExceptDeployer/);
      }
  });

  it("the deployer keeps them; other keys and using the key are not the SCP's business", async () => {
    for (const action of destructive) assert.strictEqual((await onKey(DEPLOYER, action, "model-bucket-key")).decision, "Allowed", action);
    assert.strictEqual((await onKey(ADMIN, "kms:ScheduleKeyDeletion", "some-other-team-key")).decision, "Allowed");
    assert.strictEqual((await onKey(ADMIN, "kms:Decrypt", "model-bucket-key")).decision, "Allowed");
  });
});

describe("org: the model distribution under the SCPs (tag model-vault:role = model-cdn)", () => {
  const dist = `arn:aws:cloudfront::${ACCOUNT}:distribution/E2MODELCDN0001`;
  const onDist = (who: string, action: string, tagValue: string | undefined, withScps = true) =>
    evaluate(who, action, dist, base, [ADMINISTRATOR_ACCESS], withScps ? scps : null, {
      context: tagValue ? { "aws:ResourceTag/model-vault:role": tagValue } : {},
    });
  const changes = ["cloudfront:UpdateDistribution", "cloudfront:DeleteDistribution", "cloudfront:UntagResource"];

  it("an administrator cannot re-open it (drop key groups, re-point, delete) or strip its tag; the deployer can", async () => {
    for (const action of changes) {
      assert.strictEqual((await onDist(ADMIN, action, "model-cdn", false)).decision, "Allowed", `${action} without the SCPs`);
      assert.strictEqual((await onDist(ADMIN, action, "model-cdn")).decision, "ExplicitlyDenied", action);
      assert.strictEqual((await onDist(DEPLOYER, action, "model-cdn")).decision, "Allowed", `deployer ${action}`);
    }
  });

  it("other distributions are not the SCP's business", async () => {
    assert.strictEqual((await onDist(ADMIN, "cloudfront:UpdateDistribution", undefined)).decision, "Allowed");
    assert.strictEqual((await onDist(ADMIN, "cloudfront:UpdateDistribution", "website")).decision, "Allowed");
  });
});
