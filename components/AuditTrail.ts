// The audit trail: a multi-region CloudTrail trail with log file validation, encrypted with its own KMS key,
// recording management events and S3 data events on the model bucket's objects, delivered to a dedicated,
// locked-down log bucket (and optionally CloudWatch Logs and an SNS topic).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AuditConfig } from "../config/audit";
import {
  auditEventSelectors,
  auditKeyPolicy,
  cloudWatchDeliveryPolicy,
  cloudWatchDeliveryTrustPolicy,
  logBucketPolicy,
  trailArn,
  trailTopicPolicy,
  type AuditScope,
} from "../iam/auditPolicies";
import { AUDIT_KEY_ROLE, bucketArn, roleArn } from "../iam/arns";
import { partitionOf } from "../iam/arn";
import { toJson } from "../iam/types";
import { dataBearing } from "./options";
import { lockDownBucket } from "./privateBucket";
import { LOG_BUCKET_ROLE, ROLE_TAG } from "../iam/tags";

export interface AuditTrailArgs {
  /** The resolved `audit` config section (config/audit.ts, resolveAuditConfig). */
  audit: AuditConfig;
  /** ARN of the model bucket (arn:aws:s3:::NAME): its objects get the S3 data-event selector. */
  modelBucketArn: pulumi.Input<string>;
  /**
   * The declared readers (consumer roles) whose reads `readDataEvents: "unexpected"` leaves out of the trail.
   * Ignored in the other modes. Default none (then "unexpected" records every read).
   */
  expectedReaderRoleArns?: pulumi.Input<string>[];
  /** Other buckets whose object events must be on record too (e.g. a second model bucket). Default none. */
  additionalDataEventBucketArns?: pulumi.Input<string>[];
  accountId: string;
  region: string;
  /** protect + retainOnDelete on the trail, its key, the log bucket and the log group. */
  protect: boolean;
  /** The stack's tags, on every resource that takes tags. */
  tags: Record<string, string>;
  /** The trail's name. Default `<stack>-<component name>` (it must be known before the trail exists: policies pin its ARN). */
  trailName?: string;
  /**
   * The log bucket's name. Default: auto-named from the component name. index.ts names it
   * `<bucketName>-audit`, so the organization's SCPs, which protect buckets by the model bucket's name
   * pattern, keep administrators from deleting the logs or changing the bucket.
   */
  logBucketName?: string;
  /** Where the log bucket's own server access logs go (a bucket whose policy admits this log bucket as source). Default: none. */
  accessLogs?: { bucketName: pulumi.Input<string>; prefix: string };
}

/** CloudTrail trail names: 3-128 of [A-Za-z0-9._-], starting with a letter or digit. */
export function defaultTrailName(stack: string, name: string): string {
  const n = `${stack}-${name}`.replace(/[^A-Za-z0-9._-]/g, "-").replace(/^[^A-Za-z0-9]+/, "");
  return n.slice(0, 128).padEnd(3, "0");
}

export class AuditTrail extends pulumi.ComponentResource {
  readonly trail: aws.cloudtrail.Trail;
  readonly trailArn: pulumi.Output<string>;
  readonly key: aws.kms.Key;
  readonly keyArn: pulumi.Output<string>;
  readonly logBucket: aws.s3.Bucket;
  readonly logBucketName: pulumi.Output<string>;
  readonly logGroupName?: pulumi.Output<string>;
  readonly topicArn?: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:audit:AuditTrail", name, {}, opts);
    const { audit, accountId, region, protect } = args;
    const trailName = args.trailName ?? defaultTrailName(pulumi.getStack(), name);
    const scope: AuditScope = { accountId, region, trailName };
    const logGroupName = audit.cloudWatchLogs ? `/aws/cloudtrail/${trailName}` : null;
    const tags = { ...args.tags };
    const parent = { parent: this };
    const readers = args.expectedReaderRoleArns ?? [];
    const extraBuckets = args.additionalDataEventBucketArns ?? [];
    // The selector-value cap depends only on how many readers and buckets there are: refuse before registering children.
    auditEventSelectors(
      [bucketArn(partitionOf(region), "placeholder-model"), ...extraBuckets.map((_, i) => bucketArn(partitionOf(region), `placeholder-${i}`))],
      audit.readDataEvents,
      readers.map((_, i) => roleArn(partitionOf(region), accountId, `reader-${i}`)),
    );

    // --- the trail's key: CloudTrail may use it for this trail only -----------------------------------------
    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the CloudTrail logs of trail ${trailName}`,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        policy: toJson(auditKeyPolicy({ ...scope, snsTopic: audit.snsTopic })),
        tags: { ...tags, [ROLE_TAG]: AUDIT_KEY_ROLE },
      },
      dataBearing(protect, this),
    );
    this.keyArn = this.key.arn;

    // --- the log bucket -----------------------------------------------------------------------------------
    const objectLock = audit.objectLockDays !== null;
    this.logBucket = new aws.s3.Bucket(
      `${name}-logs`,
      {
        ...(args.logBucketName ? { bucket: args.logBucketName } : {}),
        forceDestroy: false,
        objectLockEnabled: objectLock,
        tags: { ...tags, [ROLE_TAG]: LOG_BUCKET_ROLE },
      },
      dataBearing(protect, this),
    );
    this.logBucketName = this.logBucket.bucket;
    const bucket = this.logBucket.id;

    const { ownership, publicAccessBlock, versioning } = lockDownBucket(`${name}-logs`, bucket, this);
    // No S3 Bucket Key: CloudTrail then encrypts each file under the trail's own encryption context, which the
    // key policy pins (with a Bucket Key the context would be the bucket and CloudTrail would also need Decrypt).
    const encryption = new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-logs-encryption`,
      { bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: this.key.arn }, bucketKeyEnabled: false }] },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-logs-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "audit-log-retention",
            status: "Enabled",
            filter: { prefix: "" },
            transitions: [{ days: audit.transitionDays, storageClass: audit.transitionStorageClass }],
            expiration: { days: audit.retentionDays },
            // An overwritten or deleted log file stays recoverable for the whole retention period.
            noncurrentVersionExpiration: { noncurrentDays: audit.retentionDays },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );
    if (objectLock) {
      new aws.s3.BucketObjectLockConfiguration(
        `${name}-logs-object-lock`,
        { bucket, rule: { defaultRetention: { mode: "GOVERNANCE", days: audit.objectLockDays as number } } },
        { parent: this, dependsOn: [versioning] },
      );
    }
    if (args.accessLogs) {
      new aws.s3.BucketLogging(
        `${name}-logs-access-logging`,
        { bucket, targetBucket: args.accessLogs.bucketName, targetPrefix: args.accessLogs.prefix },
        parent,
      );
    }
    const bucketPolicy = new aws.s3.BucketPolicy(
      `${name}-logs-policy`,
      {
        bucket,
        policy: this.logBucket.bucket.apply((bucketName) =>
          toJson(logBucketPolicy({ ...scope, bucketName, organizationId: audit.organizationTrail ? audit.organizationId : null })),
        ),
      },
      // A policy put before the bucket's Block Public Access exists is checked against the account setting only.
      { parent: this, dependsOn: [publicAccessBlock, ownership] },
    );

    // --- optional CloudWatch Logs delivery ------------------------------------------------------------------
    const trailDeps: pulumi.Resource[] = [bucketPolicy, encryption, publicAccessBlock, ownership];
    let cloudWatch: { groupArn: pulumi.Output<string>; roleArn: pulumi.Output<string> } | undefined;
    if (audit.cloudWatchLogs && logGroupName) {
      // Encrypted with CloudWatch Logs' own key: a customer key would need a statement for logs.<region>.amazonaws.com
      // that cannot be pinned with aws:SourceArn/SourceAccount. The S3 copy (SSE-KMS, validated) is the record.
      const group = new aws.cloudwatch.LogGroup(
        `${name}-log-group`,
        { name: logGroupName, retentionInDays: audit.cloudWatchLogs.retentionDays, tags },
        dataBearing(protect, this),
      );
      const role = new aws.iam.Role(
        `${name}-cloudwatch-delivery`,
        {
          description: `CloudTrail trail ${trailName} delivers its events to ${logGroupName}`,
          assumeRolePolicy: toJson(cloudWatchDeliveryTrustPolicy(scope)),
          maxSessionDuration: 3600,
          tags,
        },
        parent,
      );
      const rolePolicy = new aws.iam.RolePolicy(
        `${name}-cloudwatch-delivery-policy`,
        {
          role: role.id,
          policy: toJson(cloudWatchDeliveryPolicy(scope, logGroupName, audit.organizationTrail ? audit.organizationId : null)),
        },
        parent,
      );
      trailDeps.push(group, rolePolicy);
      cloudWatch = { groupArn: pulumi.interpolate`${group.arn}:*`, roleArn: role.arn };
      this.logGroupName = group.name;
    }

    // --- optional SNS notification of each delivered log file ----------------------------------------------
    let topic: aws.sns.Topic | undefined;
    if (audit.snsTopic) {
      topic = new aws.sns.Topic(`${name}-deliveries`, { kmsMasterKeyId: this.key.arn, tags }, parent);
      const topicPolicy = new aws.sns.TopicPolicy(
        `${name}-deliveries-policy`,
        { arn: topic.arn, policy: topic.arn.apply((arn) => toJson(trailTopicPolicy(scope, arn))) },
        parent,
      );
      trailDeps.push(topicPolicy);
      this.topicArn = topic.arn;
    }

    // --- the trail ------------------------------------------------------------------------------------------
    const dataEventBuckets = pulumi.all([args.modelBucketArn, ...extraBuckets]);
    this.trail = new aws.cloudtrail.Trail(
      name,
      {
        name: trailName,
        s3BucketName: bucket,
        kmsKeyId: this.key.arn,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        isOrganizationTrail: audit.organizationTrail,
        advancedEventSelectors: pulumi.all([dataEventBuckets, pulumi.all(readers)]).apply(([arns, r]) => auditEventSelectors(arns, audit.readDataEvents, r)),
        cloudWatchLogsGroupArn: cloudWatch?.groupArn,
        cloudWatchLogsRoleArn: cloudWatch?.roleArn,
        snsTopicName: topic?.arn,
        tags,
      },
      // CloudTrail checks the bucket policy (and key policy) when the trail is created: they must exist first.
      dataBearing(protect, this, { dependsOn: trailDeps }),
    );
    this.trailArn = this.trail.arn;

    this.registerOutputs({
      trailArn: this.trailArn,
      expectedTrailArn: trailArn(scope),
      logBucketName: this.logBucketName,
      keyArn: this.keyArn,
      logGroupName: this.logGroupName,
      topicArn: this.topicArn,
    });
  }
}
