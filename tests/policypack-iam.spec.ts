// IAM-document rules: each bad pattern from issue 7 is rejected, each good one accepted.
import * as assert from "assert";
import { doc, resource, violationsOf } from "./support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";

const identity = (...st: Record<string, unknown>[]) => resource(T.managedPolicy, { policy: doc(...st) });
const bucketPolicy = (...st: Record<string, unknown>[]) => resource(T.bucketPolicy, { bucket: "models", policy: doc(...st) });
const trust = (...st: Record<string, unknown>[]) => resource(T.role, { assumeRolePolicy: doc(...st) });
const OBJ = "arn:aws:s3:::models/*";
const count = (rule: string, r: ReturnType<typeof resource>) => violationsOf(rule, [r]).length;

describe("policypack: no-wildcard-actions", () => {
  for (const a of ["*", "s3:*", "s3:Get*", "s3:*Object", "s3:Get?bject", "S3:GET*"]) {
    it(`rejects Allow ${a}`, () => assert.strictEqual(count("no-wildcard-actions", identity({ Effect: "Allow", Action: a, Resource: OBJ })), 1));
  }
  it("rejects a wildcard inside an array and in resource policies", () => {
    assert.strictEqual(count("no-wildcard-actions", identity({ Effect: "Allow", Action: ["s3:GetObject", "s3:List*"], Resource: OBJ })), 1);
    assert.strictEqual(count("no-wildcard-actions", bucketPolicy({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "s3:*", Resource: OBJ })), 1);
  });
  it("accepts exact actions and wildcards in Deny", () => {
    assert.strictEqual(count("no-wildcard-actions", identity({ Effect: "Allow", Action: ["s3:GetObject", "s3:ListBucket"], Resource: OBJ })), 0);
    assert.strictEqual(
      count("no-wildcard-actions", bucketPolicy({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: OBJ, Condition: { Bool: { "aws:SecureTransport": "false" } } })),
      0,
    );
  });
  it("exempts SCPs (they only limit access)", () => {
    const scp = resource(T.orgPolicy, { content: doc({ Effect: "Allow", Action: "*", Resource: "*" }) });
    assert.strictEqual(count("no-wildcard-actions", scp), 0);
  });
});

describe("policypack: no-allow-notaction", () => {
  it("rejects NotAction with Allow, accepts it with Deny", () => {
    assert.strictEqual(count("no-allow-notaction", identity({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })), 1);
    assert.strictEqual(count("no-allow-notaction", identity({ Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" })), 0);
  });
});

describe("policypack: no-public-principals", () => {
  const read = { Effect: "Allow", Action: "s3:GetObject", Resource: OBJ };
  const bad: [string, Record<string, unknown>][] = [
    ['"*"', { ...read, Principal: "*" }],
    ['{"AWS": "*"}', { ...read, Principal: { AWS: "*" } }],
    ['{"AWS": ["*", account]}', { ...read, Principal: { AWS: ["arn:aws:iam::111111111111:root", "*"] } }],
    ["NotPrincipal with Allow", { ...read, NotPrincipal: { AWS: "arn:aws:iam::111111111111:root" } }],
    ["a wildcarded aws:SourceArn", { ...read, Principal: "*", Condition: { ArnLike: { "aws:SourceArn": "arn:aws:cloudfront::*" } } }],
    ["a negated operator", { ...read, Principal: "*", Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-abc" } } }],
    ["an IfExists operator", { ...read, Principal: "*", Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-abc" } } }],
    ["a wide aws:SourceIp", { ...read, Principal: "*", Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } } }],
    ["an unrelated condition key", { ...read, Principal: "*", Condition: { StringEquals: { "s3:prefix": "models/" } } }],
  ];
  for (const [what, st] of bad) it(`rejects ${what}`, () => assert.strictEqual(count("no-public-principals", bucketPolicy(st)), 1));

  const good: [string, Record<string, unknown>][] = [
    ["a named account", { ...read, Principal: { AWS: "arn:aws:iam::111111111111:role/reader" } }],
    ["* pinned by aws:PrincipalOrgID", { ...read, Principal: "*", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } } }],
    ["* pinned by aws:SourceArn", { ...read, Principal: "*", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:cloudfront::111111111111:distribution/E1" } } }],
    ["* pinned by aws:SourceVpce", { ...read, Principal: "*", Condition: { StringEquals: { "aws:SourceVpce": "vpce-1234" } } }],
    ["* pinned by a narrow aws:SourceIp", { ...read, Principal: "*", Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } }],
    ["* pinned by aws:userid role pattern", { ...read, Principal: "*", Condition: { StringLike: { "aws:userid": "AROAEXAMPLE:*" } } }],
    ["a Deny with *", { ...read, Effect: "Deny", Principal: "*" }],
  ];
  for (const [what, st] of good) it(`accepts ${what}`, () => assert.strictEqual(count("no-public-principals", bucketPolicy(st)), 0));

  it("rejects a trust policy any account can assume", () => {
    assert.strictEqual(count("no-public-principals", trust({ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" })), 1);
  });
  const oidc = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
  const web = (Condition?: Record<string, unknown>) => trust({ Effect: "Allow", Principal: { Federated: oidc }, Action: "sts:AssumeRoleWithWebIdentity", ...(Condition ? { Condition } : {}) });
  it("rejects an OIDC trust without pinned sub and aud", () => {
    assert.strictEqual(count("no-public-principals", web()), 1);
    assert.strictEqual(count("no-public-principals", web({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } })), 1);
    assert.strictEqual(
      count("no-public-principals", web({ StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:*" } })),
      1,
    );
  });
  it("accepts an OIDC trust with pinned sub and aud", () => {
    const c = { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": "repo:acme/model-vault:*" } };
    assert.strictEqual(count("no-public-principals", web(c)), 0);
  });
  it("rejects a public Lambda permission and a function URL with auth NONE", () => {
    assert.strictEqual(count("no-public-principals", resource(T.lambdaPermission, { action: "lambda:InvokeFunction", function: "f", principal: "*" })), 1);
    assert.strictEqual(
      count("no-public-principals", resource(T.lambdaPermission, { action: "lambda:InvokeFunctionUrl", function: "f", principal: "*", functionUrlAuthType: "NONE", sourceAccount: "111111111111" })),
      1,
    );
    assert.strictEqual(count("no-public-principals", resource(T.lambdaPermission, { action: "lambda:InvokeFunction", function: "f", principal: "*", principalOrgId: "o-abc123" })), 0);
  });
  it("checks SNS, SQS, KMS and access point policies too", () => {
    const st = { ...read, Principal: "*" };
    for (const t of [T.topicPolicy, T.queuePolicy, T.kmsKey, T.kmsKeyPolicy, T.accessPoint, T.bucket]) {
      assert.strictEqual(count("no-public-principals", resource(t, { policy: doc(st) })), 1, t);
    }
  });
});

describe("policypack: known-actions", () => {
  it("rejects typos, unknown services, malformed names and dead patterns", () => {
    assert.strictEqual(count("known-actions", identity({ Effect: "Allow", Action: ["s3:GetObjects", "s4:GetObject", "GetObject", "s3:Gett*"], Resource: OBJ })), 4);
  });
  it("accepts real actions in any letter case, patterns that match, and Deny typos are still caught", () => {
    assert.strictEqual(count("known-actions", identity({ Effect: "Allow", Action: ["S3:getobject", "kms:Decrypt", "s3:Get*"], Resource: OBJ })), 0);
    assert.strictEqual(count("known-actions", identity({ Effect: "Deny", Action: "s3:DeleteObjectz", Resource: OBJ })), 1);
  });
});

describe("policypack: no-star-resource-write and no-passrole-star", () => {
  it("rejects write and permissions-management on *", () => {
    assert.strictEqual(count("no-star-resource-write", identity({ Effect: "Allow", Action: "s3:PutObject", Resource: "*" })), 1);
    assert.strictEqual(count("no-star-resource-write", identity({ Effect: "Allow", Action: "iam:AttachRolePolicy", Resource: "*" })), 1);
    assert.strictEqual(count("no-star-resource-write", identity({ Effect: "Allow", Action: "s3:PutObject", NotResource: OBJ })), 1);
  });
  it("accepts reads on *, writes on ARNs, and actions that only support *", () => {
    assert.strictEqual(count("no-star-resource-write", identity({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" })), 0);
    assert.strictEqual(count("no-star-resource-write", identity({ Effect: "Allow", Action: "s3:PutObject", Resource: OBJ })), 0);
    // cloudwatch:CreateAlert has no resource types in the catalogue: it only supports "*".
    assert.strictEqual(count("no-star-resource-write", identity({ Effect: "Allow", Action: ["cloudwatch:CreateAlert", "sts:GetCallerIdentity"], Resource: "*" })), 0);
  });
  it("rejects iam:PassRole on any role, accepts it on a named role", () => {
    for (const res of ["*", "arn:aws:iam::111111111111:role/*", "arn:aws:iam::*:*"]) {
      assert.strictEqual(count("no-passrole-star", identity({ Effect: "Allow", Action: "iam:PassRole", Resource: res })), 1, res);
    }
    assert.strictEqual(count("no-passrole-star", identity({ Effect: "Allow", Action: "iam:Pass*", Resource: "*" })), 1);
    assert.strictEqual(count("no-passrole-star", identity({ Effect: "Allow", Action: "iam:PassRole", Resource: "arn:aws:iam::111111111111:role/sagemaker-exec" })), 0);
  });
});

describe("policypack: service-principal-pinned", () => {
  const svc = (Condition?: Record<string, unknown>) =>
    bucketPolicy({ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "s3:PutObject", Resource: OBJ, ...(Condition ? { Condition } : {}) });
  it("rejects a service principal without aws:SourceAccount/aws:SourceArn", () => assert.strictEqual(count("service-principal-pinned", svc()), 1));
  it("accepts it pinned", () => {
    assert.strictEqual(count("service-principal-pinned", svc({ StringEquals: { "aws:SourceAccount": "111111111111" } })), 0);
    assert.strictEqual(count("service-principal-pinned", svc({ ArnLike: { "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:111111111111:trail/t" } })), 0);
  });
  it("rejects an unpinned service trust policy and Lambda permission", () => {
    assert.strictEqual(count("service-principal-pinned", trust({ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" })), 1);
    assert.strictEqual(count("service-principal-pinned", resource(T.lambdaPermission, { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com" })), 1);
    assert.strictEqual(
      count("service-principal-pinned", resource(T.lambdaPermission, { action: "lambda:InvokeFunction", function: "f", principal: "events.amazonaws.com", sourceArn: "arn:aws:events:us-east-1:111111111111:rule/r" })),
      0,
    );
  });
});

describe("policypack: iam-document-size", () => {
  const big = (n: number) => ({ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: n }, (_, i) => `arn:aws:s3:::models/prefix-${i}/*`) });
  it("rejects a managed policy over 6,144 characters and accepts one under", () => {
    assert.strictEqual(count("iam-document-size", identity(big(250))), 1);
    assert.strictEqual(count("iam-document-size", identity(big(20))), 0);
  });
  it("does not count whitespace", () => {
    const spaced = JSON.stringify({ Version: "2012-10-17", Statement: [big(100)] }, null, 40);
    assert.ok(spaced.length > 6144);
    assert.strictEqual(count("iam-document-size", resource(T.managedPolicy, { policy: spaced })), 0);
  });
  it("rejects a trust policy over 2,048 and role inline policies over 10,240 together", () => {
    const t = { Effect: "Allow", Principal: { AWS: Array.from({ length: 90 }, (_, i) => `arn:aws:iam::1111111111${String(i).padStart(2, "0")}:root`) }, Action: "sts:AssumeRole" };
    assert.strictEqual(count("iam-document-size", trust(t)), 1);
    const inlinePolicies = [0, 1, 2].map((i) => ({ name: `p${i}`, policy: doc(big(110)) }));
    assert.strictEqual(count("iam-document-size", resource(T.role, { assumeRolePolicy: doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "sts:AssumeRole" }), inlinePolicies })), 1);
  });
  it("rejects an SCP over 5,120", () => {
    assert.strictEqual(count("iam-document-size", resource(T.orgPolicy, { content: doc({ Effect: "Deny", Action: "s3:DeleteObject", Resource: big(200).Resource }) })), 1);
  });
});
