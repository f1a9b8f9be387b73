// The CDN's bucket/key/log statements, evaluated by an IAM engine (iam-simulate) over the real
// documents: CloudFront reads the distributed prefixes only, and only as this distribution.
import { strict as assert } from "node:assert";
import {
  accountOfDistributionArn,
  cdnAccessProbes,
  cloudFrontDecryptStatement,
  cloudFrontReadStatement,
  logDeliveryWriteStatement,
} from "../iam/cdnPolicies";
import { policyDocument, type Statement } from "../iam/types";
import { decide as evaluate } from "./support/iam";

const ACCOUNT = "111111111111";
const BUCKET = "arn:aws:s3:::mv-dev-models";
const DIST = `arn:aws:cloudfront::${ACCOUNT}:distribution/E1ABCDEF234567`;
const OTHER = `arn:aws:cloudfront::222222222222:distribution/E9ZZZZZZZZZZZZ`;
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;

function decide(statements: Statement[], principal: string, action: string, resource: string, ctx: Record<string, string>): Promise<string> {
  return evaluate({ principal, action, resource, accountId: ACCOUNT, context: ctx, resourcePolicy: policyDocument(statements) });
}

const asCloudFront = (sourceArn: string) => ({ "aws:SourceArn": sourceArn, "aws:SourceAccount": accountOfDistributionArn(sourceArn) });

describe("cdn IAM statements", () => {
  const read = cloudFrontReadStatement({ bucketArn: BUCKET, prefixes: ["models/public/", "models/partners/"], distributionArn: DIST });

  it("lets this distribution GET objects under the distributed prefixes", async () => {
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:GetObject", `${BUCKET}/models/public/llama/model.safetensors`, asCloudFront(DIST)), "Allowed");
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:GetObject", `${BUCKET}/models/partners/x.bin`, asCloudFront(DIST)), "Allowed");
  });

  it("denies other keys, other distributions, a missing source ARN and other actions", async () => {
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:GetObject", `${BUCKET}/models/internal/x.bin`, asCloudFront(DIST)), "ImplicitlyDenied");
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:GetObject", `${BUCKET}/models/publicity/x.bin`, asCloudFront(DIST)), "ImplicitlyDenied");
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:GetObject", `${BUCKET}/models/public/x.bin`, asCloudFront(OTHER)), "ImplicitlyDenied");
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:GetObject", `${BUCKET}/models/public/x.bin`, {}), "ImplicitlyDenied");
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:PutObject", `${BUCKET}/models/public/x.bin`, asCloudFront(DIST)), "ImplicitlyDenied");
    assert.equal(await decide([read], "cloudfront.amazonaws.com", "s3:ListBucket", BUCKET, asCloudFront(DIST)), "ImplicitlyDenied");
  });

  it("grants no wildcard action and names the distribution ARN", () => {
    assert.equal(read.Action, "s3:GetObject");
    assert.deepEqual(read.Principal, { Service: "cloudfront.amazonaws.com" });
    assert.deepEqual(read.Condition, { StringEquals: { "AWS:SourceArn": DIST } });
    assert.deepEqual(read.Resource, [`${BUCKET}/models/public/*`, `${BUCKET}/models/partners/*`]);
  });

  it("lets CloudFront decrypt with the key only as this distribution", async () => {
    const dec = cloudFrontDecryptStatement({ distributionArn: DIST });
    assert.equal(await decide([dec], "cloudfront.amazonaws.com", "kms:Decrypt", KEY, asCloudFront(DIST)), "Allowed");
    assert.equal(await decide([dec], "cloudfront.amazonaws.com", "kms:Decrypt", KEY, asCloudFront(OTHER)), "ImplicitlyDenied");
    assert.equal(await decide([dec], "cloudfront.amazonaws.com", "kms:Encrypt", KEY, asCloudFront(DIST)), "ImplicitlyDenied");
  });

  it("lets log delivery write under the log prefix only, from this account and delivery source", async () => {
    const src = `arn:aws:logs:us-east-1:${ACCOUNT}:delivery-source:mv-dev-cdn`;
    const logs = logDeliveryWriteStatement({ logBucketArn: "arn:aws:s3:::mv-dev-logs", prefix: "cloudfront/", accountId: ACCOUNT, deliverySourceArn: src });
    const ctx = { "aws:SourceArn": src, "aws:SourceAccount": ACCOUNT, "s3:x-amz-acl": "bucket-owner-full-control" };
    assert.equal(await decide([logs], "delivery.logs.amazonaws.com", "s3:PutObject", "arn:aws:s3:::mv-dev-logs/cloudfront/AWSLogs/x.gz", ctx), "Allowed");
    assert.equal(await decide([logs], "delivery.logs.amazonaws.com", "s3:PutObject", "arn:aws:s3:::mv-dev-logs/s3/x.gz", ctx), "ImplicitlyDenied");
    assert.equal(await decide([logs], "delivery.logs.amazonaws.com", "s3:PutObject", "arn:aws:s3:::mv-dev-logs/cloudfront/x.gz", { ...ctx, "aws:SourceAccount": "222222222222" }), "ImplicitlyDenied");
    assert.equal(
      await decide([logs], "delivery.logs.amazonaws.com", "s3:PutObject", "arn:aws:s3:::mv-dev-logs/cloudfront/x.gz", { ...ctx, "aws:SourceArn": `arn:aws:logs:us-east-1:${ACCOUNT}:delivery-source:other` }),
      "ImplicitlyDenied",
    );
  });

  it("access probes: each row's expectation holds under the real statement", async () => {
    const probes = cdnAccessProbes({ bucketArn: BUCKET, prefixes: ["models/public/"], distributionArn: DIST });
    assert.equal(probes.length, 3);
    assert.ok(probes.some((p) => p.expected === "Allowed") && probes.some((p) => p.contextVariables["aws:SourceArn"] !== DIST));
    const stmt = cloudFrontReadStatement({ bucketArn: BUCKET, prefixes: ["models/public/"], distributionArn: DIST });
    for (const p of probes) assert.equal(await decide([stmt], p.principal, p.action, p.resource, p.contextVariables), p.expected, `${p.label} ${p.resource}`);
  });

  it("refuses bad inputs instead of widening", () => {
    assert.throws(() => cloudFrontReadStatement({ bucketArn: BUCKET, prefixes: [], distributionArn: DIST }), /at least one/);
    assert.throws(() => cloudFrontReadStatement({ bucketArn: BUCKET, prefixes: ["models"], distributionArn: DIST }), /bad distributed prefix/);
    assert.throws(() => cloudFrontReadStatement({ bucketArn: BUCKET, prefixes: ["*"], distributionArn: DIST }), /bad distributed prefix/);
    assert.throws(() => cloudFrontReadStatement({ bucketArn: BUCKET, prefixes: ["models/"], distributionArn: "*" }), /not a CloudFront distribution ARN/);
  });
});
