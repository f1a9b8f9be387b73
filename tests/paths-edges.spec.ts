// Each edge kind of the attacker-path graph on a tiny hand-made model, positive and negative,
// decided by the IAM engine (iam-simulate) over the documents each case writes.
import { strict as assert } from "node:assert";
import type { PolicyDocument, Statement } from "../iam/types";
import { EdgeFinder, startActor, type EdgeKind } from "../plan/paths/edges";
import { PathEngine } from "../plan/paths/engine";
import type { PathModel, PathPrincipal } from "../plan/paths/model";
import { TINY_ACCOUNT as ACCOUNT, allow, doc, tinyModel, tinyPrincipal } from "./support/tinyPathModel";

const ATTACKER = `arn:aws:iam::${ACCOUNT}:role/attacker`;
const TARGET = `arn:aws:iam::${ACCOUNT}:role/model-vault/target`;
const FUNCTION = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:model-vault-jit-api-x`;
const PUBLISHER = `arn:aws:iam::${ACCOUNT}:role/model-vault/access-publisher-x`;
const ISSUER = `arn:aws:iam::${ACCOUNT}:role/model-vault/model-vault-jit-issuer-x`;
const MANAGED = `arn:aws:iam::${ACCOUNT}:policy/model-vault/target-extra`;

const trusting = (Principal: Statement["Principal"], Action: string | string[] = "sts:AssumeRole", Condition?: Statement["Condition"]) => doc({ Effect: "Allow", Principal, Action, ...(Condition ? { Condition } : {}) });
const principal = tinyPrincipal;
const model = tinyModel;

interface Case {
  name: string;
  attacker: Partial<PathPrincipal>;
  target?: Partial<PathPrincipal>;
  extra?: Partial<PathModel>;
  others?: PathPrincipal[];
  expect: { kind: EdgeKind; to: string; action?: RegExp } | { none: EdgeKind[] };
}

const URL_PERMISSIONS = doc(
  { Sid: "url", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "lambda:InvokeFunctionUrl", Resource: FUNCTION, Condition: { StringEquals: { "lambda:FunctionUrlAuthType": "AWS_IAM" } } },
  { Sid: "url-invoke", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "lambda:InvokeFunction", Resource: FUNCTION, Condition: { Bool: { "lambda:InvokedViaFunctionUrl": "true" } } },
);
const broker = (requesters: string[]): Partial<PathModel> => ({
  broker: { functionArn: FUNCTION, issuerArn: ISSUER, functionPolicy: URL_PERMISSIONS, hasUrl: true, requesters, approvers: [], breakGlass: [] },
  publisherArn: PUBLISHER,
});
const brokerRoles = [principal(ISSUER, { role: "jit-issuer", trust: trusting({ Service: "lambda.amazonaws.com" }), start: false }), principal(PUBLISHER, { role: "elevated", trust: trusting({ AWS: ISSUER }), start: false })];
const asPolicy = (d: PolicyDocument) => [{ name: "attacker-policy", policy: d }];

const CASES: Case[] = [
  { name: "assume: the trust names the caller (same account: no identity policy needed)", attacker: {}, target: { trust: trusting({ AWS: ATTACKER }) }, expect: { kind: "assume", to: TARGET } },
  { name: "assume: the trust names someone else", attacker: { identityPolicies: asPolicy(doc(allow("sts:AssumeRole"))) }, target: { trust: trusting({ AWS: `arn:aws:iam::${ACCOUNT}:role/someone` }) }, expect: { none: ["assume"] } },
  {
    name: "assume: the caller sets the session name, source identity and tags the trust asks for",
    attacker: { identityPolicies: asPolicy(doc(allow(["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"], TARGET))) },
    target: {
      trust: trusting({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"], {
        StringLike: { "sts:RoleSessionName": "jit-*" },
        Null: { "sts:SourceIdentity": "false", "aws:RequestTag/jit-request-id": "false" },
      }),
    },
    expect: { kind: "assume", to: TARGET },
  },
  {
    name: "assume: the trust wants session tags, the caller may not tag",
    attacker: { identityPolicies: asPolicy(doc(allow("sts:AssumeRole", TARGET))) },
    target: { trust: trusting({ AWS: `arn:aws:iam::${ACCOUNT}:root` }, ["sts:AssumeRole", "sts:TagSession"], { Null: { "aws:RequestTag/jit-request-id": "false" } }) },
    expect: { none: ["assume"] },
  },
  {
    name: "pass-role: iam:PassRole + lambda:CreateFunction, the role trusts Lambda",
    attacker: { identityPolicies: asPolicy(doc(allow("iam:PassRole", TARGET), allow("lambda:CreateFunction"))) },
    target: { trust: trusting({ Service: "lambda.amazonaws.com" }, "sts:AssumeRole", { StringEquals: { "aws:SourceAccount": ACCOUNT } }) },
    expect: { kind: "pass-role", to: TARGET, action: /^iam:PassRole\+lambda:CreateFunction$/ },
  },
  {
    name: "pass-role: iam:PassRole only to EC2, the role trusts Lambda",
    attacker: { identityPolicies: asPolicy(doc(allow("iam:PassRole", TARGET, { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } }), allow(["lambda:CreateFunction", "ec2:RunInstances"]))) },
    target: { trust: trusting({ Service: "lambda.amazonaws.com" }) },
    expect: { none: ["pass-role"] },
  },
  {
    name: "pass-role: iam:PassRole without the service's create action",
    attacker: { identityPolicies: asPolicy(doc(allow("iam:PassRole", TARGET))) },
    target: { trust: trusting({ Service: "lambda.amazonaws.com" }) },
    expect: { none: ["pass-role"] },
  },
  {
    name: "pass-role: an ECS task role",
    attacker: { identityPolicies: asPolicy(doc(allow(["iam:PassRole", "ecs:RegisterTaskDefinition"]))) },
    target: { trust: trusting({ Service: "ecs-tasks.amazonaws.com" }) },
    expect: { kind: "pass-role", to: TARGET, action: /ecs:RegisterTaskDefinition/ },
  },
  {
    name: "pass-role: a scheduler role pinned to another schedule group is not the caller's to use",
    attacker: { identityPolicies: asPolicy(doc(allow(["iam:PassRole"]), allow("scheduler:CreateSchedule", `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/mine/*`))) },
    target: { trust: trusting({ Service: "scheduler.amazonaws.com" }, "sts:AssumeRole", { StringEquals: { "aws:SourceArn": `arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/theirs` } }) },
    expect: { none: ["pass-role"] },
  },
  {
    name: "web-identity: whoever administers an EKS cluster runs a pod under an IRSA role",
    attacker: { identityPolicies: asPolicy(doc(allow(["eks:CreateAccessEntry", "eks:AssociateAccessPolicy"]))) },
    target: { trust: trusting({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC` }, "sts:AssumeRoleWithWebIdentity") },
    expect: { kind: "web-identity", to: TARGET },
  },
  {
    name: "web-identity: no EKS rights",
    attacker: { identityPolicies: asPolicy(doc(allow("s3:GetObject"))) },
    target: { trust: trusting({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC` }, "sts:AssumeRoleWithWebIdentity") },
    expect: { none: ["web-identity"] },
  },
  {
    name: "broker-url: a requester through the function URL gets a broker-minted publisher session",
    attacker: { kind: "human", identityPolicies: asPolicy(doc(allow(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], FUNCTION))) },
    extra: broker([`arn:aws:sts::${ACCOUNT}:assumed-role/attacker/*`]),
    others: brokerRoles,
    expect: { kind: "broker-url", to: PUBLISHER },
  },
  {
    name: "broker-url: the broker does not take callers its config does not name",
    attacker: { kind: "human", identityPolicies: asPolicy(doc(allow(["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], FUNCTION))) },
    extra: broker([`arn:aws:sts::${ACCOUNT}:assumed-role/ml-release-engineers/*`]),
    others: brokerRoles,
    expect: { none: ["broker-url"] },
  },
  {
    name: "invoke-direct: lambda:InvokeFunction in the caller's identity policy forges the broker's caller",
    attacker: { identityPolicies: asPolicy(doc(allow("lambda:InvokeFunction", FUNCTION))) },
    extra: broker([]),
    others: brokerRoles,
    expect: { kind: "invoke-direct", to: ISSUER },
  },
  {
    name: "invoke-direct: a caller policy that requires the function URL",
    attacker: { identityPolicies: asPolicy(doc(allow("lambda:InvokeFunction", FUNCTION, { Bool: { "lambda:InvokedViaFunctionUrl": "true" } }))) },
    extra: broker([]),
    others: brokerRoles,
    expect: { none: ["invoke-direct"] },
  },
  { name: "retrust: iam:UpdateAssumeRolePolicy on the role", attacker: { identityPolicies: asPolicy(doc(allow("iam:UpdateAssumeRolePolicy", TARGET))) }, target: { trust: trusting({ Service: "ec2.amazonaws.com" }) }, expect: { kind: "retrust", to: TARGET } },
  { name: "retrust: on another role only", attacker: { identityPolicies: asPolicy(doc(allow("iam:UpdateAssumeRolePolicy", `arn:aws:iam::${ACCOUNT}:role/other`))) }, target: { trust: trusting({ Service: "ec2.amazonaws.com" }) }, expect: { none: ["retrust"] } },
  {
    name: "retrust: IAM Identity Center's roles are Identity Center's to change, not IAM's",
    attacker: { identityPolicies: asPolicy(doc(allow(["iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy"]))) },
    others: [principal(`arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Approvers_0123456789abcdef`, { kind: "human", trust: null })],
    expect: { none: ["retrust", "rewrite"] },
  },
  { name: "rewrite: iam:PutRolePolicy", attacker: { identityPolicies: asPolicy(doc(allow("iam:PutRolePolicy", TARGET))) }, target: {}, expect: { kind: "rewrite", to: TARGET, action: /^iam:PutRolePolicy$/ } },
  { name: "rewrite: iam:AttachRolePolicy", attacker: { identityPolicies: asPolicy(doc(allow("iam:AttachRolePolicy", TARGET))) }, target: {}, expect: { kind: "rewrite", to: TARGET, action: /^iam:AttachRolePolicy$/ } },
  {
    name: "rewrite: iam:DeleteRolePermissionsBoundary on a role with a boundary",
    attacker: { identityPolicies: asPolicy(doc(allow("iam:DeleteRolePermissionsBoundary", TARGET))) },
    target: { boundary: { name: `arn:aws:iam::${ACCOUNT}:policy/model-vault/target-boundary`, policy: doc(allow("s3:PutObject")) } },
    expect: { kind: "rewrite", to: TARGET, action: /Boundary/ },
  },
  {
    name: "rewrite: iam:CreatePolicyVersion on the role's boundary policy lifts the boundary",
    attacker: { identityPolicies: asPolicy(doc(allow("iam:CreatePolicyVersion", `arn:aws:iam::${ACCOUNT}:policy/model-vault/target-boundary`))) },
    target: { boundary: { name: `arn:aws:iam::${ACCOUNT}:policy/model-vault/target-boundary`, policy: doc(allow("s3:PutObject")) } },
    expect: { kind: "rewrite", to: TARGET, action: /^iam:CreatePolicyVersion$/ },
  },
  { name: "rewrite: removing a boundary the role does not have gives nothing", attacker: { identityPolicies: asPolicy(doc(allow("iam:DeleteRolePermissionsBoundary", TARGET))) }, target: {}, expect: { none: ["rewrite"] } },
  {
    name: "rewrite: iam:CreatePolicyVersion on an attached customer-managed policy",
    attacker: { identityPolicies: asPolicy(doc(allow("iam:CreatePolicyVersion", MANAGED))) },
    target: { attachedPolicyArns: [MANAGED] },
    expect: { kind: "rewrite", to: TARGET, action: /^iam:CreatePolicyVersion$/ },
  },
  { name: "rewrite: iam:UpdateRole changes no power", attacker: { identityPolicies: asPolicy(doc(allow("iam:UpdateRole", TARGET))) }, target: {}, expect: { none: ["rewrite"] } },
  {
    name: "rewrite: an SCP denies iam:PutRolePolicy on the stack's roles",
    attacker: { underScps: true, identityPolicies: asPolicy(doc(allow("iam:PutRolePolicy", TARGET))) },
    target: {},
    extra: { scps: [doc({ Effect: "Deny", Action: "iam:PutRolePolicy", Resource: "arn:aws:iam::*:role/model-vault/*" })] },
    expect: { none: ["rewrite"] },
  },
  {
    name: "credentials: iam:CreateAccessKey on an IAM user",
    attacker: { identityPolicies: asPolicy(doc(allow("iam:CreateAccessKey", `arn:aws:iam::${ACCOUNT}:user/alice`))) },
    others: [principal(`arn:aws:iam::${ACCOUNT}:user/alice`, { kind: "human", user: true })],
    expect: { kind: "credentials", to: `arn:aws:iam::${ACCOUNT}:user/alice` },
  },
  {
    name: "credentials: no IAM rights on the user",
    attacker: { identityPolicies: asPolicy(doc(allow("s3:GetObject"))) },
    others: [principal(`arn:aws:iam::${ACCOUNT}:user/alice`, { kind: "human", user: true })],
    expect: { none: ["credentials"] },
  },
];

describe("attacker paths: each edge kind on a tiny plan (iam-simulate)", () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const attacker = principal(ATTACKER, c.attacker);
      const ps = [attacker, ...(c.target ? [principal(TARGET, c.target)] : []), ...(c.others ?? [])];
      const m = model(ps, c.extra);
      const edges = await new EdgeFinder(m, new PathEngine(m)).edgesOf(startActor(attacker));
      if ("none" in c.expect) {
        const none = c.expect.none;
        assert.deepEqual(edges.filter((e) => none.includes(e.kind)).map((e) => `${e.kind} ${e.hop.action}`), []);
        return;
      }
      const { kind, to, action } = c.expect;
      const e = edges.find((x) => x.kind === kind && x.to.principal.id === to);
      assert.ok(e, `expected a ${kind} edge to ${to}; found ${edges.map((x) => `${x.kind}->${x.to.principal.id}`).join(", ") || "none"}`);
      assert.ok(e.hop.decidedBy.length > 0);
      if (action) assert.match(e.hop.action, action);
    });
  }

  it("prunes: a source whose identity policies name none of the edge actions is never asked of the engine", async () => {
    const attacker = principal(ATTACKER, { identityPolicies: asPolicy(doc(allow("s3:GetObject", "arn:aws:s3:::tiny/*"))) });
    const m = model([attacker, principal(TARGET, { trust: trusting({ Service: "lambda.amazonaws.com" }) }), ...brokerRoles], broker([]));
    const engine = new PathEngine(m);
    const finder = new EdgeFinder(m, engine);
    assert.deepEqual(await finder.edgesOf(startActor(attacker)), []);
    assert.equal(engine.stats.asked, 0);
    assert.equal(finder.evaluated, 0);
    assert.ok(engine.stats.pruned > 10);
  });
});
