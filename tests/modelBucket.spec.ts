// Every security property of ModelBucket and AccountGuardrails, on the inputs the plan registers.
import { strict as assert } from "node:assert";
import type { PlanResource } from "../plan/types";
import { doc, ofType, one, planFor } from "./support/plans";
import { PUBLIC_ACCESS_BLOCK_INPUT, blocksAllPublicAccess } from "../iam/orgS3Policy";
import { s3PoliciesFromPlan } from "../plan/orgPerimeter";

const T = {
  bucket: "aws:s3/bucket:Bucket",
  bpa: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  versioning: "aws:s3/bucketVersioning:BucketVersioning",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  logging: "aws:s3/bucketLogging:BucketLogging",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  lock: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
  policy: "aws:s3/bucketPolicy:BucketPolicy",
  key: "aws:kms/key:Key",
  keyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  account: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
};

const forBucket = (rs: PlanResource[], type: string, bucket: string) => {
  const found = ofType(rs, type).filter((r) => r.inputs.bucket === bucket);
  assert.equal(found.length, 1, `expected one ${type} for ${bucket}, found ${found.length}`);
  return found[0];
};

for (const stack of ["dev", "prod"]) {
  describe(`ModelBucket in the ${stack} stack`, () => {
    let rs: PlanResource[];
    let name: string;
    let logs: string;
    let accountId: string;
    before(async () => {
      const { plan, config } = await planFor(stack);
      rs = plan.resources;
      accountId = config.accountId;
      name = config.storage.bucketName;
      logs = `${name}-logs`;
    });

    it("is a ModelBucket component parenting its resources", () => {
      const component = one(rs, "model-vault:storage:ModelBucket");
      const bucket = ofType(rs, T.bucket).find((r) => r.inputs.bucket === name)!;
      assert.equal(bucket.parent, component.urn);
      assert.equal(bucket.urn, `urn:pulumi:${stack}::model-vault::model-vault:storage:ModelBucket$aws:s3/bucket:Bucket::models`);
    });

    it("never lets a destroy empty the buckets", () => {
      for (const b of [name, logs]) assert.equal(ofType(rs, T.bucket).find((r) => r.inputs.bucket === b)!.inputs.forceDestroy, false);
    });

    it("disables ACLs on both buckets (BucketOwnerEnforced)", () => {
      for (const b of [name, logs]) assert.deepEqual(forBucket(rs, T.ownership, b).inputs.rule, { objectOwnership: "BucketOwnerEnforced" });
    });

    it("blocks public access with all four flags on both buckets", () => {
      for (const b of [name, logs]) {
        const i = forBucket(rs, T.bpa, b).inputs;
        assert.deepEqual([i.blockPublicAcls, i.blockPublicPolicy, i.ignorePublicAcls, i.restrictPublicBuckets], [true, true, true, true]);
      }
    });

    it("versions both buckets", () => {
      for (const b of [name, logs]) assert.deepEqual(forBucket(rs, T.versioning, b).inputs.versioningConfiguration, { status: "Enabled" });
    });

    it("encrypts the model bucket with its own rotating customer-managed key and S3 Bucket Keys", () => {
      const key = one(rs, T.key, "models-key");
      assert.equal(key.inputs.enableKeyRotation, true);
      assert.equal(key.inputs.keyUsage, "ENCRYPT_DECRYPT");
      const rules = forBucket(rs, T.sse, name).inputs.rules as { applyServerSideEncryptionByDefault: Record<string, unknown>; bucketKeyEnabled: boolean }[];
      assert.equal(rules.length, 1);
      assert.equal(rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
      assert.equal(rules[0].applyServerSideEncryptionByDefault.kmsMasterKeyId, key.outputs.arn);
      assert.equal(rules[0].bucketKeyEnabled, true);
    });

    it("encrypts the access-log bucket with SSE-S3, the only encryption log delivery supports", () => {
      const rules = forBucket(rs, T.sse, logs).inputs.rules as { applyServerSideEncryptionByDefault: Record<string, unknown> }[];
      assert.equal(rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "AES256");
    });

    it("sends server access logs to the log bucket, partitioned by event time", () => {
      const l = forBucket(rs, T.logging, name).inputs;
      assert.equal(l.targetBucket, logs);
      assert.equal(l.targetPrefix, "access-logs/");
    });

    it("lets only S3 log delivery write to the log bucket, pinned to the model bucket and the account", () => {
      const statements = doc(forBucket(rs, T.policy, logs).inputs.policy).Statement;
      // Other components may add pinned delivery services (CloudFront standard logs); S3 log delivery is this one.
      for (const a of statements.filter((s) => s.Effect === "Allow")) {
        assert.ok(JSON.stringify(a.Condition ?? {}).includes(accountId), `${String(a.Sid)} is pinned to the account`);
        assert.notEqual(a.Principal, "*");
      }
      const allows = statements.filter((s) => s.Effect === "Allow" && JSON.stringify(s.Principal) === JSON.stringify({ Service: "logging.s3.amazonaws.com" }));
      assert.equal(allows.length, 1);
      assert.deepEqual(allows[0].Principal, { Service: "logging.s3.amazonaws.com" });
      assert.equal(allows[0].Action, "s3:PutObject");
      assert.equal(allows[0].Resource, `arn:aws:s3:::${logs}/access-logs/*`);
      assert.deepEqual(allows[0].Condition, {
        ArnEquals: { "aws:SourceArn": `arn:aws:s3:::${name}` },
        StringEquals: { "aws:SourceAccount": accountId },
      });
      assert.ok(statements.some((s) => s.Sid === "DenyInsecureTransport"), "log bucket is TLS-only");
    });

    it("expires access logs and tidies versions and uploads of the log bucket", () => {
      const rule = (forBucket(rs, T.lifecycle, logs).inputs.rules as Record<string, unknown>[])[0];
      assert.deepEqual(rule.expiration, { days: stack === "prod" ? 365 : 30 });
      assert.ok(rule.noncurrentVersionExpiration);
    });

    it("aborts incomplete multipart uploads and expires noncurrent versions of the model bucket", () => {
      const rules = forBucket(rs, T.lifecycle, name).inputs.rules as Record<string, Record<string, unknown>>[];
      const abort = rules.find((r) => r.abortIncompleteMultipartUpload)!;
      assert.equal(abort.abortIncompleteMultipartUpload.daysAfterInitiation, 7);
      const noncurrent = rules.find((r) => r.noncurrentVersionExpiration)!;
      assert.equal(noncurrent.noncurrentVersionExpiration.noncurrentDays, stack === "prod" ? 90 : 7);
      for (const r of rules) assert.equal(r.status, "Enabled");
    });

    it("denies non-TLS requests, TLS below 1.2 and uploads asking for another encryption or key", () => {
      const keyArn = one(rs, T.key, "models-key").outputs.arn;
      const statements = doc(forBucket(rs, T.policy, name).inputs.policy).Statement;
      const bySid = new Map(statements.map((s) => [s.Sid, s]));
      assert.deepEqual(bySid.get("DenyInsecureTransport")!.Condition, { Bool: { "aws:SecureTransport": "false" } });
      assert.deepEqual(bySid.get("DenyTlsBelow12")!.Condition, { NumericLessThan: { "s3:TlsVersion": "1.2" } });
      assert.deepEqual(bySid.get("DenyUploadsWithOtherKmsKey")!.Condition, {
        Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "false" },
        StringNotEquals: { "s3:x-amz-server-side-encryption-aws-kms-key-id": keyArn },
      });
      assert.ok(bySid.get("DenyUploadsWithOtherEncryption"));
      assert.ok(bySid.get("DenyUploadsWithCustomerKeys"));
      for (const s of statements.filter((x) => x.Principal === "*")) assert.equal(s.Effect, "Deny", `${String(s.Sid)} names everyone, so it must be a Deny`);
    });

    it("registers one bucket policy per bucket and one key policy", () => {
      assert.equal(ofType(rs, T.policy).filter((r) => r.inputs.bucket === name).length, 1);
      assert.equal(ofType(rs, T.keyPolicy).length >= 1, true);
      const keyPolicy = ofType(rs, T.keyPolicy).find((r) => r.inputs.keyId === one(rs, T.key, "models-key").outputs.keyId)!;
      assert.equal(keyPolicy.inputs.bypassPolicyLockoutSafetyCheck, false);
    });

    it("blocks public access for the whole account: through the org stack's S3 policy it relies on (publicAccessBlock: organization)", async () => {
      assert.equal(ofType(rs, T.account).length, 0, "the account-level setting would fail with 403 under the organization's S3 policy");
      const guard = rs.find((r) => r.type === "model-vault:account:AccountGuardrails")!;
      assert.equal(guard.inputs[PUBLIC_ACCESS_BLOCK_INPUT], "organization");
      const orgPolicies = s3PoliciesFromPlan((await planFor("org")).plan).filter((p) => p.targets.length > 0);
      assert.ok(orgPolicies.some((p) => blocksAllPublicAccess(p.content)), JSON.stringify(orgPolicies));
    });
  });
}

describe("dev and prod differ the way users expect", () => {
  it("prod protects and retains the data-bearing resources; dev does not", async () => {
    const dev = (await planFor("dev")).plan.resources;
    const prod = (await planFor("prod")).plan.resources;
    const dataBearing = (rs: PlanResource[]) => [...ofType(rs, T.bucket), ...ofType(rs, T.key).filter((k) => k.parent?.endsWith("ModelBucket::models")), ...ofType(rs, T.account)];
    for (const r of dataBearing(prod)) assert.deepEqual(r.options, { protect: true, retainOnDelete: true }, `${r.name} in prod`);
    for (const r of dataBearing(dev)) assert.deepEqual(r.options, { protect: false, retainOnDelete: false }, `${r.name} in dev`);
  });

  it("prod turns on Object Lock in governance mode; dev has none", async () => {
    const dev = (await planFor("dev")).plan;
    const prod = (await planFor("prod")).plan;
    const prodName = prod.outputs.bucketName as string;
    assert.equal(ofType(prod.resources, T.bucket).find((b) => b.inputs.bucket === prodName)!.inputs.objectLockEnabled, true);
    assert.deepEqual(forBucket(prod.resources, T.lock, prodName).inputs.rule, { defaultRetention: { mode: "GOVERNANCE", days: 30 } });
    assert.equal(ofType(dev.resources, T.lock).filter((r) => r.inputs.bucket === dev.outputs.bucketName).length, 0);
  });
});
