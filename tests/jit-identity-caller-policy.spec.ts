// The documented caller policy (jit/README.md "Caller policy"), evaluated: a person reaches the
// broker through its URL only (a direct Invoke would let them write the authorizer context), and
// an IAM user only with MFA-backed credentials.
import { strict as assert } from "assert";
import { readFileSync } from "fs";
import { join } from "path";
import { brokerCallerPolicy } from "../jit/caller-policy";
import type { PolicyDocument } from "../iam/types";
import { decide } from "./support/iam";

const FN = "arn:aws:lambda:us-east-1:111111111111:function:model-vault-jit-api-dev";
const SSO = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_MLReleaseEngineers_0123456789abcdef/dave";
const USER = "arn:aws:iam::111111111111:user/dave";
const URL_CALL = { "lambda:FunctionUrlAuthType": "AWS_IAM", "lambda:InvokedViaFunctionUrl": "true" };

async function can(policy: PolicyDocument, principal: string, action: string, context: Record<string, string>, resource = FN): Promise<string> {
  return decide({ principal, action, resource, context, identityPolicies: [policy] });
}

describe("jit caller policy", () => {
  it("the policy the README used to imply (both actions, no condition) lets its holder invoke the function directly and forge the caller", async () => {
    const naive: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"], Resource: FN }] };
    assert.equal(await can(naive, SSO, "lambda:InvokeFunction", {}), "Allowed");
  });

  it("allows the URL call and refuses a direct Invoke (no lambda:InvokedViaFunctionUrl, or false)", async () => {
    const p = brokerCallerPolicy(FN);
    assert.equal(await can(p, SSO, "lambda:InvokeFunctionUrl", URL_CALL), "Allowed");
    assert.equal(await can(p, SSO, "lambda:InvokeFunction", URL_CALL), "Allowed");
    assert.notEqual(await can(p, SSO, "lambda:InvokeFunction", {}), "Allowed");
    assert.notEqual(await can(p, SSO, "lambda:InvokeFunction", { "lambda:InvokedViaFunctionUrl": "false" }), "Allowed");
    assert.notEqual(await can(p, SSO, "lambda:InvokeFunction", URL_CALL, FN.replace("jit-api-dev", "jit-revoker-dev")), "Allowed");
  });

  it("for IAM users, needs MFA-backed credentials on both calls (long-term keys carry no MFA key)", async () => {
    const p = brokerCallerPolicy(FN, { iamUserMfa: true });
    for (const action of ["lambda:InvokeFunctionUrl", "lambda:InvokeFunction"]) {
      assert.notEqual(await can(p, USER, action, URL_CALL), "Allowed", `${action} with long-term keys`);
      assert.notEqual(await can(p, USER, action, { ...URL_CALL, "aws:MultiFactorAuthPresent": "false" }), "Allowed", `${action} without MFA`);
      assert.equal(await can(p, USER, action, { ...URL_CALL, "aws:MultiFactorAuthPresent": "true" }), "Allowed", `${action} with MFA`);
    }
    assert.notEqual(await can(p, USER, "lambda:InvokeFunction", { "aws:MultiFactorAuthPresent": "true" }), "Allowed", "MFA does not make a direct Invoke acceptable");
  });

  it("is what jit/README.md prints", () => {
    const readme = readFileSync(join(__dirname, "..", "jit", "README.md"), "utf8");
    const blocks = [...readme.matchAll(/<!-- caller-policy(-mfa)? -->\n```json\n([\s\S]*?)\n```/g)];
    assert.equal(blocks.length, 2, "two caller-policy blocks");
    const placeholder = "arn:aws:lambda:REGION:ACCOUNT:function:model-vault-jit-api-STACK";
    for (const [, mfa, json] of blocks) assert.deepEqual(JSON.parse(json), brokerCallerPolicy(placeholder, { iamUserMfa: mfa !== undefined }));
  });
});
