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

import { AUDIT_KEY_ROLE, CDN_ROLE, MODEL_KEY_ROLE, ROLE_PATH } from "./arns";
import { PolicyDocument, Statement, asArray, policyDocument, toJson } from "./types";

/** AWS limit on an SCP document, in characters of the minified JSON. */
export const SCP_MAX_CHARS = 5120;
/** AWS limit on SCPs attached directly to one root, OU or account (FullAWSAccess counts as one). */
export const SCP_MAX_PER_TARGET = 5;

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
}

/** Actions that delete, overwrite or un-protect objects. Only the elevated role may do them. */
export const OBJECT_WRITE_ACTIONS: readonly string[] = [
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:PutObjectAcl",
  "s3:PutObjectVersionAcl",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:BypassGovernanceRetention",
  "s3:RestoreObject",
];

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
 * may assume the elevated role. Only the deployer may do it.
 */
export const JIT_FUNCTION_ACTIONS: readonly string[] = [
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
];

/**
 * The broker's request table holds approvals: writing it directly forges one. Only the broker's own
 * roles (and the deployer) may; a resource policy could let another account in, past the SCPs.
 */
export const JIT_TABLE_ACTIONS: readonly string[] = [
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:BatchWriteItem",
  "dynamodb:PartiQLInsert",
  "dynamodb:PartiQLUpdate",
  "dynamodb:PartiQLDelete",
  "dynamodb:DeleteTable",
  "dynamodb:UpdateTable",
  "dynamodb:PutResourcePolicy",
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

/** The tag that marks model-vault's keys and distribution (iam/arns.ts), read by the SCP as aws:ResourceTag. */
export const KEY_TAG = "model-vault:role";
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

/** Role path-or-name patterns of the JIT broker's roles (all of them, and the revoker's), under ROLE_PATH. */
export function jitRolePatterns(prefix: string): { brokerRoles: string; revokerRole: string } {
  const path = ROLE_PATH.replace(/^\//, "");
  return { brokerRoles: `${path}${prefix}-*`, revokerRole: `${path}${prefix}-revoker-*` };
}

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
  const elevated = roleArnPattern(part, p.elevatedRolePattern);
  const deployer = roleArnPattern(part, p.deployerRolePattern);
  const bucketArn = `arn:${part}:s3:::${p.modelBucketPattern}`;
  // The exemption patterns themselves are protected too: otherwise an administrator could create or
  // re-trust a role whose name matches the elevated or deployer pattern and inherit its exemption.
  const jit = p.jitNamePrefix ? { prefix: p.jitNamePrefix, ...jitRolePatterns(p.jitNamePrefix) } : undefined;
  const roleResources = minimalPatterns([
    ...asArray(p.rolePathOrNamePattern),
    p.elevatedRolePattern,
    p.deployerRolePattern,
    ...(jit ? [jit.brokerRoles] : []),
  ]);
  return [
    {
      Sid: "DenyModelObjectWritesExceptElevated",
      Effect: "Deny",
      Action: [...OBJECT_WRITE_ACTIONS],
      Resource: `${bucketArn}/*`,
      Condition: exceptPrincipals([elevated]),
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
      Resource: roleResources.map((r) => roleArnPattern(part, r)),
      Condition: exceptPrincipals([deployer]),
    },
    // The revoker may also write inline role policies; its identity policy limits it to the
    // elevated role, and only the deployer may change that policy (it is a model-vault role too).
    ...(jit
      ? [
          {
            Sid: "DenyModelVaultRolePolicyWritesExceptDeployerAndRevoker",
            Effect: "Deny" as const,
            Action: [...REVOCATION_ACTIONS],
            Resource: roleResources.map((r) => roleArnPattern(part, r)),
            Condition: exceptPrincipals([deployer, roleArnPattern(part, jit.revokerRole)]),
          },
          {
            Sid: "DenyJitBrokerChangesExceptDeployer",
            Effect: "Deny" as const,
            Action: [...JIT_FUNCTION_ACTIONS],
            Resource: `arn:${part}:lambda:*:*:function:${jit.prefix}-*`,
            Condition: exceptPrincipals([deployer]),
          },
          {
            Sid: "DenyJitRequestWritesExceptBroker",
            Effect: "Deny" as const,
            Action: [...JIT_TABLE_ACTIONS],
            Resource: `arn:${part}:dynamodb:*:*:table/${jit.prefix}-*`,
            Condition: exceptPrincipals([deployer, roleArnPattern(part, jit.brokerRoles)]),
          },
        ]
      : []),
    {
      Sid: "DenyModelVaultPolicyChangesExceptDeployer",
      Effect: "Deny",
      Action: [...MANAGED_POLICY_ACTIONS],
      Resource: roleResources.map((r) => `arn:${part}:iam::*:policy/${r}`),
      Condition: exceptPrincipals([deployer]),
    },
    {
      Sid: "DenyLeaveOrganization",
      Effect: "Deny",
      Action: [...LEAVE_ORG_ACTIONS],
      Resource: "*",
    },
  ];
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
