// AWS's size limits have one home (iam/limits.ts). The policy pack (shipped on its own) and the
// broker's session policy (bundled into the Lambda) keep copies that must stay equal.
import { strict as assert } from "node:assert";
import * as L from "../iam/limits";
import { SESSION_POLICY_MAX_CHARS } from "../jit/session-policy";
import { LIMITS } from "../policypack/rules/iam-documents";

describe("AWS size limits: one home", () => {
  it("the policy pack's copies equal iam/limits.ts", () => {
    assert.equal(LIMITS.managed, L.MANAGED_POLICY_MAX);
    assert.equal(LIMITS.trust, L.ROLE_TRUST_POLICY_MAX);
    assert.equal(LIMITS.roleInlineTotal, L.ROLE_INLINE_POLICIES_MAX);
    assert.equal(LIMITS.scp, L.SCP_MAX_CHARS);
    assert.equal(LIMITS.bucketPolicy, L.BUCKET_POLICY_MAX);
    assert.equal(LIMITS.keyPolicy, L.KEY_POLICY_MAX);
  });
  it("the broker's session policy bound equals iam/limits.ts", () => assert.equal(SESSION_POLICY_MAX_CHARS, L.SESSION_POLICY_MAX));
});
