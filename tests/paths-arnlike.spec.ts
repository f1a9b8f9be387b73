// iam/arnLike.ts, the one ArnLike matcher the attacker paths use: AWS compares an ARN's six fields
// separately, so `*` never crosses a `:` in partition, service, region or account.
import { strict as assert } from "node:assert";
import { actionLike, arnLike } from "../iam/arnLike";

const CASES: [string, string, boolean][] = [
  ["arn:aws:iam::*:role/model-vault/*", "arn:aws:iam::111111111111:role/model-vault/access-publisher-1", true],
  ["arn:aws:iam::*:role/model-vault/*", "arn:aws:iam::111111111111:role/other/x", false],
  // `*` in the account field does not swallow the service and region of another ARN.
  ["arn:aws:*:role/x", "arn:aws:iam::111111111111:role/x", false],
  ["arn:aws:iam::1111*", "arn:aws:iam::111111111111:role/x", false],
  // In the resource field it crosses `/` and `:`.
  ["arn:aws:lambda:*:*:function:model-vault-jit-api-*", "arn:aws:lambda:us-east-1:111111111111:function:model-vault-jit-api-51d3db5", true],
  ["arn:aws:lambda:*:*:function:model-vault-jit-api-*", "arn:aws:lambda:us-east-1:111111111111:function:model-vault-jit-api-x:live", true],
  ["arn:aws:s3:::bucket/models/*", "arn:aws:s3:::bucket/models/a/b.safetensors", true],
  ["arn:aws:s3:::bucket/models/?", "arn:aws:s3:::bucket/models/ab", false],
  ["arn:aws:sts::111111111111:assumed-role/ml-leads/*", "arn:aws:sts::111111111111:assumed-role/ml-leads/dave", true],
  ["*", "anything", true],
  ["arn:aws:iam::111111111111:role/x", "arn:aws:iam::111111111111:role/X", false],
];

describe("iam/arnLike: ArnLike field by field", () => {
  for (const [pattern, arn, want] of CASES) it(`${pattern} ${want ? "matches" : "does not match"} ${arn}`, () => assert.equal(arnLike(pattern, arn), want));

  it("actions match case-insensitively, with wildcards", () => {
    assert.ok(actionLike("s3:Put*", "s3:PutObject"));
    assert.ok(actionLike("IAM:passrole", "iam:PassRole"));
    assert.ok(!actionLike("s3:Get*", "s3:PutObject"));
  });
});
