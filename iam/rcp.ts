// Organizations resource control policies (RCPs) for model-vault: the perimeter around its data.
// SCPs bind the organization's own principals; they cannot stop a principal of another account that a
// (mistaken) bucket or key policy lets in. RCPs bind the resources instead: whoever calls, the model
// bucket, its log buckets and its keys refuse requests from outside the organization, except the
// partner accounts configured as consumers and AWS services acting for the organization's resources.
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
//
// Pure. Every statement is a Deny with Principal "*" (RCPs support Allow only in RCPFullAWSAccess:
// https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps_syntax.html).
// The documents are measured and packed like the SCPs (iam/scpPack.ts): same 5,120-character limit.
import { accessLogBucketName, auditBucketName } from "./arns";
import { AUDIT_KEY_ROLE, MODEL_KEY_ROLE, ROLE_TAG } from "./tags";
import { packScps, type PackedScps } from "./scpPack";
import { jitPatterns, minimalPatterns, roleArnPattern, type Partition } from "./scpPatterns";
import { asArray, type ConditionBlock, type Statement } from "./types";

export interface RcpInputs {
  partition?: Partition;
  /** The organization's id (o-...): the value of aws:PrincipalOrgID and aws:SourceOrgID for its members. */
  organizationId: string;
  /** Accounts outside the organization that consume model weights (the workload stacks' consumers of kind "account"). */
  partnerAccounts: string[];
  modelBucketPattern: string;
  elevatedRolePattern: string;
  /** Role path-or-name pattern(s) of model-vault's roles: only the organization and the partners may assume them. */
  rolePathOrNamePattern: string | string[];
  /** The broker's name prefix: its issuer role (role/model-vault/<prefix>-issuer-*) is the only one that may assume the elevated role. */
  jitNamePrefix: string;
  /** Whether only the broker's issuer may assume the elevated role (default true). */
  brokerOnlyElevation?: boolean;
}

/** What a request from a service principal must carry to be for one of the organization's resources. */
export const PRINCIPAL_IS_SERVICE_KEY = "aws:PrincipalIsAWSService";

/** The actions an RCP's perimeter covers, per guarded resource. Service wildcards: RCPs name whole services. */
export const RCP_S3_ACTIONS = "s3:*";
export const RCP_KMS_ACTIONS = "kms:*";
/**
 * Every way to get the elevated role's credentials (AssumeRoot is for root, not roles). Source
 * identity and session tags are authorized on the role too, but without AssumeRole they give nothing.
 */
export const RCP_ASSUME_ACTIONS: readonly string[] = ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity"];

/** Deny unless the caller belongs to the organization (or one of `accounts`), for principals that are not AWS services. */
function outsidePerimeter(orgId: string, accounts: string[]): ConditionBlock {
  return {
    // Both keys absent-or-different: a principal of no organization has no aws:PrincipalOrgID, hence IfExists.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalorgid
    StringNotEqualsIfExists: { "aws:PrincipalOrgID": orgId, ...(accounts.length > 0 ? { "aws:PrincipalAccount": accounts } : {}) },
    // Service principals carry aws:PrincipalIsAWSService = true; they are checked by their source below.
    BoolIfExists: { [PRINCIPAL_IS_SERVICE_KEY]: "false" },
  };
}

/**
 * Deny a service principal (CloudFront's OAC reads, S3 log delivery, CloudTrail) acting for a resource
 * outside the organization: the confused-deputy guard. Only requests that carry aws:SourceAccount are
 * checked, as AWS's own example does, so service integrations without a source keep working.
 * https://docs.aws.amazon.com/kms/latest/developerguide/resource-control-policies.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-sourceorgid
 */
function serviceForOutsider(orgId: string): ConditionBlock {
  return {
    StringNotEqualsIfExists: { "aws:SourceOrgID": orgId },
    Null: { "aws:SourceAccount": "false" },
    Bool: { [PRINCIPAL_IS_SERVICE_KEY]: "true" },
  };
}

/** The RCP statements, in a stable order (Sids are stable: tests and the plan refer to them). */
export function buildRcpStatements(p: RcpInputs): Statement[] {
  const part = p.partition ?? "aws";
  const org = p.organizationId;
  const partners = [...new Set(p.partnerAccounts)];
  const bucket = `arn:${part}:s3:::${p.modelBucketPattern}`;
  // The log buckets are named after the model bucket (iam/arns.ts), so the model pattern covers them too.
  const logBuckets = [auditBucketName(bucket), accessLogBucketName(bucket)];
  const withObjects = (arns: string[]) => arns.flatMap((b) => [b, `${b}/*`]);
  const keyTagged = (roles: string[]) => ({ StringEquals: { [`aws:ResourceTag/${ROLE_TAG}`]: roles } });
  const issuer = roleArnPattern(part, jitPatterns(p.jitNamePrefix).issuerRole);
  return [
    {
      // S3 refuses plain HTTP only when told to: https://docs.aws.amazon.com/AmazonS3/latest/userguide/security-best-practices.html
      Sid: "DenyModelVaultS3WithoutTls",
      Effect: "Deny",
      Principal: "*",
      Action: RCP_S3_ACTIONS,
      Resource: withObjects([bucket]),
      Condition: { BoolIfExists: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "DenyModelDataOutsideOrgAndPartners",
      Effect: "Deny",
      Principal: "*",
      Action: RCP_S3_ACTIONS,
      Resource: withObjects([bucket]),
      Condition: outsidePerimeter(org, partners),
    },
    {
      // Partners read weights, never the record of who read them.
      Sid: "DenyLogDataOutsideOrg",
      Effect: "Deny",
      Principal: "*",
      Action: RCP_S3_ACTIONS,
      Resource: withObjects(logBuckets),
      Condition: outsidePerimeter(org, []),
    },
    {
      Sid: "DenyModelVaultS3ServiceUseForOutsiders",
      Effect: "Deny",
      Principal: "*",
      Action: RCP_S3_ACTIONS,
      Resource: withObjects([bucket]),
      Condition: serviceForOutsider(org),
    },
    {
      // Key ARNs are random: the keys are found by their tag, which the SCPs keep anyone but the deployer from changing.
      Sid: "DenyModelKeyOutsideOrgAndPartners",
      Effect: "Deny",
      Principal: "*",
      Action: RCP_KMS_ACTIONS,
      Resource: "*",
      Condition: { ...keyTagged([MODEL_KEY_ROLE]), ...outsidePerimeter(org, partners) },
    },
    {
      Sid: "DenyAuditKeyOutsideOrg",
      Effect: "Deny",
      Principal: "*",
      Action: RCP_KMS_ACTIONS,
      Resource: "*",
      Condition: { ...keyTagged([AUDIT_KEY_ROLE]), ...outsidePerimeter(org, []) },
    },
    {
      Sid: "DenyModelVaultKeyServiceUseForOutsiders",
      Effect: "Deny",
      Principal: "*",
      Action: RCP_KMS_ACTIONS,
      Resource: "*",
      Condition: { ...keyTagged([MODEL_KEY_ROLE, AUDIT_KEY_ROLE]), ...serviceForOutsider(org) },
    },
    {
      // A partner's principal assumes its consumer role (config/access.ts kind "account"); a trust policy
      // naming any other outside account is refused. Service principals (EC2, SageMaker, EKS Pod Identity)
      // pass on aws:PrincipalIsAWSService; IRSA's AssumeRoleWithWebIdentity is not this action.
      Sid: "DenyModelVaultRoleAssumeOutsideOrgAndPartners",
      Effect: "Deny",
      Principal: "*",
      Action: "sts:AssumeRole",
      Resource: minimalPatterns(asArray(p.rolePathOrNamePattern)).map((r) => roleArnPattern(part, r)),
      Condition: outsidePerimeter(org, partners),
    },
    ...((p.brokerOnlyElevation ?? true)
      ? [
          {
            // The trust policy already names the issuer; this holds when a mistaken trust policy names more.
            // A SAML or web-identity assumption has no aws:PrincipalArn, so ArnNotLike matches and denies it.
            Sid: "DenyElevatedRoleAssumeExceptBrokerIssuer",
            Effect: "Deny" as const,
            Principal: "*" as const,
            Action: [...RCP_ASSUME_ACTIONS],
            Resource: roleArnPattern(part, p.elevatedRolePattern),
            Condition: { ArnNotLike: { "aws:PrincipalArn": issuer } },
          },
        ]
      : []),
  ];
}

/** Statements built, packed into documents of at most 5,120 characters and measured (iam/scpPack.ts). */
export function buildRcps(p: RcpInputs, opts: { maxDocuments: number; limit?: number }): PackedScps {
  return packScps(buildRcpStatements(p), { ...opts, kind: "RCP" });
}
