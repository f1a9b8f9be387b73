// Immutable releases (storage.immutableReleases, on by default in prod): the attacker is the publisher
// itself (or anyone holding its session) re-uploading over a published release. The IAM engine over the
// real planned bucket policy, publisher policy and boundary: an overwrite is refused, a new object
// written with If-None-Match is allowed, and multipart parts (which carry no conditional header) still work.
import { strict as assert } from "node:assert";
import type { PolicyDocument } from "../iam/types";
import { decide } from "./support/iam";
import { doc, ofType, one, planFor } from "./support/plans";
import { loadStackConfig } from "../config";

async function publisherCase(stack: string) {
  const r = await planFor(stack);
  const res = r.plan.resources;
  const bucketPolicy = ofType(res, "aws:s3/bucketPolicy:BucketPolicy").find((x) => x.inputs.bucket === r.config.storage.bucketName)!;
  const role = one(res, "aws:iam/role:Role", "access-publisher");
  const publish = one(res, "aws:iam/rolePolicy:RolePolicy", "access-publisher-publish");
  const boundary = one(res, "aws:iam/policy:Policy", "access-publisher-boundary");
  const prefix = r.config.access.publisher!.prefixes[0];
  const key = `arn:aws:s3:::${r.config.storage.bucketName}/${prefix}release-1/model-00001-of-00002.safetensors`;
  const put = (context: Record<string, string>) =>
    decide({
      principal: role.outputs.arn as string,
      action: "s3:PutObject",
      resource: key,
      accountId: r.config.accountId,
      identityPolicies: [doc(publish.inputs.policy) as unknown as PolicyDocument],
      boundary: doc(boundary.inputs.policy) as unknown as PolicyDocument,
      resourcePolicy: doc(bucketPolicy.inputs.policy) as unknown as PolicyDocument,
      context: {
        "aws:PrincipalArn": role.outputs.arn as string,
        "aws:SourceIdentity": "alice@example.com",
        "aws:SecureTransport": "true",
        "s3:x-amz-server-side-encryption": "aws:kms",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": r.plan.outputs.keyArn as string,
        ...context,
      },
    });
  return { put, immutable: r.config.storage.immutableReleases };
}

describe("immutable releases (IAM engine over the planned prod bucket policy)", () => {
  it("is on by default in prod, off in dev", async () => {
    assert.equal((await planFor("prod")).config.storage.immutableReleases, true);
    assert.equal((await planFor("dev")).config.storage.immutableReleases, false);
  });

  it("refuses the publisher a PutObject without If-None-Match (an overwrite)", async () => {
    const { put } = await publisherCase("prod");
    assert.equal(await put({ "s3:ObjectCreationOperation": "true" }), "ExplicitlyDenied");
  });

  it("refuses the publisher a PutObject or CompleteMultipartUpload with If-Match (replace a known version)", async () => {
    const { put } = await publisherCase("prod");
    assert.equal(await put({ "s3:ObjectCreationOperation": "true", "s3:if-match": '"abc"' }), "ExplicitlyDenied");
    assert.equal(await put({ "s3:ObjectCreationOperation": "true", "s3:if-match": '"abc"', "s3:if-none-match": "*" }), "ExplicitlyDenied");
  });

  it("allows a new object written with If-None-Match: *", async () => {
    const { put } = await publisherCase("prod");
    assert.equal(await put({ "s3:ObjectCreationOperation": "true", "s3:if-none-match": "*" }), "Allowed");
  });

  it("exempts CreateMultipartUpload / UploadPart, which accept no conditional header", async () => {
    const { put } = await publisherCase("prod");
    assert.equal(await put({ "s3:ObjectCreationOperation": "false" }), "Allowed");
  });

  it("leaves dev (option off) writing as before", async () => {
    const { put } = await publisherCase("dev");
    assert.equal(await put({ "s3:ObjectCreationOperation": "true" }), "Allowed");
  });
});

describe("immutable releases: configuration", () => {
  it("refuses publisher.allowDelete while immutableReleases is on (delete + re-upload would replace a release)", () => {
    const all = {
      "aws:region": "us-east-1",
      "model-vault:accountId": "111111111111",
      "model-vault:bucketName": "acme-models-dev",
      "model-vault:immutableReleases": "true",
      "model-vault:publisher": JSON.stringify({ trustedPrincipals: ["arn:aws:iam::111111111111:role/ci"], prefixes: ["models/"], allowDelete: true }),
    };
    assert.throws(() => loadStackConfig("dev", all), (e: Error) => /model-vault:publisher\.allowDelete: must be false while model-vault:immutableReleases is on/.test(e.message));
    assert.doesNotThrow(() => loadStackConfig("dev", { ...all, "model-vault:immutableReleases": "false" }));
  });
});
