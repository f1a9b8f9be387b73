// Issue 12, items 3 and 4 (workload account): the broker's roles cannot be borrowed, the publisher
// carries a permissions boundary, and its exemptions are exactly publishing. Every test plays the
// attacker with the IAM engine over the documents the dev and prod plans deploy (no SCPs: these
// hold in the workload account by themselves).
import { strict as assert } from "node:assert";
import { ADMINISTRATOR_ACCESS, documentOf, keyPolicyOf, rolePolicyReader, tagsOf } from "../plan/planDocuments";
import type { PlanResult } from "../plan/build";
import type { PlanResource } from "../plan/types";
import { asArray, type PolicyDocument } from "../iam/types";
import { PUBLISHER_BOUNDARY_NAME_PREFIX, publisherBoundaryName } from "../iam/publisher";
import { brokerFunctionNames } from "../jit/trust";
import { ROLE_PATH } from "../iam/arns";
import { MAX_SESSION_SECONDS } from "../jit/sts-params";
import { NEW_OBJECT_WRITE_CONTEXT, objectMutationGroups } from "../iam/bucketPolicy";
import { S3_OBJECT_MUTATING_ACTIONS } from "../iam/s3Actions";
import { decide } from "./support/iam";
import { ofType, one, planFor, serially } from "./support/plans";
import { lastRunRegistrations, runProgram } from "../plan/run";
import { readStackConfig } from "../plan/stackFiles";

const SI = "alice@example.com";
const REQUEST = "abcdef0123456789";

interface Planned {
  stack: string;
  account: string;
  region: string;
  bucketArn: string;
  keyArn: string;
  prefix: string;
  allowDelete: boolean;
  deployer: string;
  bucketPolicy: PolicyDocument;
  keyPolicy: PolicyDocument;
  publisher: { arn: string; name: string; trust: PolicyDocument; policies: PolicyDocument[]; boundary: PolicyDocument | null; boundaryArn?: string };
  issuer: { arn: string; name: string; policies: PolicyDocument[] };
  revoker: { arn: string; name: string; policies: PolicyDocument[] };
  api: PlanResource;
  revokerFn: PlanResource;
  tableArn: string;
  topicArn: string;
  result: PlanResult;
}

function read(stack: string, result: PlanResult): Planned {
  const rs = result.plan.resources.filter((r) => r.custom);
  const roles = ofType(rs, "aws:iam/role:Role");
  const role = (tag: string) => {
    const r = roles.filter((x) => tagsOf(x)["model-vault:role"] === tag);
    assert.equal(r.length, 1, tag);
    return r[0];
  };
  const policiesOf = rolePolicyReader(rs, () => undefined);
  const docs = (r: PlanResource) => policiesOf(r, r.name).identityPolicies.map((p) => p.policy);
  const pub = role("elevated");
  const bucket = ofType(rs, "aws:s3/bucket:Bucket").find((b) => tagsOf(b)["model-vault:role"] === "model-bucket")!;
  const key = ofType(rs, "aws:kms/key:Key").find((k) => tagsOf(k)["model-vault:role"] === "model-bucket-key")!;
  const fn = (entry: string) => ofType(rs, "aws:lambda/function:Function").find((f) => tagsOf(f)["model-vault:jit"] === entry)!;
  const issuer = role("jit-issuer");
  const revoker = role("jit-revoker");
  const p = result.config.access.publisher!;
  const boundary = policiesOf(pub, "publisher").boundary;
  return {
    stack,
    account: result.config.accountId,
    region: result.config.region,
    bucketArn: String(bucket.outputs.arn),
    keyArn: String(key.outputs.arn),
    prefix: p.prefixes[0],
    allowDelete: p.allowDelete,
    deployer: result.config.access.deployerRoleArn!,
    bucketPolicy: documentOf(ofType(rs, "aws:s3/bucketPolicy:BucketPolicy").find((r) => r.inputs.bucket === bucket.outputs.bucket)!.inputs.policy)!,
    keyPolicy: keyPolicyOf(rs, key)!,
    publisher: {
      arn: String(pub.outputs.arn),
      name: String(pub.outputs.name),
      trust: documentOf(pub.inputs.assumeRolePolicy)!,
      policies: docs(pub),
      boundary: boundary?.policy ?? null,
      boundaryArn: boundary?.name,
    },
    issuer: { arn: String(issuer.outputs.arn), name: String(issuer.outputs.name), policies: docs(issuer) },
    revoker: { arn: String(revoker.outputs.arn), name: String(revoker.outputs.name), policies: docs(revoker) },
    api: fn("api"),
    revokerFn: fn("revoker"),
    tableArn: String(one(rs, "aws:dynamodb/table:Table").outputs.arn),
    topicArn: String(one(rs, "aws:sns/topic:Topic", "model-vault-jit-notices").outputs.arn),
    result,
  };
}

/** A request signed by a Lambda execution role's session: Lambda names the function in lambda:SourceFunctionArn. */
function asFunction(p: Planned, role: { arn: string; name: string; policies: PolicyDocument[] }, functionArn: string | undefined) {
  return (action: string, resource: string, extra: Record<string, string | string[]> = {}, resourcePolicy?: PolicyDocument) =>
    decide({
      principal: `arn:aws:sts::${p.account}:assumed-role/${role.name}/${functionArn?.split(":").pop() ?? "laptop"}`,
      action,
      resource,
      accountId: p.account,
      context: {
        "aws:PrincipalArn": role.arn,
        "aws:PrincipalAccount": p.account,
        "aws:PrincipalType": "AssumedRole",
        "aws:SecureTransport": "true",
        ...(functionArn ? { "lambda:SourceFunctionArn": functionArn } : {}),
        ...extra,
      },
      identityPolicies: role.policies,
      resourcePolicy,
    });
}

const issueContext = { "sts:SourceIdentity": SI, "aws:RequestTag/jit-request-id": REQUEST, "aws:TagKeys": ["jit-request-id"], "sts:RoleSessionName": `jit-${REQUEST}` };

/** The publisher's session as the broker issues it, with whatever identity policies an attacker left on the role. */
function asPublisher(p: Planned, identityPolicies: PolicyDocument[], boundary: PolicyDocument | null) {
  return (action: string, resource: string, extra: Record<string, string> = {}, resourcePolicy: PolicyDocument | undefined = p.bucketPolicy) =>
    decide({
      principal: `arn:aws:sts::${p.account}:assumed-role/${p.publisher.name}/jit-${REQUEST}`,
      action,
      resource,
      accountId: p.account,
      context: {
        "aws:PrincipalArn": p.publisher.arn,
        "aws:PrincipalAccount": p.account,
        "aws:PrincipalType": "AssumedRole",
        "aws:SecureTransport": "true",
        "aws:SourceIdentity": SI,
        "aws:PrincipalTag/jit-request-id": REQUEST,
        ...extra,
      },
      identityPolicies,
      ...(boundary ? { boundary } : {}),
      resourcePolicy,
    });
}

function asAdmin(p: Planned, arn: string) {
  return (action: string, resource: string) =>
    decide({
      principal: arn,
      action,
      resource,
      accountId: p.account,
      context: { "aws:PrincipalArn": arn, "aws:PrincipalAccount": p.account, "aws:SecureTransport": "true" },
      identityPolicies: [ADMINISTRATOR_ACCESS],
      resourcePolicy: p.bucketPolicy,
    });
}

const ALLOW_EVERYTHING: PolicyDocument = { Version: "2012-10-17", Statement: [{ Sid: "WrittenByAnAttacker", Effect: "Allow", Action: "*", Resource: "*" }] };

for (const stack of ["dev", "prod"]) {
  describe(`broker IAM in the ${stack} plan (attacker tests)`, () => {
    let p: Planned;
    before(async () => {
      p = read(stack, await planFor(stack));
    });
    const object = (key: string) => `${p.bucketArn}/${key}`;
    const inside = () => object(`${p.prefix}llama/model.safetensors`);
    const foreignFunction = () => `arn:aws:lambda:${p.region}:${p.account}:function:attacker-owned`;

    describe("the issuer role cannot be borrowed", () => {
      it("names the API function model-vault-jit-api-<stack>, so its ARN is known before it exists (no cycle: the plan ran)", () => {
        assert.equal(p.api.inputs.name, `model-vault-jit-api-${stack}`);
        assert.equal(p.api.outputs.arn, `arn:aws:lambda:${p.region}:${p.account}:function:model-vault-jit-api-${stack}`);
        assert.equal(p.revokerFn.inputs.name, `model-vault-jit-revoker-${stack}`);
      });

      it("refuses AssumeRole on the publisher to an issuer session running in another function, or outside Lambda", async () => {
        const real = String(p.api.outputs.arn);
        for (const source of [foreignFunction(), `${real}-lookalike`, real.replace(p.region, "eu-west-3"), undefined]) {
          const d = await asFunction(p, p.issuer, source)("sts:AssumeRole", p.publisher.arn, issueContext, p.publisher.trust);
          assert.equal(d, "ExplicitlyDenied", `source ${source}`);
        }
      });

      it("refuses a borrowed issuer the request table, the notices, the schedules and the API's logs", async () => {
        const as = asFunction(p, p.issuer, foreignFunction());
        assert.equal(await as("dynamodb:PutItem", p.tableArn), "ExplicitlyDenied", "forging an approved request");
        assert.equal(await as("dynamodb:UpdateItem", p.tableArn), "ExplicitlyDenied");
        assert.equal(await as("sns:Publish", p.topicArn), "ExplicitlyDenied");
      });

      it("lets the real API function assume the publisher only with a source identity, exactly the request tag and a jit-* session name", async () => {
        const as = asFunction(p, p.issuer, String(p.api.outputs.arn));
        assert.equal(await as("sts:AssumeRole", p.publisher.arn, issueContext, p.publisher.trust), "Allowed");
        assert.equal(await as("dynamodb:PutItem", p.tableArn), "Allowed");
        const without = (k: string) => Object.fromEntries(Object.entries(issueContext).filter(([x]) => x !== k));
        assert.notEqual(await as("sts:AssumeRole", p.publisher.arn, without("sts:SourceIdentity"), p.publisher.trust), "Allowed");
        assert.notEqual(await as("sts:AssumeRole", p.publisher.arn, without("aws:RequestTag/jit-request-id"), p.publisher.trust), "Allowed");
        assert.notEqual(await as("sts:AssumeRole", p.publisher.arn, { ...issueContext, "sts:RoleSessionName": "alice" }, p.publisher.trust), "Allowed");
        assert.notEqual(
          await as("sts:AssumeRole", p.publisher.arn, { ...issueContext, "aws:TagKeys": ["jit-request-id", "team"], "aws:RequestTag/team": "x" }, p.publisher.trust),
          "Allowed",
        );
      });
    });

    describe("the revoker role cannot be borrowed", () => {
      it("refuses a borrowed revoker the publisher's inline policies (it could lift the revocation deny)", async () => {
        const as = asFunction(p, p.revoker, foreignFunction());
        assert.equal(await as("iam:DeleteRolePolicy", p.publisher.arn), "ExplicitlyDenied");
        assert.equal(await as("iam:PutRolePolicy", p.publisher.arn), "ExplicitlyDenied");
        assert.equal(await asFunction(p, p.revoker, undefined)("iam:DeleteRolePolicy", p.publisher.arn), "ExplicitlyDenied");
      });

      it("lets the real revoker write the deny on the publisher only, and the stream poller read without a source function", async () => {
        const as = asFunction(p, p.revoker, String(p.revokerFn.outputs.arn));
        assert.equal(await as("iam:PutRolePolicy", p.publisher.arn), "Allowed");
        assert.equal(await as("iam:DeleteRolePolicy", p.publisher.arn), "Allowed");
        assert.notEqual(await as("iam:PutRolePolicy", p.issuer.arn), "Allowed");
        // Lambda reads an event source with the execution role outside the function: no lambda:SourceFunctionArn.
        const streamArn = `${p.tableArn}/stream/2026-01-01T00:00:00.000`;
        assert.equal(await asFunction(p, p.revoker, undefined)("dynamodb:GetRecords", streamArn), "Allowed");
        assert.equal(await asFunction(p, p.revoker, undefined)("sns:Publish", p.topicArn), "Allowed", "the on-failure destination");
      });
    });

    describe("the publisher's permissions boundary", () => {
      it("is a customer-managed policy under /model-vault/ named model-vault-publisher-boundary-*, in the plan", () => {
        assert.ok(p.publisher.boundary, "the publisher role has a permissions boundary the plan can read");
        const arn = p.publisher.boundaryArn!;
        assert.equal(arn, `arn:aws:iam::${p.account}:policy${ROLE_PATH}${PUBLISHER_BOUNDARY_NAME_PREFIX}-${stack}`);
        const pol = ofType(p.result.plan.resources, "aws:iam/policy:Policy").filter((x) => x.outputs.arn === arn);
        assert.equal(pol.length, 1);
        assert.equal(pol[0].inputs.path, ROLE_PATH);
        assert.equal(pol[0].inputs.name, `${PUBLISHER_BOUNDARY_NAME_PREFIX}-${stack}`);
      });

      it("caps an arbitrary inline policy (Allow *:*) written on the publisher", async () => {
        const as = asPublisher(p, [ALLOW_EVERYTHING], p.publisher.boundary);
        const cases: [string, string][] = [
          ["s3:GetObject", inside()],
          ["s3:GetObjectVersion", inside()],
          ["s3:DeleteObjectVersion", inside()],
          ["s3:BypassGovernanceRetention", inside()],
          ["s3:PutObjectRetention", inside()],
          ["s3:PutObjectLegalHold", inside()],
          ["s3:PutObjectAcl", inside()],
          ["s3:PutObject", object("elsewhere/x.bin")],
          ["s3:DeleteObject", object("elsewhere/x.bin")],
          ["s3:PutBucketPolicy", p.bucketArn],
          ["s3:PutObject", `${p.bucketArn}-audit/AWSLogs/x.json.gz`],
          ["s3:DeleteObject", `${p.bucketArn}-logs/x`],
          ["s3:GetObject", "arn:aws:s3:::some-other-bucket/x"],
          ["iam:CreateUser", `arn:aws:iam::${p.account}:user/backdoor`],
          ["iam:PutRolePolicy", p.publisher.arn],
          ["sts:AssumeRole", p.issuer.arn],
          ["kms:Decrypt", p.keyArn],
        ];
        for (const [action, resource] of cases) assert.notEqual(await as(action, resource, {}, undefined), "Allowed", `${action} ${resource}`);
        assert.equal(await as("s3:PutObject", inside(), { ...NEW_OBJECT_WRITE_CONTEXT }), "Allowed", "publishing (a new object, as publish uploads it) stays possible");
        assert.equal(await as("s3:DeleteObject", inside()), p.allowDelete ? "Allowed" : "ExplicitlyDenied");
      });
    });

    describe("the publisher's exemptions in the bucket policy are exactly publishing", () => {
      // No boundary here: the bucket policy must hold by itself (e.g. if the boundary were detached).
      const unbounded = () => asPublisher(p, [ALLOW_EVERYTHING], null);
      const deployerOnly = ["s3:DeleteObjectVersion", "s3:BypassGovernanceRetention", "s3:PutObjectRetention", "s3:PutObjectLegalHold", "s3:PutObjectAcl", "s3:PutObjectVersionAcl", "s3:RestoreObject"];

      it("denies the publisher version deletes, retention bypass and changes, legal hold, ACLs and restores", async () => {
        for (const a of [...deployerOnly, "s3:PutObjectTagging", "s3:DeleteObjectTagging"]) assert.equal(await unbounded()(a, inside()), "ExplicitlyDenied", a);
      });

      it(`${stack === "prod" ? "denies" : "allows"} the publisher DeleteObject as allowDelete says`, async () => {
        assert.equal(await unbounded()("s3:DeleteObject", inside()), p.allowDelete ? "Allowed" : "ExplicitlyDenied");
        assert.equal(await unbounded()("s3:PutObject", inside(), { ...NEW_OBJECT_WRITE_CONTEXT }), "Allowed");
      });

      it("leaves those actions to the deployer alone (in the workload account; the SCPs decide above it)", async () => {
        for (const a of deployerOnly) assert.equal(await asAdmin(p, p.deployer)(a, inside()), "Allowed", a);
        const admin = `arn:aws:iam::${p.account}:role/some-admin`;
        for (const a of [...deployerOnly, "s3:PutObject", "s3:DeleteObject"]) assert.equal(await asAdmin(p, admin)(a, inside()), "ExplicitlyDenied", a);
      });
    });

    describe("the publisher may not read weights", () => {
      const real = () => asPublisher(p, p.publisher.policies, p.publisher.boundary);
      const kms = (via?: string) =>
        real()("kms:Decrypt", p.keyArn, { "kms:CallerAccount": p.account, ...(via ? { "kms:ViaService": via } : {}) }, p.keyPolicy);

      it("cannot GetObject (or read through a copy) anywhere in the bucket", async () => {
        for (const r of [inside(), object("models/mistral/x.safetensors"), object("other/x")]) {
          assert.notEqual(await real()("s3:GetObject", r), "Allowed", r);
          assert.notEqual(await real()("s3:GetObjectVersion", r), "Allowed", r);
        }
      });

      it("decrypts with the bucket key only via S3 (what CompleteMultipartUpload needs), never directly", async () => {
        assert.equal(await kms(`s3.${p.region}.amazonaws.com`), "Allowed");
        assert.notEqual(await kms(undefined), "Allowed");
        assert.notEqual(await kms(`lambda.${p.region}.amazonaws.com`), "Allowed");
      });
    });

    describe("the revocation stream fails loudly", () => {
      it("bisects failing batches, drops no record silently, and stops retrying once any session it could cut has expired", () => {
        const esm = one(p.result.plan.resources, "aws:lambda/eventSourceMapping:EventSourceMapping");
        assert.equal(esm.inputs.bisectBatchOnFunctionError, true);
        const age = esm.inputs.maximumRecordAgeInSeconds as number;
        assert.ok(age >= 60 && age <= MAX_SESSION_SECONDS, String(age));
        assert.deepEqual(esm.inputs.destinationConfig, { onFailure: { destinationArn: p.topicArn } });
        assert.equal(esm.inputs.functionName, p.revokerFn.outputs.arn);
      });

      it("keeps the revoker's IAM writes on the publisher only", () => {
        const writes = p.revoker.policies.flatMap((d) => d.Statement).filter((s) => s.Effect === "Allow" && asArray(s.Action).some((a) => a.startsWith("iam:")));
        assert.deepEqual(writes.map((s) => [asArray(s.Action).sort(), s.Resource]), [[["iam:DeleteRolePolicy", "iam:PutRolePolicy"], p.publisher.arn]]);
      });
    });
  });
}

describe("the bucket policy's object-mutation groups", () => {
  it("put every mutating object action in exactly one group; the publisher's holds only publishing", () => {
    for (const mayDelete of [false, true]) {
      const g = objectMutationGroups(mayDelete);
      const all = [...g.publishing, ...g.deployerOnly, ...g.nobody];
      assert.equal(new Set(all).size, all.length);
      assert.deepEqual([...all].sort(), [...S3_OBJECT_MUTATING_ACTIONS].sort());
      assert.deepEqual(g.publishing, mayDelete ? ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"] : ["s3:PutObject", "s3:AbortMultipartUpload"]);
    }
  });
});

describe("names built from the stack name", () => {
  it("refuses a stack whose name cannot name the broker's functions or the boundary, naming the stack", () => {
    assert.deepEqual(brokerFunctionNames("model-vault-jit", "dev"), { api: "model-vault-jit-api-dev", revoker: "model-vault-jit-revoker-dev" });
    assert.throws(() => brokerFunctionNames("model-vault-jit", "team.prod"), /stack name "team.prod": .*model-vault-jit-api-team.prod.*at most 64 characters/);
    assert.throws(() => brokerFunctionNames("model-vault-jit", "x".repeat(41)), /model-vault-jit-revoker-x+/);
    assert.equal(publisherBoundaryName("prod"), "model-vault-publisher-boundary-prod");
    assert.throws(() => publisherBoundaryName("p".repeat(100)), /stack name "p+": .*at most 128 characters/);
  });

  it("refuses such a stack before the program registers anything", async () => {
    await assert.rejects(
      serially(() => runProgram("dev.eu", { config: readStackConfig("dev") })),
      /stack name "dev.eu": the JIT broker's functions would be named "model-vault-jit-api-dev.eu"/,
    );
    assert.equal(lastRunRegistrations(), 0);
  });
});
