// The bucket the weights live in, and the bucket its server access logs go to.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { StorageConfig } from "../config/resolve";
import { MODEL_KEY_ROLE, accessLogBucketName, bucketArn } from "../iam/arns";
import { allowAccessLogDelivery, denyForeignEncryption, denyInsecureTransport, keyAdministration } from "../iam/bucketBaseline";
import type { Statement } from "../iam/types";
import { partitionOf, type Partition } from "../iam/arn";
import { dataBearing } from "./options";
import { lockDownBucket } from "./privateBucket";
import { StatementCollector } from "./statementCollector";
import { immutableReleaseStatements } from "../iam/bucketPolicy";
import { LOG_BUCKET_ROLE, MODEL_BUCKET_ROLE, ROLE_TAG } from "../iam/tags";
import { BUCKET_POLICY_MAX, KEY_POLICY_MAX } from "../iam/limits";

export interface ModelBucketArgs {
  storage: StorageConfig;
  accountId: string;
  region: string;
  /** protect + retainOnDelete on the buckets and the key. */
  protect: boolean;
  tags: Record<string, string>;
}

/** Where server access logs land inside the log bucket. */
export const ACCESS_LOG_PREFIX = "access-logs/";
export { accessLogBucketName };

export class ModelBucket extends pulumi.ComponentResource {
  readonly bucket: aws.s3.Bucket;
  readonly bucketName: pulumi.Output<string>;
  readonly partition: Partition;
  readonly bucketArn: pulumi.Output<string>;
  readonly regionalDomainName: pulumi.Output<string>;
  readonly key: aws.kms.Key;
  readonly keyArn: pulumi.Output<string>;
  readonly logBucket: aws.s3.Bucket;
  readonly logBucketName: pulumi.Output<string>;
  private readonly bucketStatements = new StatementCollector("model bucket policy");
  private readonly keyStatements = new StatementCollector("model bucket key policy");
  private readonly logStatements = new StatementCollector("access-log bucket policy");
  private readonly logBucketPublicAccessBlock: aws.s3.BucketPublicAccessBlock;
  private readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  private finalized = false;

  constructor(
    private readonly logicalName: string,
    private readonly args: ModelBucketArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("model-vault:storage:ModelBucket", logicalName, {}, opts);
    const name = logicalName;
    const { storage, protect } = args;
    // The region decides the partition every ARN in the bucket's and key's policies names.
    this.partition = partitionOf(args.region);
    const tags = (role: string) => ({ ...args.tags, [ROLE_TAG]: role });

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the model weights in s3://${storage.bucketName}`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: storage.kmsDeletionWindowDays,
        tags: tags(MODEL_KEY_ROLE),
      },
      dataBearing(protect, this),
    );
    this.keyArn = this.key.arn;
    new aws.kms.Alias(`${name}-key-alias`, { name: `alias/${storage.bucketName}`, targetKeyId: this.key.keyId }, { parent: this });

    const logs = this.createLogBucket(name, tags(LOG_BUCKET_ROLE));
    this.logBucket = logs.bucket;
    this.logBucketPublicAccessBlock = logs.publicAccessBlock;
    this.logBucketName = this.logBucket.bucket;

    this.bucket = new aws.s3.Bucket(
      name,
      { bucket: storage.bucketName, forceDestroy: false, objectLockEnabled: storage.objectLock !== false, tags: tags(MODEL_BUCKET_ROLE) },
      dataBearing(protect, this),
    );
    this.bucketName = this.bucket.bucket;
    this.bucketArn = this.bucket.arn;
    this.regionalDomainName = this.bucket.bucketRegionalDomainName;
    const bucket = this.bucket.id;

    const { publicAccessBlock, versioning } = lockDownBucket(name, bucket, this);
    this.publicAccessBlock = publicAccessBlock;
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: true }] },
      { parent: this },
    );
    new aws.s3.BucketLogging(
      `${name}-access-logging`,
      {
        bucket,
        targetBucket: this.logBucket.id,
        targetPrefix: ACCESS_LOG_PREFIX,
        targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
      },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: { prefix: "" },
            abortIncompleteMultipartUpload: { daysAfterInitiation: storage.abortIncompleteUploadDays },
          },
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: storage.noncurrentVersionDays },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    if (storage.objectLock !== false) {
      new aws.s3.BucketObjectLockConfiguration(
        `${name}-object-lock`,
        { bucket, rule: { defaultRetention: { mode: storage.objectLock.mode, days: storage.objectLock.days } } },
        { parent: this, dependsOn: [versioning] },
      );
    }
  }

  /** Contribute statements to the bucket's single policy (S3 allows one per bucket). */
  addBucketPolicyStatements(owner: string, statements: pulumi.Input<Statement[]>): void {
    this.bucketStatements.add(owner, statements);
  }

  /** Contribute statements to the access-log bucket's policy (e.g. CloudFront standard log delivery). */
  addLogBucketPolicyStatements(owner: string, statements: pulumi.Input<Statement[]>): void {
    this.logStatements.add(owner, statements);
  }

  /** Contribute statements to the bucket key's policy. */
  addKeyPolicyStatements(owner: string, statements: pulumi.Input<Statement[]>): void {
    this.keyStatements.add(owner, statements);
  }

  /** Registers the merged bucket and key policies; call once, after every component contributed. */
  finalize(): void {
    if (this.finalized) throw new Error("ModelBucket.finalize() called twice");
    this.finalized = true;
    const bucketName = this.args.storage.bucketName;
    const p = this.partition;
    const immutable = this.args.storage.immutableReleases ? immutableReleaseStatements(bucketArn(p, bucketName)) : [];
    const base = this.key.arn.apply((keyArn) => [...denyInsecureTransport(p, bucketName), ...denyForeignEncryption(p, bucketName, keyArn), ...immutable]);
    new aws.s3.BucketPolicy(
      `${this.logicalName}-policy`,
      { bucket: this.bucket.id, policy: this.bucketStatements.seal(base, BUCKET_POLICY_MAX) },
      // A policy put before the bucket's Block Public Access exists is checked against the account setting only.
      { parent: this, dependsOn: [this.publicAccessBlock] },
    );
    const logBucketName = accessLogBucketName(bucketName);
    new aws.s3.BucketPolicy(
      `${this.logicalName}-logs-policy`,
      {
        bucket: this.logBucket.id,
        policy: this.logStatements.seal(
          [...denyInsecureTransport(p, logBucketName), allowAccessLogDelivery(p, logBucketName, ACCESS_LOG_PREFIX, bucketName, this.args.accountId)],
          BUCKET_POLICY_MAX,
        ),
      },
      { parent: this, dependsOn: [this.logBucketPublicAccessBlock] },
    );
    new aws.kms.KeyPolicy(
      `${this.logicalName}-key-policy`,
      { keyId: this.key.keyId, bypassPolicyLockoutSafetyCheck: false, policy: this.keyStatements.seal([keyAdministration(p, this.args.accountId)], KEY_POLICY_MAX) },
      { parent: this },
    );
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn, logBucketName: this.logBucketName });
  }

  private createLogBucket(name: string, tags: Record<string, string>): { bucket: aws.s3.Bucket; publicAccessBlock: aws.s3.BucketPublicAccessBlock } {
    const { storage, protect } = this.args;
    const logBucketName = accessLogBucketName(storage.bucketName);
    const logs = new aws.s3.Bucket(`${name}-logs`, { bucket: logBucketName, forceDestroy: false, tags }, dataBearing(protect, this));
    const bucket = logs.id;
    const { publicAccessBlock: bpa, versioning } = lockDownBucket(`${name}-logs`, bucket, this);
    // SSE-S3: server access log delivery does not support SSE-KMS on the target bucket.
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-logs-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      { parent: this },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-logs-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "expire-access-logs",
            status: "Enabled",
            filter: { prefix: "" },
            expiration: { days: storage.accessLogRetentionDays },
            noncurrentVersionExpiration: { noncurrentDays: 1 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 1 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    return { bucket: logs, publicAccessBlock: bpa };
  }
}
