// EventBridge event patterns for the tampering alarms: pure builders over the stack's names, no Pulumi import.
// The Monitoring component resolves its Inputs and registers one rule per pattern; tests match each pattern
// against CloudTrail events of the shape EventBridge delivers (tests/support/event-pattern.ts).
//
// CloudTrail management and data events reach EventBridge as detail-type "AWS API Call via CloudTrail" with the
// CloudTrail record as `detail` and `source` = "aws.<service>"
// (https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-cloudtrail.html). Read-only management events
// (sts:AssumeRole, console reads by root) arrive only at rules whose state is
// ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS
// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-service-event-cloudtrail-management.html).
import { jitPatterns } from "../iam/scpPatterns";
import { JIT_NAME_PREFIX } from "../iam/arns";

export const API_CALL = "AWS API Call via CloudTrail";
export const CONSOLE_SIGN_IN = "AWS Console Sign In via CloudTrail";

/** An EventBridge event pattern (JSON): field -> list of accepted values or matchers, nested by object path. */
export type EventPattern = { [field: string]: EventPattern | PatternValue[] | EventPattern[] };
export type PatternValue =
  | string
  | number
  | boolean
  | null
  | { prefix: string }
  | { suffix: string }
  | { exists: boolean }
  | { "anything-but": string | string[] | { prefix: string } };

export type RuleState = "ENABLED" | "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS";

export interface AlarmRule {
  /** Stable id: the rule's logical name suffix and the docs' row key. */
  id: string;
  description: string;
  pattern: EventPattern;
  state: RuleState;
}

/** Everything the patterns name. All names are physical (what CloudTrail records), resolved at deploy time. */
export interface MonitoringScope {
  accountId: string;
  trailName: string;
  trailArn: string;
  /** The model bucket and both log buckets (server access logs, CloudTrail). */
  modelBucket: string;
  logBuckets: string[];
  /** The model bucket's key and the trail's key. */
  keyArns: string[];
  /** model-vault's roles by name (consumers, publisher); the broker's are matched by their name prefix. */
  roleNames: string[];
  /** The elevated publisher role, when the stack has one. */
  publisherRoleArn?: string;
}

/** CloudTrail event names of changes that weaken or silence the trail. */
export const TRAIL_TAMPERING = ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors", "PutInsightSelectors"];

/**
 * CloudTrail event names of bucket-configuration changes that open, unversion, expire, unlock or re-key a bucket.
 * Names as CloudTrail logs them (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html):
 * PutBucketLifecycle covers PutBucketLifecycleConfiguration, PutObjectLockConfiguration the bucket's Object Lock rule.
 */
export const BUCKET_TAMPERING = [
  "PutBucketPolicy",
  "DeleteBucketPolicy",
  "PutBucketPublicAccessBlock",
  "DeleteBucketPublicAccessBlock",
  "PutBucketVersioning",
  "PutBucketLifecycle",
  "DeleteBucketLifecycle",
  "PutObjectLockConfiguration",
  "PutBucketEncryption",
  "DeleteBucketEncryption",
  "PutBucketOwnershipControls",
  "DeleteBucketOwnershipControls",
  "PutBucketAcl",
  "PutBucketLogging",
  "DeleteBucket",
];

/** KMS changes that make a key unusable or hand it to someone else. */
export const KEY_TAMPERING = ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DisableKeyRotation"];

/** IAM changes to a role's trust or permissions. */
export const ROLE_TAMPERING = [
  "UpdateAssumeRolePolicy",
  "PutRolePolicy",
  "DeleteRolePolicy",
  "AttachRolePolicy",
  "DetachRolePolicy",
  "PutRolePermissionsBoundary",
  "DeleteRolePermissionsBoundary",
  "DeleteRole",
];

/** S3 data-event names of object writes (CloudTrail's names, not IAM actions: DeleteObjects is one event). */
export const OBJECT_WRITES = [
  "PutObject",
  "CopyObject",
  "DeleteObject",
  "DeleteObjects",
  "CreateMultipartUpload",
  "UploadPart",
  "UploadPartCopy",
  "CompleteMultipartUpload",
  "PutObjectAcl",
  "PutObjectTagging",
  "DeleteObjectTagging",
  "PutObjectRetention",
  "PutObjectLegalHold",
  "RestoreObject",
];

const apiCall = (source: string, eventSource: string, detail: EventPattern): EventPattern => ({
  source: [source],
  "detail-type": [API_CALL],
  detail: { eventSource: [eventSource], ...detail },
});

/** `arn:aws:kms:us-east-1:111:key/abcd` -> `abcd`: callers may name a key by id instead of ARN. */
export function keyIdOf(keyArn: string): string {
  const m = /:key\/([^/]+)$/.exec(keyArn);
  if (!m) throw new Error(`expected a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID, got "${keyArn}"`);
  return m[1];
}

/** The ARN prefix of the revoker's role sessions: the broker's own revocation writes are not tampering. */
export function revokerSessionIssuerPrefix(accountId: string, partition = "aws"): string {
  return `arn:${partition}:iam::${accountId}:role/${jitPatterns(JIT_NAME_PREFIX).revokerRole.replace(/\*$/, "")}`;
}

export function alarmRules(s: MonitoringScope): AlarmRule[] {
  const partition = s.trailArn.split(":")[1] ?? "aws";
  const rules: AlarmRule[] = [
    {
      id: "trail-tampering",
      description: `The audit trail ${s.trailName} was stopped, deleted, updated or had its selectors changed`,
      // Callers may name the trail by name or by ARN.
      pattern: apiCall("aws.cloudtrail", "cloudtrail.amazonaws.com", {
        eventName: TRAIL_TAMPERING,
        requestParameters: { name: [s.trailName, s.trailArn] },
      }),
      state: "ENABLED",
    },
    {
      id: "bucket-tampering",
      description: "Policy, Block Public Access, versioning, lifecycle, Object Lock, encryption or ACLs changed on the model or log buckets",
      pattern: apiCall("aws.s3", "s3.amazonaws.com", {
        eventName: BUCKET_TAMPERING,
        requestParameters: { bucketName: [s.modelBucket, ...s.logBuckets] },
      }),
      state: "ENABLED",
    },
    {
      id: "key-tampering",
      description: "The model or audit key was disabled, scheduled for deletion, re-policied or lost rotation",
      // requestParameters.keyId is whatever the caller passed (id, ARN or alias); CloudTrail's resources[] carries the ARN.
      pattern: {
        source: ["aws.kms"],
        "detail-type": [API_CALL],
        detail: {
          eventSource: ["kms.amazonaws.com"],
          eventName: KEY_TAMPERING,
          $or: [{ resources: { ARN: s.keyArns } }, { requestParameters: { keyId: [...s.keyArns, ...s.keyArns.map(keyIdOf)] } }],
        },
      },
      state: "ENABLED",
    },
    {
      id: "role-tampering",
      description: "A model-vault role was re-trusted or re-policied (outside the broker's own revocation writes)",
      pattern: apiCall("aws.iam", "iam.amazonaws.com", {
        eventName: ROLE_TAMPERING,
        requestParameters: { roleName: [...s.roleNames, { prefix: `${JIT_NAME_PREFIX}-` }] },
        // The revoker writes and removes the elevated role's revocation deny on every window end; anyone else
        // (a session of another role, an IAM user, root: no session issuer at all) is news.
        $or: [
          { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ "anything-but": { prefix: revokerSessionIssuerPrefix(s.accountId, partition) } }] } } } },
          { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } },
        ],
      }),
      state: "ENABLED",
    },
    {
      id: "root-activity",
      description: "The account's root user signed in or made an API call",
      // Root console reads are read-only management events: the rule must take those too.
      pattern: { "detail-type": [API_CALL, CONSOLE_SIGN_IN], detail: { userIdentity: { type: ["Root"] } } },
      state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    },
    {
      id: "denied-model-writes",
      description: "An object write on the model bucket was refused (AccessDenied)",
      // S3 data events reach EventBridge when the trail records them; the trail always records writes.
      pattern: apiCall("aws.s3", "s3.amazonaws.com", {
        eventName: OBJECT_WRITES,
        requestParameters: { bucketName: [s.modelBucket] },
        errorCode: ["AccessDenied"],
      }),
      state: "ENABLED",
    },
  ];
  if (s.publisherRoleArn) {
    rules.push({
      id: "publisher-assumed",
      description: "The elevated publisher role was assumed (every elevated session: session name and source identity in the event)",
      // sts:AssumeRole is a read-only management event.
      pattern: apiCall("aws.sts", "sts.amazonaws.com", {
        eventName: ["AssumeRole"],
        requestParameters: { roleArn: [s.publisherRoleArn] },
      }),
      state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS",
    });
  }
  return rules;
}

/**
 * The SNS filter policy that picks break-glass approvals out of the broker's notices (jit/aws-adapters.ts
 * SnsNotifier sets the `breakGlass` message attribute to "true" on those). Break-glass lives in the broker's
 * table, not in CloudTrail: the broker's own notice is the record to alarm on.
 */
export const BREAK_GLASS_FILTER = { breakGlass: ["true"] } as const;
