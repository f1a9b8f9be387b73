// Organizations service control policies (SCPs) for model-vault: the outer wall that keeps a member
// account's own administrators from undoing the model bucket's protections.
//
// Pure: builds the Deny statements from name patterns, measures the minified documents the way AWS
// does (characters of the JSON without insignificant whitespace) and packs the statements into as few
// documents as fit the 5,120-character limit. No Pulumi import; tested directly (tests/org-scp.spec.ts).
//
// Every statement is a Deny with an exemption on aws:PrincipalArn (ArnNotLike), so the SCP never grants
// anything: FullAWSAccess (or whatever Allow SCPs the organization already has) keeps granting, and these
// documents only carve out what nobody but the named roles may do.

import {
  AUDIT_KEY_ROLE,
  CDN_ROLE,
  IDENTITY_CENTER_ROLE_PATH,
  IDENTITY_CENTER_ROLE_PREFIX,
  IDENTITY_CENTER_SAML_PROVIDER_PREFIX,
  MODEL_KEY_ROLE,
  ROLE_PATH,
  accessLogBucketName,
  auditBucketName,
} from "./arns";
import { PolicyDocument, Statement, asArray, policyDocument, toJson } from "./types";
import { ROLE_TAG } from "./tags";

import { SCP_MAX_CHARS, SCP_MAX_PER_TARGET } from "./limits";

export { SCP_MAX_CHARS, SCP_MAX_PER_TARGET };

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

export interface ScpPatterns {
  /** Partition of the ARNs built (default "aws"). */
  partition?: Partition;
  /** S3 bucket-name pattern of the model buckets, e.g. "model-vault-*". */
  modelBucketPattern: string;
  /** Role path-or-name pattern (the part after "role/") of the elevated publisher role(s). */
  elevatedRolePattern: string;
  /** Role path-or-name pattern of the deployer role(s) (the role `pulumi up` runs as in member accounts). */
  deployerRolePattern: string;
  /** Role path-or-name pattern(s) covering model-vault's own roles (consumers, elevated, JIT issuer, deployer). */
  rolePathOrNamePattern: string | string[];
  /** CloudTrail trail-name pattern of the audit trail(s). */
  auditTrailPattern: string;
  /**
   * Name prefix of the JIT broker's functions, table and roles (iam/arns.ts JIT_NAME_PREFIX). When set,
   * only the deployer may change the broker's code and configuration, only the broker's roles may
   * write its request table, and the broker's revoker may write the elevated role's revocation
   * policy. Without it, the SCP leaves the broker alone (and denies the revoker that write).
   */
  jitNamePrefix?: string;
  /**
   * Role path-or-name patterns of the people's roles: the roles the broker's requesters, approvers
   * and break-glass callers sign in as, and the publisher's trusted principals. Only the deployer
   * may re-trust, re-policy or delete them (whoever re-trusts an approver's role approves as them).
   */
  humanRolePatterns?: string[];
  /** IAM user path-or-name patterns (the part after "user/") of the same people. */
  humanUserPatterns?: string[];
  /** Deny IAM users without MFA in the request any call to the broker's API (default on). */
  requireMfaForIamUsers?: boolean;
}

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
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:PutObjectAcl",
  "s3:PutObjectVersionAcl",
  "s3:RestoreObject",
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
];

/** Every action that writes, deletes or un-protects an object. Nobody may do any on the log buckets. */
export const OBJECT_WRITE_ACTIONS: readonly string[] = [...PUBLISH_ACTIONS, ...OBJECT_PROTECTION_ACTIONS];

/** Bucket security configuration. Only the deployer may change it. */
export const BUCKET_SECURITY_ACTIONS: readonly string[] = [
  "s3:DeleteBucket",
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
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
export const PROTECTED_KEY_ROLES: readonly string[] = [MODEL_KEY_ROLE, AUDIT_KEY_ROLE];
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
 * What the SCPs match the JIT broker by (contract with components/JitBroker.ts): its roles under
 * ROLE_PATH, named <prefix>-<part>-<suffix>; its API and revoker functions, request table, schedule
 * group, notice topic and log groups, named <prefix>-<part>-...
 */
export function jitPatterns(prefix: string) {
  const path = ROLE_PATH.replace(/^\//, "");
  return {
    brokerRoles: `${path}${prefix}-*`,
    issuerRole: `${path}${prefix}-issuer-*`,
    revokerRole: `${path}${prefix}-revoker-*`,
    schedulerRole: `${path}${prefix}-scheduler-*`,
    /** Every broker resource that is not a role: functions, table, schedule group, topic, log groups. */
    names: `${prefix}-*`,
    apiFunction: `${prefix}-api-*`,
    revokerFunction: `${prefix}-revoker-*`,
  };
}

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

/** `arn:<partition>:iam::*:role/<pattern>`: what aws:PrincipalArn looks like for a role session. */
export function roleArnPattern(partition: Partition, pathOrName: string): string {
  return `arn:${partition}:iam::*:role/${pathOrName}`;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/**
 * Whether every name glob `b` matches is also matched by glob `a` (ARN-style `*` and `?`). Sound, not
 * complete: `a` is matched against `b`'s text with `a`'s `?` not allowed to stand for `b`'s `*`.
 */
export function patternCovers(a: string, b: string): boolean {
  const re = a.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, "[^*]");
  return new RegExp(`^${re}$`).test(b);
}

/** Drop patterns another pattern already covers (keeps the SCP short); order preserved. */
export function minimalPatterns(patterns: string[]): string[] {
  const u = unique(patterns);
  return u.filter((b, i) => !u.some((a, j) => j !== i && patternCovers(a, b) && !(patternCovers(b, a) && j > i)));
}

function exceptPrincipals(arns: string[]): Statement["Condition"] {
  const v = unique(arns);
  return { ArnNotLike: { "aws:PrincipalArn": v.length === 1 ? v[0] : v } };
}

/** The guardrail statements, in a stable order (Sids are stable: the plan and tests refer to them). */
export function buildScpStatements(p: ScpPatterns): Statement[] {
  const part = p.partition ?? "aws";
  const role = (pattern: string) => roleArnPattern(part, pattern);
  const elevated = role(p.elevatedRolePattern);
  const deployer = role(p.deployerRolePattern);
  const bucketArn = `arn:${part}:s3:::${p.modelBucketPattern}`;
  // The exemption patterns themselves are protected too: otherwise an administrator could create or
  // re-trust a role whose name matches the elevated or deployer pattern and inherit its exemption.
  const jit = p.jitNamePrefix ? { prefix: p.jitNamePrefix, ...jitPatterns(p.jitNamePrefix) } : undefined;
  const roleResources = minimalPatterns([
    ...asArray(p.rolePathOrNamePattern),
    p.elevatedRolePattern,
    p.deployerRolePattern,
    ...(jit ? [jit.brokerRoles] : []),
  ]).map(role);
  const people = [
    ...minimalPatterns(p.humanRolePatterns ?? []).map(role),
    ...minimalPatterns(p.humanUserPatterns ?? []).map((u) => `arn:${part}:iam::*:user/${u}`),
  ];
  const fn = (name: string) => `arn:${part}:lambda:*:*:function:${name}`;
  return [
    {
      Sid: "DenyModelObjectWritesExceptElevated",
      Effect: "Deny",
      Action: [...PUBLISH_ACTIONS],
      Resource: `${bucketArn}/*`,
      Condition: exceptPrincipals([elevated]),
    },
    {
      Sid: "DenyModelObjectProtectionChangesExceptDeployer",
      Effect: "Deny",
      Action: [...OBJECT_PROTECTION_ACTIONS],
      Resource: `${bucketArn}/*`,
      Condition: exceptPrincipals([deployer]),
    },
    {
      // The record of every access: log delivery is by service principals, which SCPs do not bind
      // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
      // so nobody in the account needs to write or delete here, the deployer included.
      Sid: "DenyLogObjectWrites",
      Effect: "Deny",
      Action: [...OBJECT_WRITE_ACTIONS],
      Resource: [auditBucketName(bucketArn), accessLogBucketName(bucketArn)].map((b) => `${b}/*`),
    },
    {
      Sid: "DenyModelBucketSecurityChangesExceptDeployer",
      Effect: "Deny",
      Action: [...BUCKET_SECURITY_ACTIONS],
      Resource: bucketArn,
      Condition: exceptPrincipals([deployer]),
    },
    {
      Sid: "DenyAccountPublicAccessBlockChangesExceptDeployer",
      Effect: "Deny",
      Action: [...ACCOUNT_BPA_ACTIONS],
      Resource: "*",
      Condition: exceptPrincipals([deployer]),
    },
    {
      Sid: "DenyModelVaultKeyAndCdnChangesExceptDeployer",
      Effect: "Deny",
      Action: [...KEY_ACTIONS, ...CDN_ACTIONS],
      // Key and distribution ARNs are random: they are found by their tag, and re-tagging them is denied too.
      Resource: "*",
      Condition: {
        StringEquals: { [`aws:ResourceTag/${KEY_TAG}`]: [...PROTECTED_TAGGED_ROLES] },
        ...exceptPrincipals([deployer]),
      },
    },
    {
      Sid: "DenyAuditTrailChangesExceptDeployer",
      Effect: "Deny",
      Action: [...TRAIL_ACTIONS],
      Resource: `arn:${part}:cloudtrail:*:*:trail/${p.auditTrailPattern}`,
      Condition: exceptPrincipals([deployer]),
    },
    {
      Sid: "DenyModelVaultRoleChangesExceptDeployer",
      Effect: "Deny",
      Action: jit ? ROLE_ACTIONS.filter((a) => !REVOCATION_ACTIONS.includes(a)) : [...ROLE_ACTIONS],
      Resource: roleResources,
      Condition: exceptPrincipals([deployer]),
    },
    ...(people.length > 0
      ? [
          {
            // Whoever re-trusts an approver's role, or mints a key for a requester, acts as that person.
            Sid: "DenyPeopleChangesExceptDeployer",
            Effect: "Deny" as const,
            Action: [...ROLE_ACTIONS, ...USER_ACTIONS],
            Resource: people,
            Condition: exceptPrincipals([deployer]),
          },
        ]
      : []),
    ...(jit ? jitStatements(part, jit, { elevated, deployer, roleResources, mfa: p.requireMfaForIamUsers ?? true }) : []),
    {
      Sid: "DenyModelVaultPolicyChangesExceptDeployer",
      Effect: "Deny",
      Action: [...MANAGED_POLICY_ACTIONS],
      Resource: roleResources.map((r) => r.replace(":role/", ":policy/")),
      Condition: exceptPrincipals([deployer]),
    },
    {
      Sid: "DenyLeaveOrganization",
      Effect: "Deny",
      Action: [...LEAVE_ORG_ACTIONS],
      Resource: "*",
    },
  ];

  function jitStatements(
    part: Partition,
    jit: ReturnType<typeof jitPatterns> & { prefix: string },
    a: { elevated: string; deployer: string; roleResources: string[]; mfa: boolean },
  ): Statement[] {
    const any = `arn:${part}:`;
    return [
      {
        // The revoker may also write inline role policies; its identity policy limits it to the
        // elevated role, and only the deployer may change that policy (it is a model-vault role too).
        Sid: "DenyModelVaultRolePolicyWritesExceptDeployerAndRevoker",
        Effect: "Deny",
        Action: [...REVOCATION_ACTIONS],
        Resource: a.roleResources,
        Condition: exceptPrincipals([a.deployer, role(jit.revokerRole)]),
      },
      {
        // The broker takes an AWSReservedSSO_ role's session name as the signed-in person, and an
        // assumed-role ARN shows no path: a look-alike role (any path) would let an administrator be
        // any requester and approver. Identity Center creates its roles and SAML provider through its
        // service-linked role, which SCPs do not bind
        // (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html),
        // so nobody else needs these actions.
        Sid: "DenyIdentityCenterLookalikes",
        Effect: "Deny",
        Action: ["iam:CreateRole", "iam:UpdateSAMLProvider", "iam:DeleteSAMLProvider"],
        Resource: [`${any}iam::*:role/*${IDENTITY_CENTER_ROLE_PREFIX}*`, `${any}iam::*:saml-provider/${IDENTITY_CENTER_SAML_PROVIDER_PREFIX}*`],
      },
      {
        // Passing the issuer to one's own function assumes the elevated role with any source identity;
        // passing the revoker rewrites the elevated role's policy.
        Sid: "DenyJitRolePassExceptDeployer",
        Effect: "Deny",
        Action: "iam:PassRole",
        Resource: [a.elevated, role(jit.issuerRole), role(jit.revokerRole)],
        Condition: exceptPrincipals([a.deployer]),
      },
      {
        // The issuer passes the scheduler role to EventBridge Scheduler (its own policy pins the service).
        Sid: "DenyJitSchedulerRolePassExceptIssuer",
        Effect: "Deny",
        Action: "iam:PassRole",
        Resource: role(jit.schedulerRole),
        Condition: exceptPrincipals([a.deployer, role(jit.issuerRole)]),
      },
      {
        // A URL call carries lambda:InvokedViaFunctionUrl = true; a direct Invoke does not, and its
        // caller writes the event (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html).
        Sid: "DenyJitApiDirectInvokeExceptDeployer",
        Effect: "Deny",
        Action: [...INVOKE_ACTIONS],
        Resource: `${fn(jit.apiFunction)}`,
        Condition: { BoolIfExists: { "lambda:InvokedViaFunctionUrl": "false" }, ...exceptPrincipals([a.deployer]) },
      },
      {
        // EventBridge Scheduler invokes the revoker as the scheduler role (a member-account role, so
        // the SCP binds it); the stream's event-source mapping is Lambda's own poller, not a caller.
        Sid: "DenyJitRevokerInvokeExceptScheduler",
        Effect: "Deny",
        Action: [...INVOKE_ACTIONS],
        Resource: `${fn(jit.revokerFunction)}`,
        Condition: exceptPrincipals([a.deployer, role(jit.schedulerRole)]),
      },
      ...(a.mfa
        ? [
            {
              // IAM users: the key is absent with long-term keys and false without MFA; role sessions
              // (Identity Center included) are left to their sign-in (docs/org.md, MFA).
              // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-multifactorauthpresent
              Sid: "DenyJitApiCallsByIamUsersWithoutMfa",
              Effect: "Deny" as const,
              Action: ["lambda:InvokeFunctionUrl", ...INVOKE_ACTIONS],
              Resource: `${fn(jit.apiFunction)}`,
              Condition: { ArnLike: { "aws:PrincipalArn": `${any}iam::*:user/*` }, BoolIfExists: { [MFA_KEY]: "false" } },
            },
          ]
        : []),
      {
        Sid: "DenyJitTriggerChangesExceptDeployer",
        Effect: "Deny",
        Action: [...ESM_ACTIONS],
        Resource: "*",
        Condition: { ArnLike: { "lambda:FunctionArn": fn(jit.names) }, ...exceptPrincipals([a.deployer]) },
      },
      {
        Sid: "DenyJitScheduleChangesExceptIssuer",
        Effect: "Deny",
        Action: [...SCHEDULE_ACTIONS],
        Resource: `${any}scheduler:*:*:schedule/${jit.names}/*`,
        Condition: exceptPrincipals([a.deployer, role(jit.issuerRole)]),
      },
      {
        Sid: "DenyJitBrokerChangesExceptDeployer",
        Effect: "Deny",
        Action: [...JIT_FUNCTION_ACTIONS, ...JIT_PLUMBING_ACTIONS],
        Resource: [
          fn(jit.names),
          `${any}scheduler:*:*:schedule-group/${jit.names}`,
          `${any}sns:*:*:${jit.names}`,
          `${any}dynamodb:*:*:table/${jit.names}`,
          `${any}logs:*:*:log-group:${jit.names}`,
        ],
        Condition: exceptPrincipals([a.deployer]),
      },
      {
        Sid: "DenyJitRequestWritesExceptBroker",
        Effect: "Deny",
        Action: [...JIT_TABLE_ACTIONS],
        Resource: `${any}dynamodb:*:*:table/${jit.names}`,
        Condition: exceptPrincipals([a.deployer, role(jit.brokerRoles)]),
      },
    ];
  }
}

/**
 * Size as AWS counts it: the characters of the document with whitespace outside string values removed.
 * Accepts a document or JSON text (pretty-printed text is measured minified, as AWS does).
 */
export function scpSize(doc: PolicyDocument | string): number {
  const d = typeof doc === "string" ? (JSON.parse(doc) as PolicyDocument) : doc;
  return minify(d).length;
}

/** Minified JSON text: what the provider receives and what the size counts. */
export function minify(doc: PolicyDocument): string {
  return toJson(doc);
}

export interface PackedScps {
  documents: PolicyDocument[];
  /** Minified size of each document, same order. */
  sizes: number[];
  /** Human-readable notes, e.g. that the rules were split across several documents. */
  notes: string[];
}

export class ScpSizeError extends Error {}

/** Split a statement whose own size exceeds the limit by halving its Resource, then its Action list. */
function splitStatement(s: Statement, limit: number): Statement[] {
  if (scpSize(policyDocument([s])) <= limit) return [s];
  const res = Array.isArray(s.Resource) ? s.Resource : undefined;
  const act = Array.isArray(s.Action) ? s.Action : undefined;
  const halve = <T>(xs: T[]): [T[], T[]] => [xs.slice(0, Math.ceil(xs.length / 2)), xs.slice(Math.ceil(xs.length / 2))];
  let parts: Statement[];
  if (res && res.length > 1) {
    const [a, b] = halve(res);
    parts = [{ ...s, Resource: a }, { ...s, Resource: b }];
  } else if (act && act.length > 1) {
    const [a, b] = halve(act);
    parts = [{ ...s, Action: a }, { ...s, Action: b }];
  } else {
    throw new ScpSizeError(
      `SCP statement ${s.Sid ?? "(no Sid)"} alone is ${scpSize(policyDocument([s]))} characters minified, ` +
        `more than the ${limit}-character SCP limit, and cannot be split further: shorten the patterns in config.organization`,
    );
  }
  return parts.flatMap((p) => splitStatement(p, limit));
}

/**
 * Pack statements into as few SCP documents as possible, each at most `limit` characters minified,
 * keeping the statements' order. Refuses (ScpSizeError) when more than `maxDocuments` are needed.
 * Split statements get Sids suffixed with a part number (Sids must stay unique within a document).
 */
export function packScps(
  statements: Statement[],
  opts: { maxDocuments: number; limit?: number },
): PackedScps {
  const limit = opts.limit ?? SCP_MAX_CHARS;
  const flat: Statement[] = [];
  for (const s of statements) {
    const parts = splitStatement(s, limit);
    if (parts.length === 1) flat.push(s);
    else parts.forEach((p, i) => flat.push(p.Sid ? { ...p, Sid: `${p.Sid}${i + 1}` } : p));
  }
  const docs: Statement[][] = [];
  for (const s of flat) {
    const cur = docs[docs.length - 1];
    if (cur && scpSize(policyDocument([...cur, s])) <= limit) cur.push(s);
    else docs.push([s]);
  }
  const documents = docs.map((d) => policyDocument(d));
  const sizes = documents.map((d) => scpSize(d));
  const notes: string[] = [];
  if (documents.length > opts.maxDocuments) {
    throw new ScpSizeError(
      `The guardrail statements need ${documents.length} SCP documents of at most ${limit} characters ` +
        `(sizes ${sizes.join(", ")}), but each target can take only ${opts.maxDocuments} more ` +
        `(AWS allows ${SCP_MAX_PER_TARGET} SCPs per root/OU/account, FullAWSAccess and already-attached SCPs included). ` +
        `Shorten the patterns in config.organization or detach other SCPs.`,
    );
  }
  if (documents.length > 1) {
    notes.push(
      `The guardrails do not fit one ${limit}-character SCP: split across ${documents.length} documents ` +
        `(${sizes.join(", ")} characters); each target gets all ${documents.length}.`,
    );
  }
  return { documents, sizes, notes };
}

/** Everything the OrgGuardrails component needs: statements built, packed and measured. */
export function buildScps(p: ScpPatterns, opts: { maxDocuments: number; limit?: number }): PackedScps {
  return packScps(buildScpStatements(p), opts);
}

export function isIdentityCenterRole(p: { pathOrName: string; name: string }): boolean {
  if (!p.name.startsWith(IDENTITY_CENTER_ROLE_PREFIX)) return false;
  return p.pathOrName === p.name || p.pathOrName.startsWith(IDENTITY_CENTER_ROLE_PATH);
}

export type PersonPrincipal =
  | { kind: "role"; /** path/name as in a role ARN, or the bare name of an assumed-role ARN (which carries no path) */ pathOrName: string; name: string }
  | { kind: "user"; pathOrName: string }
  | { kind: "other" };

/** What a people's principal ARN (or ARN glob) of the workload config is, for the SCPs' purposes. */
export function personPrincipal(arn: string): PersonPrincipal {
  const m = /^arn:[^:]+:(iam|sts)::[^:]*:(role|user|assumed-role)\/(.+)$/.exec(arn);
  if (!m) return { kind: "other" };
  const [, , type, rest] = m;
  if (type === "user") return { kind: "user", pathOrName: rest };
  // assumed-role/<role name>/<session name>: the role's path is not in it.
  const pathOrName = type === "assumed-role" ? rest.split("/")[0] : rest;
  return { kind: "role", pathOrName, name: pathOrName.split("/").pop() ?? pathOrName };
}

/**
 * Whether the SCPs' people patterns (or AWS itself, for Identity Center roles) keep this principal
 * from being re-trusted, re-policied or given new credentials. An assumed-role ARN is checked by the
 * role's name, i.e. as a role with the path "/": a role under a longer path needs its role ARN in
 * the config or a pattern that covers the bare name.
 */
export function personCovered(p: PersonPrincipal, patterns: { humanRolePatterns?: string[]; humanUserPatterns?: string[] }): boolean {
  if (p.kind === "other") return false;
  if (p.kind === "role" && isIdentityCenterRole(p)) return true;
  const list = p.kind === "role" ? patterns.humanRolePatterns ?? [] : patterns.humanUserPatterns ?? [];
  return list.some((pat) => patternCovers(pat, p.pathOrName));
}
