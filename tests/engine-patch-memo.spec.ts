// patches/@cloud-copilot+iam-simulate+0.1.173.dev.patch keeps converted IAM strings, action and
// resource patterns, and each document's validation, across evaluations. What must not be kept:
// a value holding a policy variable (it depends on the request), and a validation of another
// document that happens to look alike or of the same document under another validator. These
// evaluations share one engine process, asked in an order that would expose a stale entry. The
// iam-utils patch keeps each resource's match against a resource type, keyed by both strings.
import { strict as assert } from "node:assert";
import type { PolicyDocument } from "../iam/types";
import { resourceStringMatchesResourceTypePattern } from "@cloud-copilot/iam-utils";
import { decide } from "./support/iam";

const ACCOUNT = "111111111111";
const doc = (...Statement: PolicyDocument["Statement"]): PolicyDocument => ({ Version: "2012-10-17", Statement });

describe("iam-simulate patch: what is memoised answers as before", () => {
  it("a policy variable is resolved per request, in resources and in conditions", async () => {
    const perUser = doc(
      { Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/home/${aws:username}/*" },
      { Effect: "Allow", Action: "s3:PutObject", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/team": "${aws:username}" } } },
    );
    const ask = (user: string, action: string, key: string, team = "x") =>
      decide({ principal: `arn:aws:iam::${ACCOUNT}:user/${user}`, action, resource: `arn:aws:s3:::bucket/${key}`, identityPolicies: [perUser], context: { "aws:username": user, "aws:PrincipalTag/team": team } });
    assert.equal(await ask("alice", "s3:GetObject", "home/alice/a"), "Allowed");
    assert.equal(await ask("bob", "s3:GetObject", "home/alice/a"), "ImplicitlyDenied");
    assert.equal(await ask("bob", "s3:GetObject", "home/bob/a"), "Allowed");
    assert.equal(await ask("alice", "s3:PutObject", "k", "alice"), "Allowed");
    assert.equal(await ask("bob", "s3:PutObject", "k", "alice"), "ImplicitlyDenied");
  });

  it("wildcard and literal patterns of the same text as another field keep their own meaning", async () => {
    const policy = doc({ Effect: "Allow", Action: ["s3:Get*", "s3:ListBucket"], Resource: ["arn:aws:s3:::bucket/models/*", "arn:aws:s3:::bucket"] });
    const ask = (action: string, resource: string) => decide({ principal: `arn:aws:iam::${ACCOUNT}:role/r`, action, resource, identityPolicies: [policy] });
    assert.equal(await ask("s3:GetObject", "arn:aws:s3:::bucket/models/a"), "Allowed");
    assert.equal(await ask("s3:GetObject", "arn:aws:s3:::bucket/other/a"), "ImplicitlyDenied");
    assert.equal(await ask("s3:ListBucket", "arn:aws:s3:::bucket"), "Allowed");
    assert.equal(await ask("s3:PutObject", "arn:aws:s3:::bucket/models/a"), "ImplicitlyDenied");
  });

  it("one document validated as an identity policy and as a resource policy: each validator's verdict", async () => {
    // Valid as a resource policy (it names a principal), invalid as an identity policy (which may not).
    const withPrincipal = doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/r` }, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket/*" });
    const req = { principal: `arn:aws:iam::${ACCOUNT}:role/r`, action: "s3:GetObject", resource: "arn:aws:s3:::bucket/a" };
    assert.equal(await decide({ ...req, resourcePolicy: withPrincipal }), "Allowed");
    await assert.rejects(decide({ ...req, identityPolicies: [withPrincipal] }), /rejected/);
    assert.equal(await decide({ ...req, resourcePolicy: withPrincipal }), "Allowed");
  });

  it("a resource's match against one resource type is never taken for another's (patches/@cloud-copilot+iam-utils)", () => {
    const object = "arn:${Partition}:s3:::${BucketName}/${ObjectName}";
    const bucket = "arn:${Partition}:s3:::${BucketName}";
    const key = "arn:aws:s3:::b/k";
    const b = "arn:aws:s3:::b";
    // Asked in both orders, each pair twice: a memo keyed by one string alone would answer the second wrongly.
    for (let i = 0; i < 2; i++) {
      assert.deepEqual([resourceStringMatchesResourceTypePattern(key, object), resourceStringMatchesResourceTypePattern(key, bucket)], [true, false]);
      assert.deepEqual([resourceStringMatchesResourceTypePattern(b, bucket), resourceStringMatchesResourceTypePattern(b, object)], [true, false]);
    }
  });
});
