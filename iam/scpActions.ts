// The actions model-vault's SCPs deny (iam/scpStatements.ts), one list per guarded thing, each with
// why and, where AWS's behaviour decides it, the page it rests on. Pure data.
import { ALARM_KEY_ROLE, AUDIT_KEY_ROLE, CDN_ROLE, MODEL_KEY_ROLE, ROLE_TAG } from "./tags";
import { DEPLOYER_ONLY_OBJECT_ACTIONS } from "./s3Actions";

/**
 * Publishing: the only object writes the elevated role is exempt for (the lead's decision in issue
 * 12). A multipart upload is authorized as s3:PutObject on each part and on completion.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions
 */
export const PUBLISH_ACTIONS: readonly string[] = ["s3:PutObject", "s3:DeleteObject"];

/**
 * Removing history or protection from objects: old versions, Object Lock retention and legal hold,
 * ACLs, restores, and replication into the bucket (a replication role writes objects without
 * s3:PutObject). Only the deployer may do it, where the design says so.
 */
export const OBJECT_PROTECTION_ACTIONS: readonly string[] = [
  // The bucket policy's deployer-only list (one home); the bucket policy refuses replication writes to
  // everyone through its "nobody" group, which an SCP has no counterpart for.
  ...DEPLOYER_ONLY_OBJECT_ACTIONS,
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
];

/** Every action that writes, deletes or un-protects an object. Nobody may do any on the log buckets. */
export const OBJECT_WRITE_ACTIONS: readonly string[] = [...PUBLISH_ACTIONS, ...OBJECT_PROTECTION_ACTIONS];

/**
 * Deleting the bucket policy: the deployer's, and the lockout-recovery path's (a privileged root
 * session with S3UnlockBucketPolicy, iam/scpRecovery.ts), so it has a statement of its own.
 */
export const BUCKET_POLICY_DELETE_ACTIONS: readonly string[] = ["s3:DeleteBucketPolicy"];

/** Bucket security configuration. Only the deployer may change it. */
export const BUCKET_SECURITY_ACTIONS: readonly string[] = [
  "s3:DeleteBucket",
  "s3:PutBucketPolicy",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketAcl",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketLogging",
  "s3:PutLifecycleConfiguration",
  "s3:PutReplicationConfiguration",
  "s3:PutBucketCORS",
  "s3:PutBucketWebsite",
  "s3:DeleteBucketWebsite",
  // Requester Pays stops server access logging into a log bucket
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/RequesterPaysBuckets.html).
  "s3:PutBucketRequestPayment",
];

/** Account-wide S3 Block Public Access: these actions only support Resource "*". */
export const ACCOUNT_BPA_ACTIONS: readonly string[] = ["s3:PutAccountPublicAccessBlock"];

/** Stopping, deleting or reconfiguring the audit trail. Only the deployer may do it. */
export const TRAIL_ACTIONS: readonly string[] = [
  "cloudtrail:StopLogging",
  "cloudtrail:DeleteTrail",
  "cloudtrail:UpdateTrail",
  "cloudtrail:PutEventSelectors",
  "cloudtrail:PutInsightSelectors",
  "cloudtrail:RemoveTags",
];

/** Privilege escalation on model-vault's own roles. Only the deployer may do it. */
export const ROLE_ACTIONS: readonly string[] = [
  "iam:CreateRole",
  "iam:DeleteRole",
  "iam:UpdateRole",
  "iam:UpdateAssumeRolePolicy",
  "iam:AttachRolePolicy",
  "iam:DetachRolePolicy",
  "iam:PutRolePolicy",
  "iam:DeleteRolePolicy",
  "iam:PutRolePermissionsBoundary",
  "iam:DeleteRolePermissionsBoundary",
  "iam:TagRole",
  "iam:UntagRole",
];

/** The broker's revoker writes and removes the elevated role's revocation deny (jit/aws-adapters.ts). */
export const REVOCATION_ACTIONS: readonly string[] = ["iam:PutRolePolicy", "iam:DeleteRolePolicy"];

/**
 * The JIT broker's functions: whoever changes their code or configuration acts as the issuer, which
 * may assume the elevated role; whoever creates one under the broker's name squats the name the
 * publisher's trust pins. Only the deployer may do it.
 */
export const JIT_FUNCTION_ACTIONS: readonly string[] = [
  "lambda:CreateFunction",
  "lambda:UpdateFunctionCode",
  "lambda:UpdateFunctionConfiguration",
  "lambda:DeleteFunction",
  "lambda:PublishVersion",
  "lambda:CreateAlias",
  "lambda:UpdateAlias",
  "lambda:AddPermission",
  "lambda:RemovePermission",
  "lambda:CreateFunctionUrlConfig",
  "lambda:UpdateFunctionUrlConfig",
  "lambda:DeleteFunctionUrlConfig",
  "lambda:PutFunctionConcurrency",
  // Zero retries and a short maximum event age would drop the scheduler's window-end invocations.
  "lambda:PutFunctionEventInvokeConfig",
  "lambda:UpdateFunctionEventInvokeConfig",
];

/**
 * Invoking a broker function directly: the caller writes the whole event, the API's
 * requestContext.authorizer.iam (the caller's identity) included. InvokeAsync is the deprecated
 * form of the same call.
 */
export const INVOKE_ACTIONS: readonly string[] = ["lambda:InvokeFunction", "lambda:InvokeAsync"];

/**
 * The revocation trigger (the request table's stream -> the revoker). CreateEventSourceMapping
 * supports no resource, the three support the lambda:FunctionArn condition key:
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-api-permissions-ref.html
 */
export const ESM_ACTIONS: readonly string[] = ["lambda:CreateEventSourceMapping", "lambda:UpdateEventSourceMapping", "lambda:DeleteEventSourceMapping"];

/** Window-end schedules: deleting or re-pointing one leaves an issued window open. Only the issuer creates them. */
export const SCHEDULE_ACTIONS: readonly string[] = ["scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule"];

/** Whoever may change a topic's policy, key, subscriptions or filters decides who hears it. */
export const TOPIC_ACTIONS: readonly string[] = [
  "sns:Subscribe",
  "sns:Unsubscribe",
  "sns:SetSubscriptionAttributes",
  "sns:SetTopicAttributes",
  "sns:DeleteTopic",
  "sns:AddPermission",
  "sns:RemovePermission",
  "sns:PutDataProtectionPolicy",
  "sns:TagResource",
  "sns:UntagResource",
];

/**
 * The alarm rules (monitoring/): disabling, deleting, rewriting or re-targeting one silences it.
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
 */
export const ALARM_RULE_ACTIONS: readonly string[] = [
  "events:DisableRule",
  "events:DeleteRule",
  "events:PutRule",
  "events:PutTargets",
  "events:RemoveTargets",
  "events:TagResource",
  "events:UntagResource",
];

/**
 * The rest of the broker's plumbing, deployer-only: the schedule group; the notice topic (a new
 * subscriber reads every notice, an unsubscribe or a changed filter silences approvers); the request
 * table's settings (TTL, point-in-time recovery, the stream behind revocation, its resource policy,
 * deletion); the functions' log groups.
 */
export const JIT_PLUMBING_ACTIONS: readonly string[] = [
  "scheduler:CreateScheduleGroup",
  "scheduler:DeleteScheduleGroup",
  "scheduler:TagResource",
  "scheduler:UntagResource",
  ...TOPIC_ACTIONS,
  "dynamodb:UpdateTable",
  "dynamodb:DeleteTable",
  "dynamodb:UpdateTimeToLive",
  "dynamodb:UpdateContinuousBackups",
  "dynamodb:PutResourcePolicy",
  "dynamodb:DeleteResourcePolicy",
  "logs:DeleteLogGroup",
  "logs:PutRetentionPolicy",
];

/**
 * The broker's request table holds approvals: writing it directly forges one. Only the broker's own
 * roles (and the deployer) may. (Its settings and resource policy are JIT_PLUMBING_ACTIONS.)
 */
export const JIT_TABLE_ACTIONS: readonly string[] = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
];

/**
 * Losing a key loses its data: every model object (SSE-KMS) or every audit log. Only the deployer may
 * schedule deletion, disable, re-policy, stop rotating, grant on or re-tag the keys model-vault tags.
 */
export const KEY_ACTIONS: readonly string[] = [
  "kms:ScheduleKeyDeletion",
  "kms:DisableKey",
  "kms:PutKeyPolicy",
  "kms:DisableKeyRotation",
  "kms:CreateGrant",
  "kms:TagResource",
  "kms:UntagResource",
];

/**
 * The model distribution: removing its trusted key groups, or pointing it elsewhere, would serve the
 * weights to anyone. (Key groups themselves cannot be protected this way: cloudfront:UpdateKeyGroup
 * supports no resource, so denying it would reach every team's key groups.)
 */
export const CDN_ACTIONS: readonly string[] = [
  "cloudfront:UpdateDistribution",
  "cloudfront:UpdateDistributionWithStagingConfig",
  "cloudfront:DeleteDistribution",
  "cloudfront:TagResource",
  "cloudfront:UntagResource",
];

/** The tag that marks model-vault's keys and distribution (iam/tags.ts), read by the SCP as aws:ResourceTag. */
export const KEY_TAG = ROLE_TAG;
export const PROTECTED_KEY_ROLES: readonly string[] = [MODEL_KEY_ROLE, AUDIT_KEY_ROLE, ALARM_KEY_ROLE];
export const PROTECTED_TAGGED_ROLES: readonly string[] = [...PROTECTED_KEY_ROLES, CDN_ROLE];

/** Customer-managed policies named like model-vault's roles: editing them is escalation too. */
export const MANAGED_POLICY_ACTIONS: readonly string[] = [
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:DeletePolicyVersion",
  "iam:DeletePolicy",
];

export const LEAVE_ORG_ACTIONS: readonly string[] = ["organizations:LeaveOrganization"];

/**
 * Organizations policy management from a member account: a delegated administrator for policy
 * management could otherwise rewrite, detach or disable the guardrails themselves. The management
 * account is outside every SCP and keeps them
 * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_delegate_policies.html).
 */
export const ORG_POLICY_ACTIONS: readonly string[] = [
  "organizations:CreatePolicy",
  "organizations:UpdatePolicy",
  "organizations:DeletePolicy",
  "organizations:AttachPolicy",
  "organizations:DetachPolicy",
  "organizations:EnablePolicyType",
  "organizations:DisablePolicyType",
];

/**
 * Passing a role to compute an administrator launches (EC2 instance profiles, SageMaker, an EKS Pod
 * Identity association) lets that compute read as the role
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html).
 */
export const PASS_ROLE_ACTIONS: readonly string[] = ["iam:PassRole"];

/**
 * CloudFront public keys and key groups: whoever adds a key to the distribution's trusted key group
 * signs URLs for every distributed weight. These actions support no resource-level permissions or
 * condition keys (Service Authorization Reference, CloudFront), so the deny is account-wide.
 */
export const KEY_GROUP_ACTIONS: readonly string[] = [
  "cloudfront:CreatePublicKey",
  "cloudfront:UpdatePublicKey",
  "cloudfront:DeletePublicKey",
  "cloudfront:CreateKeyGroup",
  "cloudfront:UpdateKeyGroup",
  "cloudfront:DeleteKeyGroup",
];

/**
 * CloudFront standard logging v2 (components/ModelCdn.ts): deleting or re-configuring the vended-log
 * delivery silences the record of CDN reads. Deliveries have random ids and no condition keys, so the
 * deny is account-wide; creating deliveries stays open.
 */
export const LOG_DELIVERY_ACTIONS: readonly string[] = [
  "logs:DeleteDelivery",
  "logs:DeleteDeliverySource",
  "logs:DeleteDeliveryDestination",
  "logs:DeleteDeliveryDestinationPolicy",
  "logs:UpdateDeliveryConfiguration",
];

/** The multi-factor key AWS sets on requests signed with temporary credentials. */
export const MFA_KEY = "aws:MultiFactorAuthPresent";

/**
 * People's IAM users: minting a password or access key for one, or removing their MFA device, lets
 * someone else act as them. CreateAccessKey and login profiles are denied to the users themselves
 * too (a person self-serves only ChangePassword and EnableMFADevice); their MFA cannot be removed.
 */
export const USER_ACTIONS: readonly string[] = [
  "iam:CreateUser",
  "iam:DeleteUser",
  "iam:UpdateUser",
  "iam:CreateAccessKey",
  "iam:UpdateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:DeactivateMFADevice",
  "iam:AttachUserPolicy",
  "iam:DetachUserPolicy",
  "iam:PutUserPolicy",
  "iam:DeleteUserPolicy",
  "iam:PutUserPermissionsBoundary",
  "iam:DeleteUserPermissionsBoundary",
];
