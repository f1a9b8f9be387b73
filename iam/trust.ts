// Trust (assume-role) policies of the consumer roles and the elevated publisher role. Pure.
import { policyDocument, type PolicyDocument, type Statement } from "./types";
import { oidcIssuerOf } from "./arn";

export type ConsumerTrust =
  /** An AWS service principal (sagemaker.amazonaws.com, ec2.amazonaws.com ...), pinned to our account. */
  | { kind: "service"; service: string }
  /** EKS IAM Roles for Service Accounts: the cluster's OIDC provider, pinned to one namespace/service account. */
  | { kind: "eks-irsa"; oidcProviderArn: string; namespace: string; serviceAccount: string }
  /** EKS Pod Identity: pods.eks.amazonaws.com, pinned by the session tags it sets. */
  | { kind: "eks-pod-identity"; clusterName: string; namespace: string; serviceAccount: string }
  /** A principal of another AWS account (a role ARN or arn:aws:iam::OTHER:root), which must present the external id. */
  | { kind: "account"; principalArn: string; externalId: string };

/** The trust policy of a consumer role. `accountId` is the account the role lives in (confused-deputy pin). */
export function consumerTrustPolicy(c: ConsumerTrust, accountId: string): PolicyDocument {
  return policyDocument([consumerTrustStatement(c, accountId)]);
}

export function consumerTrustStatement(c: ConsumerTrust, accountId: string): Statement {
  switch (c.kind) {
    case "service":
      return {
        Sid: "TrustServiceFromThisAccountOnly",
        Effect: "Allow",
        Principal: { Service: c.service },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      };
    case "eks-irsa": {
      const issuer = oidcIssuerOf(c.oidcProviderArn);
      return {
        Sid: "TrustOneKubernetesServiceAccountViaIrsa",
        Effect: "Allow",
        Principal: { Federated: c.oidcProviderArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${issuer}:sub`]: `system:serviceaccount:${c.namespace}:${c.serviceAccount}`,
            [`${issuer}:aud`]: "sts.amazonaws.com",
          },
        },
      };
    }
    case "eks-pod-identity":
      return {
        Sid: "TrustOneKubernetesServiceAccountViaPodIdentity",
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Condition: {
          StringEquals: {
            "aws:SourceAccount": accountId,
            "aws:RequestTag/eks-cluster-name": c.clusterName,
            "aws:RequestTag/kubernetes-namespace": c.namespace,
            "aws:RequestTag/kubernetes-service-account": c.serviceAccount,
          },
        },
      };
    case "account":
      return {
        Sid: "TrustOtherAccountWithExternalId",
        Effect: "Allow",
        Principal: { AWS: c.principalArn },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "sts:ExternalId": c.externalId } },
      };
  }
}

export interface PublisherTrustArgs {
  /** Role ARNs allowed to assume the publisher role (humans' roles: must present MFA). */
  trustedPrincipals: string[];
  /** Max age of the MFA authentication, in seconds. Default 3600. */
  maxMfaAgeSeconds?: number;
  /** Further statements, e.g. the just-in-time broker's role (added by the JIT component). */
  extraStatements?: Statement[];
}

/**
 * The publisher's trust policy: only the named principals, with MFA no older than an hour, and only
 * when they set a source identity (sts:SetSourceIdentity + sts:SourceIdentity present), so every
 * session carries who it is into CloudTrail and the bucket policy can require it.
 */
export function publisherTrustPolicy(a: PublisherTrustArgs): PolicyDocument {
  const statements: Statement[] = [];
  if (a.trustedPrincipals.length > 0) {
    statements.push({
      Sid: "TrustNamedPrincipalsWithMfaAndSourceIdentity",
      Effect: "Allow",
      Principal: { AWS: [...a.trustedPrincipals].sort() },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity"],
      Condition: {
        Bool: { "aws:MultiFactorAuthPresent": "true" },
        NumericLessThanEquals: { "aws:MultiFactorAuthAge": String(a.maxMfaAgeSeconds ?? 3600) },
        Null: { "sts:SourceIdentity": "false" },
      },
    });
  }
  statements.push(...(a.extraStatements ?? []));
  if (statements.length === 0) throw new Error("the publisher role needs at least one trusted principal");
  return policyDocument(statements);
}
