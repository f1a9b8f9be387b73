// Issue 16 item 3, the attack: a workload's credentials are stolen (an instance-profile session, a
// pod's web-identity token) and used from the attacker's own machine. Evaluated by the IAM engine over
// the documents the prod plan would deploy: the consumer role's identity policies, the bucket policy,
// the key policy.
import { strict as assert } from "node:assert";
import { accessModelFromPlan, type AccessModel, type MatrixPrincipal } from "../plan/access";
import type { PlanResult } from "../plan/build";
import { s3ViaService } from "../iam/arn";
import { decide } from "./support/iam";
import { planFor } from "./support/plans";

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
      assert.ok(c, p.label);
      const inside = insideContext(c);
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
});

/** A request from inside a consumer's configured perimeter (its first VPC endpoint, VPC or range). */
function insideContext(c: unknown): Record<string, string> {
  const n = (c as { network?: { vpcEndpoints: string[]; vpcs: string[]; sourceIps: string[] } | null }).network;
  assert.ok(n, "the prod consumers carry a network perimeter");
  if (n.vpcEndpoints.length) return { "aws:SourceVpce": n.vpcEndpoints[0], "aws:SourceVpc": n.vpcs[0] ?? "vpc-0e0e0e0e0e0e0e0e0" };
  if (n.vpcs.length) return { "aws:SourceVpce": "vpce-0e0e0e0e0e0e0e0e0", "aws:SourceVpc": n.vpcs[0] };
  return { "aws:SourceIp": n.sourceIps[0].replace(/\.0\/\d+$/, ".10") };
}
