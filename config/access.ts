// Access keys of a stack's config (top level of `model-vault:`): the read-only consumers, the
// elevated publisher, the deployer role and an optional permissions boundary. Pure (zod only).
import { z } from "zod";
import { configText, flag, keyPrefix, policyArn, roleArn, wholeNumber } from "./fields";
import { ACCOUNT_ROOT_ARN_RE, EKS_OIDC_PROVIDER_ARN_RE, ROLE_ARN_RE } from "../iam/arn";
import type { NetworkPerimeter } from "../iam/network";
import { networkSchema, resolveNetwork } from "./network";

const consumerName = z
  .string({ error: "expected a consumer name" })
  .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, "expected a consumer name of 1-31 characters: lowercase letters, digits and '-'");

const prefixes = z
  .array(keyPrefix, { error: "expected a list of object-key prefixes such as [models/llama/]" })
  .min(1, "expected at least one prefix");

/** Kubernetes names: DNS-1123 labels (namespace) and subdomains (service account). */
const k8sNamespace = z
  .string({ error: "expected a Kubernetes namespace" })
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "expected a Kubernetes namespace (lowercase DNS label)");
const k8sServiceAccount = z
  .string({ error: "expected a Kubernetes service account name" })
  .regex(/^[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?$/, "expected a Kubernetes service account name (lowercase DNS subdomain)");

/**
 * Where this consumer's reads may come from (config/network.ts): its role then denies reads from
 * anywhere else, so stolen credentials are refused outside. Default: none (any network).
 */
const network = networkSchema.optional();

const serviceConsumer = z.strictObject({
  /** Consumer name: names its role and labels it in the access matrix. Required. */
  name: consumerName,
  kind: z.literal("service"),
  /** Object-key prefixes the consumer may read (each ends with '/', no wildcards). Required. */
  prefixes,
  network,
  /** The service principal, e.g. sagemaker.amazonaws.com or ec2.amazonaws.com. Required. */
  service: z
    .string({ error: "expected a service principal such as sagemaker.amazonaws.com" })
    .regex(/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com(\.cn)?$/, "expected a service principal such as sagemaker.amazonaws.com"),
  /** Also create an EC2 instance profile for the role (ec2.amazonaws.com only). Default false. */
  instanceProfile: flag().optional(),
});

const irsaConsumer = z.strictObject({
  name: consumerName,
  kind: z.literal("eks-irsa"),
  prefixes,
  network,
  /** The cluster's IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID). Required. */
  oidcProviderArn: z
    .string({ error: "expected an EKS OIDC provider ARN" })
    .regex(EKS_OIDC_PROVIDER_ARN_RE, "expected an EKS OIDC provider ARN (arn:aws:iam::123456789012:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID)"),
  /** Kubernetes namespace of the service account. Required. */
  namespace: k8sNamespace,
  /** Kubernetes service account allowed to assume the role. Required. */
  serviceAccount: k8sServiceAccount,
});

const podIdentityConsumer = z.strictObject({
  name: consumerName,
  kind: z.literal("eks-pod-identity"),
  prefixes,
  network,
  /** EKS cluster name (matched against the eks-cluster-name session tag). Required. */
  clusterName: z
    .string({ error: "expected an EKS cluster name" })
    .regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, "expected an EKS cluster name (letters, digits, '-', '_')"),
  namespace: k8sNamespace,
  serviceAccount: k8sServiceAccount,
  /** Also create the EKS Pod Identity association (the cluster must exist at deploy time). Default false. */
  createAssociation: flag().optional(),
});

const accountConsumer = z.strictObject({
  name: consumerName,
  kind: z.literal("account"),
  prefixes,
  network,
  /** The other account's principal: a role ARN or arn:aws:iam::ACCOUNT:root. Required. */
  principalArn: z
    .string({ error: "expected a role ARN or account root ARN of the consuming account" })
    .refine((s) => ROLE_ARN_RE.test(s) || ACCOUNT_ROOT_ARN_RE.test(s), "expected a role ARN (arn:aws:iam::123456789012:role/NAME) or arn:aws:iam::123456789012:root"),
  /** The sts:ExternalId the other account must present (2-1224 characters of [\w+=,.@:/-]). Required. */
  externalId: configText(
    z.string({ error: "expected an external id" }).regex(/^[\w+=,.@:/-]{2,1224}$/, "expected an external id of 2-1224 characters [A-Za-z0-9_+=,.@:/-]"),
  ),
});

export const CONSUMER_KINDS = ["service", "eks-irsa", "eks-pod-identity", "account"] as const;

const consumerUnion = z
  .discriminatedUnion("kind", [serviceConsumer, irsaConsumer, podIdentityConsumer, accountConsumer], {
    error: (iss) =>
      iss.code === "invalid_union" ? `expected kind to be one of ${CONSUMER_KINDS.join(", ")}` : undefined,
  })
  .superRefine((c, ctx) => {
    if (c.kind === "service" && c.instanceProfile && c.service !== "ec2.amazonaws.com") {
      ctx.addIssue({ code: "custom", path: ["instanceProfile"], message: "an instance profile only makes sense for service ec2.amazonaws.com" });
    }
  });

/** A consumer entry; its `network` errors name it (config/network.ts). */
export const consumerSchema = consumerUnion;

export const publisherSchema = z.strictObject(
  {
    /** Role ARNs (humans' roles) allowed to assume the publisher role, with MFA and a source identity. Required, at least one. */
    trustedPrincipals: z.array(roleArn, { error: "expected a list of role ARNs" }).min(1, "expected at least one trusted role ARN"),
    /** Prefixes the publisher may write to. Required. */
    prefixes,
    /** Also allow s3:DeleteObject on those prefixes. Default false. */
    allowDelete: flag().optional(),
    /** Maximum age of the MFA sign-in that may assume the role, seconds. Default 3600 (also the maximum). */
    maxMfaAgeSeconds: wholeNumber(60, 3600).optional(),
  },
  { error: "expected an object { trustedPrincipals, prefixes, allowDelete? }" },
);

/** Spread into the stack schema (top-level keys). */
export const accessShape = {
  /** Read-only consumers, one role each. Default []. */
  consumers: z
    .array(consumerSchema, { error: "expected a list of consumers" })
    .superRefine((list, ctx) => {
      const seen = new Set<string>();
      list.forEach((c, i) => {
        if (seen.has(c.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate consumer name ${c.name}` });
        seen.add(c.name);
      });
    })
    .optional(),
  /** The elevated publisher role. Default: none (nobody may write objects). */
  publisher: publisherSchema.optional(),
  /** The role that runs `pulumi up`: the only principal allowed to change bucket configuration. Default: none; required in prod. */
  deployerRoleArn: roleArn.optional(),
  /** Managed policy ARN set as permissions boundary on the consumer roles (the publisher carries its own: components/PublisherRole.ts). Default: none. */
  permissionsBoundaryArn: policyArn.optional(),
  /**
   * Stack-wide network perimeter (config/network.ts): one bucket-policy statement refuses every
   * principal's reads from anywhere else (AWS service principals such as CloudFront excepted).
   * Default: none.
   */
  network: networkSchema.optional(),
};

export const accessSchema = z.strictObject(accessShape);
export type RawAccessConfig = z.infer<typeof accessSchema>;
/** A resolved consumer: `network` is absent without a perimeter, else every list explicit. */
export type Consumer = z.infer<typeof consumerSchema> & { network?: NetworkPerimeter };
export type ConsumerKind = Consumer["kind"];

export interface PublisherConfig {
  trustedPrincipals: string[];
  prefixes: string[];
  allowDelete: boolean;
  maxMfaAgeSeconds: number;
}

/** The resolved access section: every default explicit. */
export interface AccessConfig {
  consumers: Consumer[];
  publisher: PublisherConfig | null;
  deployerRoleArn: string | null;
  permissionsBoundaryArn: string | null;
  /** The stack-wide network perimeter, or null. */
  network: NetworkPerimeter | null;
}

export function resolveAccessConfig(raw: Partial<RawAccessConfig>): AccessConfig {
  return {
    consumers: (raw.consumers ?? []).map((raw) => {
      // Only the perimeter's lists change shape (every list explicit): the consumer's kind is untouched.
      const c = (raw.network ? { ...raw, network: resolveNetwork(raw.network) } : raw) as Consumer;
      return c.kind === "service"
        ? { ...c, instanceProfile: c.instanceProfile ?? false }
        : c.kind === "eks-pod-identity"
          ? { ...c, createAssociation: c.createAssociation ?? false }
          : c;
    }),
    publisher: raw.publisher
      ? {
          trustedPrincipals: raw.publisher.trustedPrincipals,
          prefixes: raw.publisher.prefixes,
          allowDelete: raw.publisher.allowDelete ?? false,
          maxMfaAgeSeconds: raw.publisher.maxMfaAgeSeconds ?? 3600,
        }
      : null,
    deployerRoleArn: raw.deployerRoleArn ?? null,
    permissionsBoundaryArn: raw.permissionsBoundaryArn ?? null,
    network: resolveNetwork(raw.network),
  };
}

/** Cross-key checks that depend on the environment: errors (refuse) and warnings (plan notes). */
export function checkAccessConfig(
  access: AccessConfig,
  environment: "dev" | "prod",
  namespace = "model-vault",
): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  if (!access.deployerRoleArn) {
    const why =
      "without it the bucket policy cannot reserve bucket-configuration changes to the deployer role";
    if (environment === "prod") problems.push(`${namespace}:deployerRoleArn: is required in prod (${why})`);
    else warnings.push(`${namespace}:deployerRoleArn is not set: ${why}; anyone with IAM permissions in the account can change the bucket's configuration`);
  }
  return { problems, warnings };
}
