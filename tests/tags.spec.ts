// The `model-vault:role` tag has one home (iam/tags.ts); the policy pack, which ships on its own,
// keeps a copy that must stay equal, or its rules would stop finding the stack's resources.
import { strict as assert } from "node:assert";
import { ROLE_TAG } from "../iam/tags";
import { KEY_TAG } from "../iam/scp";
import { ROLE_TAG as PACK_ROLE_TAG } from "../policypack/lib/values";

describe("the model-vault:role tag key", () => {
  it("the policy pack's copy equals iam/tags.ts", () => assert.equal(PACK_ROLE_TAG, ROLE_TAG));
  it("the SCPs read the same key", () => assert.equal(KEY_TAG, ROLE_TAG));
});
