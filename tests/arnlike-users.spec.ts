// The ARN globs of the org rows and of the broker's caller check are AWS's ArnLike (iam/arnLike.ts):
// `*` stays inside one of the first five colon-separated fields, so an entry short of fields never
// spreads across partition, service, region and account.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN
import { strict as assert } from "node:assert";
import { arnLike } from "../iam/arnLike";
import { callerFromPrincipal, matches } from "../jit/principals";
import { arnLike as orgArnLike } from "../plan/orgScps";

const OTHER_ACCOUNT_SESSION = "arn:aws:sts::999999999999:assumed-role/ml/mallory";

describe("ARN globs are ArnLike everywhere", () => {
  it("the broker does not let `*` of a short entry cross into another account", () => {
    const caller = callerFromPrincipal(OTHER_ACCOUNT_SESSION, "AROAEXAMPLEEXAMPLE:mallory");
    // Meant as "any service's ml role session", written short of fields: AWS's ArnLike matches nothing.
    assert.equal(matches(["arn:aws:*:assumed-role/ml/*"], caller), false);
    assert.equal(matches(["arn:aws:sts::999999999999:assumed-role/ml/*"], caller), true);
    assert.equal(matches(["arn:aws:sts::*:assumed-role/ml/*"], caller), true);
  });

  it("the org rows' pattern checks match as the SCPs' ArnLike does", () => {
    assert.equal(orgArnLike, arnLike, "one matcher: iam/arnLike.ts");
    const elevated = "arn:aws:iam::111111111111:role/model-vault/access-publisher-x";
    assert.equal(orgArnLike("arn:aws:*:role/model-vault/access-publisher-*", elevated), false);
    assert.equal(orgArnLike("arn:aws:iam::*:role/model-vault/access-publisher-*", elevated), true);
  });
});
