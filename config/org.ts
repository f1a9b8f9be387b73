// The `organization` section of a stack's config (`model-vault:organization`): set only in the stack
// deployed from the management account (or a delegated administrator), Pulumi.org.yaml. It drives the
// OrgGuardrails component: SCPs that keep member-account administrators from undoing model-vault's
// protections. Also `scpStack`, set in a workload stack, names the org stack whose SCPs the offline
// plan's access matrix should include (plan only; nothing is deployed from it).
//
// Pure (zod only). The parsed value is already resolved: every key present, defaults applied here.
import { z } from "zod";
import { JIT_NAME_PREFIX } from "../iam/arns";
import { RCP_MAX_PER_TARGET } from "../iam/limits";

/** Wildcards AWS ARN matching understands: `*` (any run of characters, "/" included) and `?` (one). */
const literalChars = (s: string) => s.replace(/[*?]/g, "").length;

/** Enough literal text that a pattern cannot match "everything". */
const MIN_LITERAL = 3;

function pattern(what: string, allowed: RegExp, allowedText: string, example: string) {
  return z
    .string({ error: `expected a ${what} pattern such as ${example}` })
    .min(1, `expected a non-empty ${what} pattern such as ${example}`)
    .max(512, `a ${what} pattern has at most 512 characters`)
    .refine((s) => !s.startsWith("arn:"), `give the ${what} pattern without the ARN prefix, e.g. ${example}`)
    .refine((s) => allowed.test(s), `a ${what} pattern uses only ${allowedText} and the wildcards * and ?, e.g. ${example}`)
    .refine(
      (s) => literalChars(s) >= MIN_LITERAL,
      `a ${what} pattern needs at least ${MIN_LITERAL} characters besides wildcards (a bare "*" would match everything), e.g. ${example}`,
    );
}

/** S3 bucket-name pattern: bucket name characters plus wildcards. */
const bucketPattern = pattern("bucket-name", /^[a-z0-9.\-*?]+$/, "a-z, 0-9, '.' and '-'", "model-vault-*");

/** Role "path/name" pattern: the part of the role ARN after "role/". */
const rolePattern = (example: string) =>
  pattern("role path-or-name", /^[\w+=,.@\-/*?]+$/, "letters, digits, + = , . @ _ - and '/' (path separator)", example).refine(
    (s) => !s.startsWith("/"),
    `a role path-or-name pattern is what follows "role/" in the ARN and does not start with '/', e.g. ${example}`,
  );

/** IAM user "path/name" pattern: the part of the user ARN after "user/". */
const userPattern = pattern("user path-or-name", /^[\w+=,.@\-/*?]+$/, "letters, digits, + = , . @ _ - and '/' (path separator)", "people/*").refine(
  (s) => !s.startsWith("/"),
  `a user path-or-name pattern is what follows "user/" in the ARN and does not start with '/', e.g. people/*`,
);

const trailPattern = pattern("trail-name", /^[A-Za-z0-9._\-*?]+$/, "letters, digits, '.', '_' and '-'", "model-vault-*");

/** An SCP target: an OU, an account or the organization root, checked for the form AWS uses. */
export const TARGET_RE = /^(ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}|\d{12}|r-[0-9a-z]{4,32})$/;
const target = z
  .string({ error: "expected an SCP target: an OU id (ou-xxxx-xxxxxxxx), a 12-digit account id or a root id (r-xxxx)" })
  .refine((s) => TARGET_RE.test(s), {
    error: (iss) =>
      `"${String(iss.input)}" is not an SCP target: expected an OU id (ou-` +
      `<4-32 lowercase letters/digits>-<8-32 lowercase letters/digits>, e.g. ou-ab12-cd34ef56), ` +
      `a 12-digit account id or a root id (r-<4-32 lowercase letters/digits>)`,
  });

export const ORG_DEFAULTS = {
  partition: "aws" as const,
  modelBucketPattern: "model-vault-*",
  elevatedRolePattern: "model-vault/access-publisher-*",
  deployerRolePattern: "model-vault-deployer",
  rolePathOrNamePattern: "model-vault/*",
  auditTrailPattern: "model-vault-*",
  jitNamePrefix: JIT_NAME_PREFIX,
  policyName: "model-vault-guardrails",
  otherScpsPerTarget: 0,
  humanRolePatterns: [] as string[],
  humanUserPatterns: [] as string[],
  requireMfaForIamUsers: true,
  consumerRolePattern: "model-vault/access-consumer-*",
  consumerRolePassers: [] as string[],
  partnerAccounts: [] as string[],
  brokerOnlyElevation: true,
  rcpPolicyName: "model-vault-perimeter",
  otherRcpsPerTarget: 0,
  s3BlockPublicAccessPolicy: false,
  s3PolicyName: "model-vault-s3-block-public-access",
};

/** An organization id as Organizations spells it (https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html: o-[a-z0-9]{10,32}). */
export const ORG_ID_RE = /^o-[a-z0-9]{10,32}$/;

const policyName = (dflt: string) =>
  z
    .string({ error: "expected a policy name of 1-120 characters [A-Za-z0-9_+=,.@-]" })
    .regex(/^[\w+=,.@-]{1,120}$/, "expected a policy name of 1-120 characters [A-Za-z0-9_+=,.@-]")
    .default(dflt);

export const organizationSchema = z.strictObject(
  {
    /** ARN partition of the member accounts. Default and only accepted value: the org stack's region's (config/resolve.ts, config/partition.ts). */
    partition: z.enum(["aws", "aws-cn", "aws-us-gov"], { error: "expected aws, aws-cn or aws-us-gov" }).default(ORG_DEFAULTS.partition),
    /** Bucket-name pattern matching every model bucket in the targets (and nothing else). Default "model-vault-*". */
    modelBucketPattern: bucketPattern.default(ORG_DEFAULTS.modelBucketPattern),
    /** Role path-or-name pattern of the elevated publisher role: the only principal that may write or delete model objects. Default "model-vault/access-publisher-*" (components/PublisherRole.ts, under the path /model-vault/). */
    elevatedRolePattern: rolePattern("model-vault/access-publisher-*").default(ORG_DEFAULTS.elevatedRolePattern),
    /** Role path-or-name pattern of the deployer (the role `pulumi up` runs as in the member accounts): the only principal that may change bucket security, the trail and model-vault's roles. Default "model-vault-deployer". */
    deployerRolePattern: rolePattern("model-vault-deployer").default(ORG_DEFAULTS.deployerRolePattern),
    /** Role path-or-name pattern(s) covering all of model-vault's own roles (consumers, elevated, the JIT broker's): one pattern or a list; nobody but the deployer may create, re-trust, re-policy or delete them. Default "model-vault/*": every role model-vault creates has the IAM path /model-vault/. */
    rolePathOrNamePattern: z
      .union([rolePattern("model-vault/*"), z.array(rolePattern("model-vault/*")).min(1, "expected at least one role pattern")], {
        error: "expected a role path-or-name pattern such as model-vault/* or a list of them",
      })
      .default(ORG_DEFAULTS.rolePathOrNamePattern),
    /** CloudTrail trail-name pattern of the audit trail. Default "model-vault-*". */
    auditTrailPattern: trailPattern.default(ORG_DEFAULTS.auditTrailPattern),
    /** Name prefix of the JIT broker's functions, table and roles in the workload stacks (index.ts names the broker "model-vault-jit"): only the deployer may change the broker's code, only its own roles may write its request table, and its revoker may write the elevated role's revocation policy. Default "model-vault-jit". */
    jitNamePrefix: z
      .string({ error: "expected the JIT broker's name prefix, e.g. model-vault-jit" })
      .regex(/^[A-Za-z0-9-]{3,40}$/, "expected the JIT broker's name prefix: 3-40 letters, digits and '-', no wildcards, e.g. model-vault-jit")
      .default(ORG_DEFAULTS.jitNamePrefix),
    /**
     * Role path-or-name patterns of the people's roles: what the workload stacks' jit.requesters,
     * jit.approvers, jit.breakGlass and publisher.trustedPrincipals sign in as. Only the deployer may
     * re-trust, re-policy or delete them. IAM Identity Center roles (AWSReservedSSO_*) need no
     * pattern: AWS lets only Identity Center change them. Default [] (a workload plan then warns,
     * or in prod fails, for every such role not covered).
     */
    humanRolePatterns: z
      .array(rolePattern("ml-leads"), { error: "expected a list of role path-or-name patterns such as ml-leads" })
      .default(ORG_DEFAULTS.humanRolePatterns),
    /** IAM user path-or-name patterns of the same people: no access keys, login profiles or MFA removal outside the deployer. Default []. */
    humanUserPatterns: z
      .array(userPattern, { error: "expected a list of user path-or-name patterns such as people/*" })
      .default(ORG_DEFAULTS.humanUserPatterns),
    /** Role path-or-name pattern of the consumer roles (components/AccessRoles.ts: access-consumer-<name>-<suffix> under /model-vault/). Only the deployer and consumerRolePassers may pass them to compute (iam:PassRole). Default "model-vault/access-consumer-*". */
    consumerRolePattern: rolePattern("model-vault/access-consumer-*").default(ORG_DEFAULTS.consumerRolePattern),
    /** Role path-or-name patterns of the pipelines that launch the consumers' compute (EC2, SageMaker, EKS Pod Identity associations) and so pass their roles. Default [] (only the deployer). */
    consumerRolePassers: z
      .array(rolePattern("ml-pipelines/*"), { error: "expected a list of role path-or-name patterns such as ml-pipelines/*" })
      .default(ORG_DEFAULTS.consumerRolePassers),
    /** Deny IAM users (not role sessions) any call to the broker's API without MFA (aws:MultiFactorAuthPresent). Default true. */
    requireMfaForIamUsers: z.boolean({ error: "expected true or false" }).default(ORG_DEFAULTS.requireMfaForIamUsers),
    /** Where the SCPs are attached: OU ids, account ids or the root id. Required, at least one. */
    targets: z
      .array(target, { error: "expected a list of SCP targets (OU ids ou-..., 12-digit account ids or the root id r-...)" })
      .min(1, "expected at least one SCP target (an OU id ou-..., a 12-digit account id or the root id r-...)")
      .refine((t) => new Set(t).size === t.length, "targets must not repeat"),
    /** Name of the SCP (suffixed -1, -2, ... when the rules are split across several). Default "model-vault-guardrails". */
    policyName: z
      .string()
      .regex(/^[\w+=,.@-]{1,120}$/, "expected a policy name of 1-120 characters [A-Za-z0-9_+=,.@-]")
      .default(ORG_DEFAULTS.policyName),
    /**
     * The organization's id (o-...). When set, the stack also registers resource control policies
     * (iam/rcp.ts): the model and log buckets and the keys refuse principals outside the organization
     * (except partnerAccounts), service principals acting for outside resources, plain HTTP, and anyone
     * but the broker's issuer assuming the elevated role. Default: none (no RCPs).
     */
    organizationId: z
      .string({ error: "expected the organization id, e.g. o-a1b2c3d4e5" })
      .regex(ORG_ID_RE, "expected the organization id: o- followed by 10-32 lowercase letters or digits, e.g. o-a1b2c3d4e5")
      .optional(),
    /**
     * Accounts outside the organization allowed through the RCPs to the model bucket and its key: the
     * account ids of the workload stacks' consumers of kind "account" (their principalArn's account)
     * that are not in the organization. Needs organizationId. Default [].
     */
    partnerAccounts: z
      .array(z.string({ error: "expected a 12-digit account id" }).regex(/^\d{12}$/, "expected a 12-digit account id"), {
        error: "expected a list of 12-digit account ids",
      })
      .refine((t) => new Set(t).size === t.length, "partnerAccounts must not repeat")
      .default(ORG_DEFAULTS.partnerAccounts),
    /** RCPs: only the JIT broker's issuer role may assume the elevated role. Default true. */
    brokerOnlyElevation: z.boolean({ error: "expected true or false" }).default(ORG_DEFAULTS.brokerOnlyElevation),
    /** Name of the RCP (suffixed -1, -2, ... when split). Default "model-vault-perimeter". */
    rcpPolicyName: policyName(ORG_DEFAULTS.rcpPolicyName),
    /** RCPs already attached directly to each target besides RCPFullAWSAccess (0-3). Default 0. */
    otherRcpsPerTarget: z.number({ error: "expected a whole number 0-3" }).int("expected a whole number 0-3").min(0, "expected a whole number 0-3").max(3, "expected a whole number 0-3: AWS allows 5 RCPs per target, RCPFullAWSAccess is one and the perimeter needs at least one").default(ORG_DEFAULTS.otherRcpsPerTarget),
    /**
     * Register an Organizations S3 policy (type S3_POLICY) that turns on all four S3 Block Public
     * Access settings for every account under the targets (iam/orgS3Policy.ts). Workload stacks under
     * it set model-vault:publicAccessBlock: organization. Default false.
     */
    s3BlockPublicAccessPolicy: z.boolean({ error: "expected true or false" }).default(ORG_DEFAULTS.s3BlockPublicAccessPolicy),
    /** Name of the S3 policy. Default "model-vault-s3-block-public-access". */
    s3PolicyName: policyName(ORG_DEFAULTS.s3PolicyName),
    /** SCPs already attached directly to each target besides FullAWSAccess; the guardrails may use the rest of the 5 slots. Default 0. */
    otherScpsPerTarget: z.number({ error: "expected a whole number 0-3" }).int("expected a whole number 0-3").min(0, "expected a whole number 0-3").max(3, "expected a whole number 0-3: AWS allows 5 SCPs per target, FullAWSAccess is one and the guardrails need at least one").default(ORG_DEFAULTS.otherScpsPerTarget),
  },
  {
    error: (iss) =>
      iss.code === "invalid_type"
        ? "expected an object { targets, modelBucketPattern, elevatedRolePattern, deployerRolePattern, rolePathOrNamePattern, ... }"
        : undefined,
  },
).superRefine((o, ctx) => {
  // Partners only mean something as an exception to the RCPs' organization perimeter.
  if (o.partnerAccounts.length > 0 && !o.organizationId) {
    ctx.addIssue({ code: "custom", path: ["partnerAccounts"], message: "partner accounts are exceptions to the RCPs, which need organizationId (o-...): set organizationId or remove partnerAccounts" });
  }
});

/** The resolved `organization` section: every key present. */
export type OrgConfig = z.output<typeof organizationSchema>;
export type OrgConfigInput = z.input<typeof organizationSchema>;

/** How many RCP documents the perimeter may use per target (RCPFullAWSAccess and other RCPs counted). */
export function maxPerimeterDocuments(cfg: Pick<OrgConfig, "otherRcpsPerTarget">): number {
  return RCP_MAX_PER_TARGET - 1 - cfg.otherRcpsPerTarget;
}

/**
 * The workload stacks' partner accounts as the org config should list them: the accounts of their
 * consumers of kind "account" that are not in the organization. The org stack cannot read the
 * workload stacks, so a workload plan checks its own consumers against organization.partnerAccounts.
 */
export function missingPartnerAccounts(consumerAccounts: string[], org: Pick<OrgConfig, "partnerAccounts">, orgAccounts: string[] = []): string[] {
  return [...new Set(consumerAccounts)].filter((a) => !org.partnerAccounts.includes(a) && !orgAccounts.includes(a));
}

/** How many SCP documents the guardrails may use per target (FullAWSAccess and other SCPs counted). */
export function maxGuardrailDocuments(cfg: Pick<OrgConfig, "otherScpsPerTarget">): number {
  return 5 - 1 - cfg.otherScpsPerTarget;
}

/**
 * `scpStack` (workload stacks only): the name of the org stack whose SCPs the offline plan includes in
 * the access matrix (the plan runs that stack's program offline). Default: none (no SCPs evaluated).
 */
export const scpStackSchema = z
  .string({ error: "expected the name of the org stack, e.g. org" })
  .regex(/^[A-Za-z0-9_.-]{1,100}$/, "expected a stack name such as org");

/**
 * `publicAccessBlock` (workload stacks): how the account gets S3 Block Public Access. "manage" (default)
 * registers the account-level setting (PutPublicAccessBlock); "organization" relies on the
 * organization's S3 policy (organization.s3BlockPublicAccessPolicy in the org stack), under which
 * the account-level call can fail with 403, and registers nothing.
 */
export const publicAccessBlockSchema = z.enum(["manage", "organization"], {
  error: "expected manage (the stack sets account-level Block Public Access) or organization (the organization's S3 policy sets it)",
});
export const PUBLIC_ACCESS_BLOCK_DEFAULT = "manage" as const;

/** Standalone validation with messages naming `organization.<key>` (the loader adds the namespace). */
export function parseOrganization(raw: unknown): { ok: true; value: OrgConfig } | { ok: false; problems: string[] } {
  const r = organizationSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  // For a union (one pattern or a list), report the branch whose shape the input had.
  const flat = (i: z.core.$ZodIssue, base: PropertyKey[]): { path: PropertyKey[]; message: string }[] => {
    if (i.code === "invalid_union") {
      const branch = i.errors.find((b) => b.length > 0 && !b.every((x) => x.code === "invalid_type" && x.path.length === 0));
      if (branch) return branch.flatMap((x) => flat(x, [...base, ...i.path]));
    }
    return [{ path: [...base, ...i.path], message: i.message }];
  };
  return {
    ok: false,
    problems: r.error.issues
      .flatMap((i) => flat(i, []))
      .map((i) => `organization${i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${i.message}`),
  };
}
