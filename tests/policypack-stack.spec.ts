// Stack rules: model buckets joined with their BPA, versioning, SSE and policy; audit coverage;
// CloudFront origins pinned in the bucket policy.
import * as assert from "assert";
import type { PlanResource } from "../plan/types";
import { doc, resource, violationsOf } from "./support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";

const BUCKET = "acme-models";
const DIST_ARN = "arn:aws:cloudfront::111111111111:distribution/E123";

function modelStack(): PlanResource[] {
  const tls = { Sid: "DenyNonTls", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [`arn:aws:s3:::${BUCKET}`, `arn:aws:s3:::${BUCKET}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } };
  const cdn = { Sid: "Cdn", Effect: "Allow", Principal: { Service: "cloudfront.amazonaws.com" }, Action: "s3:GetObject", Resource: `arn:aws:s3:::${BUCKET}/*`, Condition: { StringEquals: { "aws:SourceArn": DIST_ARN } } };
  const bucketOutputs = { bucket: BUCKET, id: BUCKET, arn: `arn:aws:s3:::${BUCKET}`, bucketRegionalDomainName: `${BUCKET}.s3.us-east-1.amazonaws.com`, tags: { "model-vault:role": "model-bucket" } };
  return [
    resource(T.bucket, { bucket: BUCKET, tags: bucketOutputs.tags }, bucketOutputs, "models"),
    resource(T.bucketPab, { bucket: BUCKET, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }),
    resource(T.bucketVersioning, { bucket: BUCKET, versioningConfiguration: { status: "Enabled" } }),
    resource(T.bucketSse, { bucket: BUCKET, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: "k" } }] }),
    resource(T.bucketPolicy, { bucket: BUCKET, policy: doc(tls, cdn) }),
    resource(T.trail, {
      isMultiRegionTrail: true,
      advancedEventSelectors: [
        {
          fieldSelectors: [
            { field: "eventCategory", equals: ["Data"] },
            { field: "resources.type", equals: ["AWS::S3::Object"] },
            { field: "resources.ARN", startsWiths: [`arn:aws:s3:::${BUCKET}/`] },
          ],
        },
      ],
    }),
    resource(
      T.distribution,
      { origins: [{ originId: "m", domainName: `${BUCKET}.s3.us-east-1.amazonaws.com`, originAccessControlId: "oac" }] },
      { arn: DIST_ARN, origins: [{ originId: "m", domainName: `${BUCKET}.s3.us-east-1.amazonaws.com`, originAccessControlId: "oac" }] },
      "cdn",
    ),
  ];
}

const without = (rs: PlanResource[], type: string) => rs.filter((r) => r.type !== type);

describe("policypack: model-bucket-complete", () => {
  it("accepts a complete model bucket", () => assert.deepStrictEqual(violationsOf("model-bucket-complete", modelStack()), []));
  for (const [what, type] of [
    ["public access block", T.bucketPab],
    ["versioning", T.bucketVersioning],
    ["SSE-KMS", T.bucketSse],
    ["TLS-only policy", T.bucketPolicy],
  ] as const) {
    it(`rejects a model bucket without ${what}`, () => {
      const v = violationsOf("model-bucket-complete", without(modelStack(), type));
      assert.strictEqual(v.length, 1);
      assert.strictEqual(v[0].urn, modelStack()[0].urn.replace(/r\d+$/, "models"));
    });
  }
  it("rejects SSE-S3 and suspended versioning", () => {
    const rs = modelStack().map((r) =>
      r.type === T.bucketSse ? { ...r, outputs: { ...r.outputs, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] } } : r.type === T.bucketVersioning ? { ...r, outputs: { ...r.outputs, versioningConfiguration: { status: "Suspended" } } } : r,
    );
    assert.match(violationsOf("model-bucket-complete", rs)[0].message, /versioning Enabled, SSE-KMS/);
  });
  it("ignores buckets that are not tagged as model buckets", () => {
    assert.deepStrictEqual(violationsOf("model-bucket-complete", [resource(T.bucket, { bucket: "other" })]), []);
  });
});

describe("policypack: model-bucket-audited", () => {
  it("accepts advanced and classic selectors covering the bucket", () => {
    assert.deepStrictEqual(violationsOf("model-bucket-audited", modelStack()), []);
    const classic = modelStack().map((r) => (r.type === T.trail ? { ...r, outputs: { eventSelectors: [{ dataResources: [{ type: "AWS::S3::Object", values: [`arn:aws:s3:::${BUCKET}/`] }] }] } } : r));
    assert.deepStrictEqual(violationsOf("model-bucket-audited", classic), []);
  });
  it("rejects a stack whose trail does not cover the bucket", () => {
    assert.strictEqual(violationsOf("model-bucket-audited", without(modelStack(), T.trail)).length, 1);
    const other = modelStack().map((r) => (r.type === T.trail ? { ...r, outputs: { eventSelectors: [{ dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3:::other-bucket/"] }] }] } } : r));
    assert.strictEqual(violationsOf("model-bucket-audited", other).length, 1);
  });
});

describe("policypack: cdn-origin-pinned", () => {
  it("accepts an OAC origin whose bucket policy pins the distribution ARN", () => assert.deepStrictEqual(violationsOf("cdn-origin-pinned", modelStack()), []));
  it("rejects a bucket policy pinned to another distribution, or not pinned", () => {
    const rs = modelStack().map((r) => (r.type === T.distribution ? { ...r, outputs: { ...r.outputs, arn: "arn:aws:cloudfront::111111111111:distribution/EOTHER" } } : r));
    assert.strictEqual(violationsOf("cdn-origin-pinned", rs).length, 1);
  });
  it("rejects an S3 origin without OAC", () => {
    const rs = modelStack().map((r) => (r.type === T.distribution ? { ...r, outputs: { arn: DIST_ARN, origins: [{ originId: "m", domainName: `${BUCKET}.s3.us-east-1.amazonaws.com` }] } } : r));
    assert.strictEqual(violationsOf("cdn-origin-pinned", rs).length, 1);
  });
});

describe("policypack: role-inline-policies-size", () => {
  it("adds RolePolicy resources of one role together", () => {
    const big = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: Array.from({ length: 120 }, (_, i) => `arn:aws:s3:::models/prefix-${i}/*`) });
    const rs = [0, 1, 2].map((i) => resource(T.rolePolicy, { role: "reader", name: `p${i}`, policy: big }));
    assert.strictEqual(violationsOf("role-inline-policies-size", rs).length, 1);
    assert.strictEqual(violationsOf("role-inline-policies-size", rs.slice(0, 2)).length, 0);
  });
});
