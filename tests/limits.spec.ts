// AWS's size limits have one home (iam/limits.ts). The policy pack (shipped on its own) keeps copies
// that must stay equal.
import { strict as assert } from "node:assert";
import * as L from "../iam/limits";
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
});
