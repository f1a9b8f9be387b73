// What an attacker wants from a model-vault stack, as requests the IAM engine can decide. A goal is
// reached when every request of one of its alternatives is allowed.
import { s3ViaService } from "../../iam/arn";
import type { Request } from "./engine";
import type { GuardedResource, PathModel } from "./model";

export type GoalId =
  | "write-model"
  | "delete-model"
  | "delete-model-version"
  | "bypass-retention"
  | "read-weights"
  | "change-bucket-guard"
  | "stop-trail"
  | "delete-audit-logs"
  | "disable-keys"
  | "silence-alarms"
  | "forge-approval"
  | "lift-revocation";

export interface Goal {
  id: GoalId;
  label: string;
  alternatives: Request[][];
}

/** What takes a key from its owner: disabled, scheduled for deletion, or re-policied. */
const KEY_DISABLE_ACTIONS = ["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy"];
const disablingKey = (k: GuardedResource): Request[][] => KEY_DISABLE_ACTIONS.map((action) => [{ action, resource: k.arn, resourcePolicy: k.policy, resourceName: "key-policy", context: k.context }]);

export function goalsFor(m: PathModel): Goal[] {
  const object = `${m.bucket.arn}/${m.objectKeys.write[0]}`;
  const onBucket = (action: string, resource = object): Request => ({ action, resource, resourcePolicy: m.bucket.policy, resourceName: "bucket-policy" });
  // SSE-KMS: S3 calls KMS with the caller's credentials. https://docs.aws.amazon.com/kms/latest/developerguide/services-s3.html
  const viaS3 = (action: string): Request => ({
    action,
    resource: m.bucketKey.arn,
    resourcePolicy: m.bucketKey.policy,
    resourceName: "key-policy",
    context: { "kms:ViaService": s3ViaService(m.bucketKey.arn), "kms:CallerAccount": m.accountId, ...m.bucketKey.context },
  });
  const goals: Goal[] = [
    { id: "write-model", label: "write model objects", alternatives: [[onBucket("s3:PutObject"), viaS3("kms:GenerateDataKey")]] },
    { id: "delete-model", label: "delete model objects", alternatives: [[onBucket("s3:DeleteObject")]] },
    { id: "delete-model-version", label: "delete a model object version", alternatives: [[onBucket("s3:DeleteObjectVersion")]] },
    { id: "bypass-retention", label: "bypass or change Object Lock retention", alternatives: [[onBucket("s3:BypassGovernanceRetention")], [onBucket("s3:PutObjectRetention")], [onBucket("s3:PutObjectLegalHold")]] },
    {
      id: "read-weights",
      label: "read weights",
      alternatives: [
        ...m.objectKeys.read.map((key) => [onBucket("s3:GetObject", `${m.bucket.arn}/${key}`), viaS3("kms:Decrypt")]),
        // A distribution without its key groups serves the weights to anyone.
        ...(m.distribution ? [[{ action: "cloudfront:UpdateDistribution", resource: m.distribution.arn, context: m.distribution.context }]] : []),
        // CloudFront key groups and public keys have no resource-level permissions: whoever may update
        // any key group may add a signer of their own. https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html
        ...(m.distribution ? [[{ action: "cloudfront:UpdateKeyGroup", resource: "*" }]] : []),
      ],
    },
    {
      id: "change-bucket-guard",
      label: "change the bucket policy or Block Public Access",
      alternatives: [
        [onBucket("s3:PutBucketPolicy", m.bucket.arn)],
        [onBucket("s3:DeleteBucketPolicy", m.bucket.arn)],
        [onBucket("s3:PutBucketPublicAccessBlock", m.bucket.arn)],
        [{ action: "s3:PutAccountPublicAccessBlock", resource: "*" }],
      ],
    },
  ];
  if (m.trailArn) {
    goals.push({
      id: "stop-trail",
      label: "stop or redirect the audit trail",
      alternatives: ["cloudtrail:StopLogging", "cloudtrail:UpdateTrail", "cloudtrail:DeleteTrail", "cloudtrail:PutEventSelectors"].map((action) => [{ action, resource: m.trailArn! }]),
    });
  }
  if (m.auditBucket) {
    const log = `${m.auditBucket.arn}/AWSLogs/${m.accountId}/CloudTrail/${m.region}/example.json.gz`;
    goals.push({
      id: "delete-audit-logs",
      label: "delete audit logs",
      alternatives: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject"].map((action) => [{ action, resource: log, resourcePolicy: m.auditBucket!.policy, resourceName: "audit-bucket-policy" }]),
    });
  }
  goals.push({
    id: "disable-keys",
    label: "disable or schedule deletion of the keys",
    alternatives: m.keys.flatMap(disablingKey),
  });
  if (m.alarms) {
    const a = m.alarms;
    goals.push({
      id: "silence-alarms",
      label: "silence the tamper alarms",
      alternatives: [
        ...a.ruleArns.flatMap((rule) => ["events:DisableRule", "events:DeleteRule", "events:RemoveTargets", "events:PutRule"].map((action) => [{ action, resource: rule }])),
        ...["sns:SetTopicAttributes", "sns:DeleteTopic", "sns:RemovePermission", "sns:SetSubscriptionAttributes"].map((action) => [{ action, resource: a.topic.arn, resourcePolicy: a.topic.policy, resourceName: "topic-policy" }]),
        ...(a.key ? disablingKey(a.key) : []),
      ],
    });
  }
  if (m.broker?.tableArn) {
    // The broker trusts its table: an approval record written there by anyone else mints a publisher
    // session on the next claim, and a revocation record deleted there drops out of the deny the
    // revoker rebuilds from the table (jit/README.md "Revocation contract").
    const table = m.broker.tableArn;
    goals.push({
      id: "forge-approval",
      label: "write the broker's request table (forge an approval, erase a revocation)",
      alternatives: ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem", "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete"].map((action) => [{ action, resource: table }]),
    });
  }
  if (m.broker && m.publisherArn) {
    // IAM has no condition key for an inline policy's name: whoever may write one of the
    // publisher's inline policies may rewrite or delete the revocation deny.
    goals.push({
      id: "lift-revocation",
      label: `lift a revocation (rewrite the publisher's ${m.revocationPolicyName})`,
      alternatives: ["iam:DeleteRolePolicy", "iam:PutRolePolicy"].map((action) => [{ action, resource: m.publisherArn! }]),
    });
  }
  return goals;
}
