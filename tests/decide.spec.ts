// The plan's one evaluator (plan/decide.ts): the design matrix, the SCP rows and the attacker paths
// name what decided the same way: the outer layer's deny first, grants without the SCPs' pass-through.
import * as assert from "assert";
import { decide, type EvalRequest } from "../plan/decide";
import type { PolicyDocument } from "../iam/types";

const ROLE = "arn:aws:iam::111111111111:role/reader";
const OBJECT = "arn:aws:s3:::bucket-a/models/w.safetensors";
const doc = (Sid: string, Effect: "Allow" | "Deny", Principal?: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [{ Sid, Effect, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-a/*", ...(Principal ? { Principal: { AWS: Principal } } : {}) }],
});
const FULL: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

function req(over: Partial<EvalRequest> = {}): EvalRequest {
  return {
    principal: ROLE,
    action: "s3:GetObject",
    resource: OBJECT,
    resourceAccount: "111111111111",
    context: { "aws:PrincipalArn": ROLE },
    identityPolicies: [{ name: "reader", policy: doc("Read", "Allow") }],
    resourceName: "bucket-policy",
    ...over,
  };
}

describe("plan/decide: one evaluator, one naming of who decided", () => {
  it("names the identity grant, not the SCPs that only let it through", async () => {
    const d = await decide(req({ scps: [{ orgIdentifier: "ou-x", policies: [{ name: "FullAWSAccess", policy: FULL }] }] }), "test");
    assert.deepStrictEqual(d, { decision: "Allowed", by: "identity:reader/Read" });
  });

  it("puts the SCP's deny before the bucket policy's and the identity policy's", async () => {
    const d = await decide(
      req({
        identityPolicies: [{ name: "reader", policy: { Version: "2012-10-17", Statement: [...doc("Read", "Allow").Statement, ...doc("NoRead", "Deny").Statement] } }],
        resourcePolicy: doc("BucketNo", "Deny", "*"),
        scps: [{ orgIdentifier: "ou-x", policies: [{ name: "FullAWSAccess", policy: FULL }, { name: "scp-1", policy: doc("ScpNo", "Deny") }] }],
      }),
      "test",
    );
    assert.strictEqual(d.decision, "ExplicitlyDenied");
    assert.strictEqual(d.by, "scp:scp-1/ScpNo, bucket-policy/BucketNo, identity:reader/NoRead");
  });

  it("says where no Allow was found", async () => {
    const d = await decide(req({ identityPolicies: [] }), "test");
    assert.deepStrictEqual(d, { decision: "ImplicitlyDenied", by: "no Allow (identity)" });
  });

  it("names the caller in an engine error", async () => {
    await assert.rejects(decide(req({ action: "s3:NotAnAction" }), "SCP rows"), /^Error: SCP rows: /);
  });
});
