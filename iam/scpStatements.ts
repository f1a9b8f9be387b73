// The guardrail statements of model-vault's SCPs: every one a Deny with an exemption on
// aws:PrincipalArn (ArnNotLike), so the SCPs never grant anything. Pure.
import {
  IDENTITY_CENTER_ROLE_PREFIX,
  IDENTITY_CENTER_SAML_PROVIDER_PREFIX,
  accessLogBucketName,
  auditBucketName,
} from "./arns";
import { ALARM_RULE_PATTERN, ALARM_TOPIC_PATTERN } from "../monitoring/rule-names";
import {
  ACCOUNT_BPA_ACTIONS,
  ALARM_RULE_ACTIONS,
  BUCKET_POLICY_DELETE_ACTIONS,
  BUCKET_SECURITY_ACTIONS,
  CDN_ACTIONS,
  ESM_ACTIONS,
  INVOKE_ACTIONS,
  JIT_FUNCTION_ACTIONS,
  JIT_PLUMBING_ACTIONS,
  JIT_TABLE_ACTIONS,
  KEY_ACTIONS,
  KEY_GROUP_ACTIONS,
  KEY_TAG,
  LEAVE_ORG_ACTIONS,
  LOG_DELIVERY_ACTIONS,
  MANAGED_POLICY_ACTIONS,
  MFA_KEY,
  OBJECT_PROTECTION_ACTIONS,
  OBJECT_WRITE_ACTIONS,
  ORG_POLICY_ACTIONS,
  PASS_ROLE_ACTIONS,
  PROTECTED_TAGGED_ROLES,
  PUBLISH_ACTIONS,
  REVOCATION_ACTIONS,
  ROLE_ACTIONS,
  SCHEDULE_ACTIONS,
  TOPIC_ACTIONS,
  TRAIL_ACTIONS,
  USER_ACTIONS,
} from "./scpActions";
import { jitPatterns, minimalPatterns, roleArnPattern, unique, type Partition, type ScpPatterns } from "./scpPatterns";
import { ROOT_SESSION_KEY } from "./scpRecovery";
import { Statement, asArray } from "./types";

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
      // Lockout recovery (iam/scpRecovery.ts): only a privileged root session from sts:AssumeRoot carries
      // aws:AssumedRoot = true (its aws:PrincipalArn is the account root); the root user's own
      // credentials lack the key and stay denied (BoolIfExists ... false), as does everyone else but the deployer.
      Sid: "DenyModelBucketPolicyDeleteExceptDeployerAndRootSession",
      Effect: "Deny",
      Action: [...BUCKET_POLICY_DELETE_ACTIONS],
      Resource: bucketArn,
      Condition: { ...exceptPrincipals([deployer]), BoolIfExists: { [ROOT_SESSION_KEY]: "false" } },
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
      // The watch itself (monitoring/): an alarm rule disabled or re-targeted, or its topic re-policied
      // or unsubscribed, lets everything after it pass unseen. (Its key is protected by tag, above.)
      Sid: "DenyAlarmChangesExceptDeployer",
      Effect: "Deny",
      Action: [...ALARM_RULE_ACTIONS, ...TOPIC_ACTIONS],
      Resource: [`arn:${part}:events:*:*:rule/${ALARM_RULE_PATTERN}`, `arn:${part}:sns:*:*:${ALARM_TOPIC_PATTERN}`],
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
    ...(p.consumerRolePattern
      ? [
          {
            Sid: "DenyConsumerRolePassExceptDeployerAndPipelines",
            Effect: "Deny" as const,
            Action: [...PASS_ROLE_ACTIONS],
            Resource: role(p.consumerRolePattern),
            Condition: exceptPrincipals([deployer, ...minimalPatterns(p.consumerRolePassers ?? []).map(role)]),
          },
        ]
      : []),
    {
      // Account-wide (these actions name no resource): every team's key groups and deliveries go through the deployer.
      Sid: "DenyKeyGroupAndLogDeliveryChangesExceptDeployer",
      Effect: "Deny",
      Action: [...KEY_GROUP_ACTIONS, ...LOG_DELIVERY_ACTIONS],
      Resource: "*",
      Condition: exceptPrincipals([deployer]),
    },
    {
      Sid: "DenyLeaveOrganization",
      Effect: "Deny",
      Action: [...LEAVE_ORG_ACTIONS],
      Resource: "*",
    },
    {
      // Nobody in a member account, a delegated administrator included: the management account (outside
      // every SCP) manages the guardrails.
      Sid: "DenyOrganizationsPolicyChanges",
      Effect: "Deny",
      Action: [...ORG_POLICY_ACTIONS],
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
