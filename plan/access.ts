// The access matrix of the offline plan (issue 3): who can do what on the model bucket, computed by
// a real IAM evaluation engine (@cloud-copilot/iam-simulate) over the documents the plan would deploy:
// role inline/managed policies, permissions boundaries, the bucket policy, the key policy, and SCPs
// when given. Dev tooling only: iam-simulate is AGPL-3.0, so components and runtime code never
// import this file.
//
// S3 objects are SSE-KMS encrypted, so a GetObject/PutObject is allowed only when S3 allows it AND
// KMS allows the call S3 makes on the caller's behalf (kms:Decrypt / kms:GenerateDataKey with
// kms:ViaService = s3.REGION.amazonaws.com); the matrix evaluates both and reports the one that decided.
import type { AccessConfig, Consumer } from "../config/access";
import { parseArn, s3ViaService } from "../iam/arn";
import { underAnyPrefix } from "../iam/prefixes";
import type { PolicyDocument } from "../iam/types";
import type { EvalRequest } from "./decide";
import { runQuestions, type Question, type Step } from "./questions";
import { asOrgLayers, orgKeysOf, type OrgInput } from "./orgLayers";
import { ADMINISTRATOR_ACCESS, outOrIn as out, planDocuments, roleTagOf, taggedWith, str, tagsOf, type NamedPolicy } from "./planDocuments";
import { networkPlan, withNetwork, type NetworkPlan, type NetworkVantage } from "./networkQuestions";
import type { AccessCell, Plan, PlanResource } from "./types";
import { NEW_OBJECT_WRITE_CONTEXT } from "../iam/bucketPolicy";
import { CONSUMER_NAME_TAG, CONSUMER_ROLE, ELEVATED_ROLE, MODEL_BUCKET_ROLE, ROLE_TAG } from "../iam/tags";

/** A cell of the matrix; `context` carries the request's S3 listing parameters (s3:prefix, s3:delimiter). */
export interface MatrixCell extends AccessCell {
  context?: Record<string, string>;
  /** "root", "inside" or "outside" the principal's prefixes, or "bucket". */
  scope: Scope;
  /** The loader call the row stands for (HeadObject, a ranged GetObject, ListObjectsV2). */
  operation?: LoaderOperation;
  /** Where a network row's request comes from (plan/networkQuestions.ts). */
  vantage?: NetworkVantage;
}

export type Scope = "root" | "inside" | "outside" | "bucket";
/** What a design or network question carries besides its request. */
export type DesignExtra = { scope: Scope; operation?: LoaderOperation; vantage?: NetworkVantage };
import type { Expected } from "./expectation";
export type { Expected };

export type PrincipalKind =
  | "consumer"
  | "publisher"
  | "publisher-without-source-identity"
  | "unrelated"
  | "deployer"
  | "anonymous"
  // The CloudFront service principal (issue 5), as the stack's distribution and as any other one.
  | "cloudfront"
  | "cloudfront-other-distribution";

export interface MatrixPrincipal {
  kind: PrincipalKind;
  /** Role ARN, or "anonymous". */
  arn: string;
  label: string;
  identityPolicies: NamedPolicy[];
  boundary?: NamedPolicy | null;
  sourceIdentity?: string;
  /** Prefixes the design grants it (reads for consumers, writes for the publisher). */
  prefixes: string[];
  allowDelete?: boolean;
  /** Service principals: the aws:SourceArn the service sends (a CloudFront distribution ARN). */
  sourceArn?: string;
}

/** Everything the evaluation needs, independent of where it came from (a plan, or a test). */
export interface AccessModel {
  accountId: string;
  bucketArn: string;
  keyArn: string;
  bucketPolicy: PolicyDocument | null;
  keyPolicy: PolicyDocument | null;
  /** The organization's SCP and RCP layers (plan/orgLayers.ts), or bare SCP documents attached to the account's OU. */
  scps: OrgInput;
  /** S3 Block Public Access (RestrictPublicBuckets) is on for the bucket or the account. */
  blockPublicAccess: boolean;
  deployerRoleArn: string | null;
  principals: MatrixPrincipal[];
  /** The configured network perimeters (plan/networkQuestions.ts); absent: none. */
  network?: NetworkPlan;
}

export interface AccessMatrixResult {
  cells: MatrixCell[];
  /** Cells that break a promise: a denied cell allowed (e.g. a read-only role could write), or a promised Allow denied. */
  breaches: string[];
  /** Notes for the reader (missing deployer role, policies the plan cannot see, explicit-vs-implicit differences). */
  warnings: string[];
}

/** The resolved stack config, as far as the matrix needs it (StackConfig satisfies it). */
export interface AccessMatrixConfig {
  access: AccessConfig;
  environment?: "dev" | "prod";
  /** The CloudFront section (config/cdn.ts): the prefixes the distribution may read. */
  cdn?: { enabled: boolean; prefixes: string[] };
}

const OBJECT_NAME = "example.safetensors";
export const SOURCE_IDENTITY = "alice@example.com";

// ---------------------------------------------------------------------------------------------
// Reading the plan

/** Builds the model from a plan's resources and the resolved config. */
export function accessModelFromPlan(plan: Plan, cfg: AccessMatrixConfig, extra: { scps?: OrgInput } = {}): { model: AccessModel; warnings: string[] } {
  const warnings: string[] = [];
  const docs = planDocuments(plan, extra.scps);
  const rs = docs.resources;
  const byType = docs.ofType;

  const bucket = taggedWith(rs, "aws:s3/bucket:Bucket", MODEL_BUCKET_ROLE)[0];
  if (!bucket) throw new Error(`access matrix: the plan has no bucket tagged ${ROLE_TAG}=${MODEL_BUCKET_ROLE}`);
  const bucketArn = out(bucket, "arn") ?? `arn:aws:s3:::${out(bucket, "bucket")}`;
  const bucketRefs = new Set([out(bucket, "id"), out(bucket, "bucket")].filter(Boolean));

  const sse = byType("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").find((r) => bucketRefs.has(str(r.inputs.bucket)));
  const sseKey = str((sse?.inputs.rules as { applyServerSideEncryptionByDefault?: { kmsMasterKeyId?: string } }[] | undefined)?.[0]?.applyServerSideEncryptionByDefault?.kmsMasterKeyId);
  const keys = byType("aws:kms/key:Key");
  const key = keys.find((k) => [out(k, "arn"), out(k, "keyId"), out(k, "id")].includes(sseKey)) ?? (keys.length === 1 ? keys[0] : undefined);
  if (!key) throw new Error("access matrix: cannot tell which KMS key encrypts the model bucket");
  const keyArn = out(key, "arn")!;
  const keyPolicy = docs.keyPolicy(key);
  if (!keyPolicy) warnings.push("access matrix: the bucket key has no key policy in the plan (AWS would apply the default: the account's IAM policies decide)");

  const bucketPolicy = docs.bucketPolicy(bucket);
  if (!bucketPolicy) warnings.push("access matrix: the model bucket has no bucket policy in the plan");

  const accountId = parseArn(keyArn)?.account ?? "000000000000";
  // The plan's principals live in the key's partition (the stack's: plan/fakeCloud.ts).
  const partition = parseArn(keyArn)?.partition ?? "aws";
  const blockPublicAccess = docs.blockPublicAccess(bucket);

  const policiesOf = (role: PlanResource, label: string) => {
    const { identityPolicies, boundary } = docs.role(role, label, (w) => warnings.push(`access matrix: ${w}`));
    return { identityPolicies, boundary };
  };

  const consumersByName = new Map<string, Consumer>(cfg.access.consumers.map((c) => [c.name, c]));
  const principals: MatrixPrincipal[] = [];
  const roles = byType("aws:iam/role:Role");
  for (const role of roles.filter((r) => roleTagOf(r) === CONSUMER_ROLE)) {
    const name = tagsOf(role)[CONSUMER_NAME_TAG] ?? role.name;
    const c = consumersByName.get(name);
    const label = `consumer ${name}${c ? ` (${c.kind})` : ""}`;
    if (!c) warnings.push(`access matrix: consumer role ${role.name} matches no consumer in the config; its prefixes are unknown`);
    principals.push({ kind: "consumer", arn: out(role, "arn")!, label, prefixes: c?.prefixes ?? [], ...policiesOf(role, label) });
  }
  const publisher = roles.find((r) => roleTagOf(r) === ELEVATED_ROLE);
  if (publisher) {
    const p = cfg.access.publisher;
    const base = { arn: out(publisher, "arn")!, prefixes: p?.prefixes ?? [], allowDelete: p?.allowDelete ?? false, ...policiesOf(publisher, "publisher") };
    principals.push({ ...base, kind: "publisher", label: `publisher (source identity ${SOURCE_IDENTITY})`, sourceIdentity: SOURCE_IDENTITY });
    principals.push({ ...base, kind: "publisher-without-source-identity", label: "publisher (no source identity)" });
  }
  const someInside = cfg.access.consumers[0]?.prefixes ?? cfg.access.publisher?.prefixes ?? ["models/"];
  principals.push({
    kind: "unrelated",
    arn: `arn:${partition}:iam::${accountId}:role/plan-unrelated-admin`,
    label: "unrelated role, same account (AdministratorAccess)",
    identityPolicies: [{ name: "AdministratorAccess", policy: ADMINISTRATOR_ACCESS }],
    prefixes: someInside,
  });
  const deployer = cfg.access.deployerRoleArn;
  if (deployer) {
    principals.push({
      kind: "deployer",
      arn: deployer,
      label: "deployer (AdministratorAccess)",
      identityPolicies: [{ name: "AdministratorAccess", policy: ADMINISTRATOR_ACCESS }],
      prefixes: someInside,
    });
  }
  principals.push({ kind: "anonymous", arn: "anonymous", label: "anonymous", identityPolicies: [], prefixes: someInside });
  principals.push(...cloudFrontPrincipals(rs, cfg, accountId));

  return {
    model: { accountId, bucketArn, keyArn, bucketPolicy, keyPolicy, scps: docs.org, blockPublicAccess, deployerRoleArn: deployer, principals, network: networkPlan(cfg.access) },
    warnings,
  };
}

/** CloudFront reading through OAC: as the plan's distribution (its ARN) and as another distribution. */
function cloudFrontPrincipals(rs: PlanResource[], cfg: AccessMatrixConfig, accountId: string): MatrixPrincipal[] {
  const dist = rs.find((r) => r.type === "aws:cloudfront/distribution:Distribution");
  const arn = dist && out(dist, "arn");
  if (!arn || !cfg.cdn?.enabled) return [];
  const base = { arn: "cloudfront.amazonaws.com", identityPolicies: [], prefixes: cfg.cdn.prefixes };
  return [
    { ...base, kind: "cloudfront", label: `cloudfront as ${arn.split(":").pop()}`, sourceArn: arn },
    { ...base, kind: "cloudfront-other-distribution", label: "cloudfront as another distribution", sourceArn: `arn:${parseArn(arn)?.partition ?? "aws"}:cloudfront::${accountId}:distribution/EPLANOTHERDIST1` },
  ];
}

// ---------------------------------------------------------------------------------------------
// Evaluating

interface Request {
  action: string;
  resource: string;
  scope: Scope;
  context: Record<string, string>;
  /** The S3 API call a loader makes, where the row stands for one (the IAM action is `action`). */
  operation?: LoaderOperation;
}

/** The calls model loaders make (Mountpoint, the verifier, SageMaker): what "can read" must let through. */
export type LoaderOperation = "HeadObject" | "GetObject-Range" | "ListObjectsV2";

/** An object key outside every one of the prefixes. */
function outsideKey(prefixes: string[]): string {
  for (const top of ["outside/", "other-team/", "zz-not-granted/"]) if (!underAnyPrefix(top, prefixes)) return top;
  return `x-${Date.now()}/`;
}

/** The requests of one principal's rows (what `aws s3 ls`, `aws s3 cp`, `aws s3 rm`, a policy change need). */
export function requestsFor(p: MatrixPrincipal, bucketArn: string): Request[] {
  const inside = p.prefixes[0] ?? "models/";
  const outside = outsideKey(p.prefixes);
  const list = (scope: Scope, prefix: string): Request => ({ action: "s3:ListBucket", resource: bucketArn, scope, context: { "s3:prefix": prefix, "s3:delimiter": "/" } });
  // A PutObject cell asks about a new object, uploaded as publish does (iam/bucketPolicy.ts immutable releases).
  const obj = (action: string, scope: Scope, prefix: string): Request => ({ action, resource: `${bucketArn}/${prefix}${OBJECT_NAME}`, scope, context: action === "s3:PutObject" ? { ...NEW_OBJECT_WRITE_CONTEXT } : {} });
  return [
    list("root", ""),
    list("inside", inside),
    list("outside", outside),
    obj("s3:GetObject", "inside", inside),
    obj("s3:GetObject", "outside", outside),
    obj("s3:PutObject", "inside", inside),
    obj("s3:PutObject", "outside", outside),
    obj("s3:DeleteObject", "inside", inside),
    obj("s3:DeleteObject", "outside", outside),
    { action: "s3:PutBucketPolicy", resource: bucketArn, scope: "bucket", context: {} },
    ...(p.kind === "consumer" ? loaderRequests(bucketArn, inside, outside) : []),
  ];
}

/**
 * What a loader calls, inside the consumer's prefixes and outside. HeadObject is authorized as
 * s3:GetObject, and a ranged GET is a GetObject with a Range header (no condition key tells it apart);
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html,
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html. ListObjectsV2 is authorized as
 * s3:ListBucket with its prefix and delimiter as s3:prefix and s3:delimiter;
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html.
 * The listing asks one directory below the granted prefix, as a loader walking a model does.
 */
function loaderRequests(bucketArn: string, inside: string, outside: string): Request[] {
  const object = (prefix: string) => `${bucketArn}/${prefix}${OBJECT_NAME}`;
  const rows: Request[] = [];
  for (const [scope, prefix] of [["inside", inside], ["outside", outside]] as const) {
    rows.push({ action: "s3:GetObject", resource: object(prefix), scope, context: {}, operation: "HeadObject" });
    rows.push({ action: "s3:GetObject", resource: object(prefix), scope, context: {}, operation: "GetObject-Range" });
    rows.push({ action: "s3:ListBucket", resource: bucketArn, scope, context: { "s3:prefix": `${prefix}${MODEL_DIR}`, "s3:delimiter": "/" }, operation: "ListObjectsV2" });
  }
  return rows;
}

const MODEL_DIR = "example-model/";

/** What the design promises for each row. */
export function expectedFor(p: MatrixPrincipal, r: Request, hasDeployer: boolean, underRcps = false): Expected {
  const configChange = r.action === "s3:PutBucketPolicy";
  const write = r.action === "s3:PutObject" || r.action === "s3:DeleteObject";
  switch (p.kind) {
    case "consumer":
      if (r.action === "s3:ListBucket") return r.scope === "outside" ? "ImplicitlyDenied" : "Allowed";
      if (r.action === "s3:GetObject") return r.scope === "inside" ? "Allowed" : "ImplicitlyDenied";
      return "ExplicitlyDenied"; // identity-policy deny, whatever else is attached
    case "publisher":
      if (configChange) return hasDeployer ? "ExplicitlyDenied" : "ImplicitlyDenied";
      // Without allowDelete the bucket policy denies DeleteObject to everyone (iam/bucketPolicy.ts).
      if (r.action === "s3:DeleteObject" && !p.allowDelete) return "ExplicitlyDenied";
      if (r.scope !== "inside") return "ImplicitlyDenied";
      if (r.action === "s3:ListBucket" || r.action === "s3:PutObject") return "Allowed";
      if (r.action === "s3:DeleteObject") return "Allowed";
      return "ImplicitlyDenied";
    case "publisher-without-source-identity":
      if (configChange) return hasDeployer ? "ExplicitlyDenied" : "ImplicitlyDenied";
      return "ExplicitlyDenied";
    case "unrelated":
    case "deployer":
      if (write) return "ExplicitlyDenied";
      if (r.action === "s3:GetObject") return "ImplicitlyDenied"; // the key policy does not let it decrypt
      if (configChange) return p.kind === "deployer" ? "Allowed" : hasDeployer ? "ExplicitlyDenied" : "AllowedOrDenied";
      return "AllowedOrDenied"; // listing names with admin rights is the account's business
    case "anonymous":
      // The organization's RCPs (iam/rcp.ts) refuse every caller outside it, anonymous ones included.
      return write || (configChange && hasDeployer) || underRcps ? "ExplicitlyDenied" : "ImplicitlyDenied";
    case "cloudfront":
    case "cloudfront-other-distribution":
      if (p.kind === "cloudfront" && r.action === "s3:GetObject" && r.scope === "inside") return "Allowed";
      return write || (configChange && hasDeployer) ? "ExplicitlyDenied" : "ImplicitlyDenied";
  }
}

function contextFor(p: MatrixPrincipal, accountId: string, extra: Record<string, string>): Record<string, string> {
  const ctx: Record<string, string> = { "aws:SecureTransport": "true", ...extra };
  if (p.kind === "anonymous") return ctx;
  if (p.sourceArn) return { ...ctx, "aws:SourceArn": p.sourceArn, "aws:SourceAccount": parseArn(p.sourceArn)?.account || accountId };
  ctx["aws:PrincipalArn"] = p.arn;
  ctx["aws:PrincipalAccount"] = parseArn(p.arn)?.account || accountId;
  ctx["aws:PrincipalType"] = "AssumedRole";
  if (p.sourceIdentity) ctx["aws:SourceIdentity"] = p.sourceIdentity;
  return ctx;
}

function request(m: AccessModel, p: MatrixPrincipal, action: string, resource: string, context: Record<string, string>, resourcePolicy: PolicyDocument | null, resourceName: string): EvalRequest {
  const org = asOrgLayers(m.scps);
  const ctx = contextFor(p, m.accountId, context);
  return {
    principal: p.kind === "anonymous" ? "anonymous" : p.arn,
    action,
    resource,
    resourceAccount: m.accountId,
    context: ctx,
    identityPolicies: p.identityPolicies,
    boundary: p.boundary,
    resourcePolicy,
    resourceName,
    scps: org.scps,
    rcps: org.rcps,
    ...orgKeysOf(org, p.arn, ctx, m.accountId),
    blockPublicAccess: m.blockPublicAccess,
  };
}

/** The KMS call S3 makes on the caller's behalf for SSE-KMS objects. */
const KMS_STEP: Record<string, string> = { "s3:GetObject": "kms:Decrypt", "s3:PutObject": "kms:GenerateDataKey" };

/** The design matrix as questions: each principal x request of the model, with the design's promise. */
export function designQuestions(m: AccessModel): Question<DesignExtra, "design">[] {
  const hasDeployer = !!m.deployerRoleArn;
  const underRcps = asOrgLayers(m.scps).rcps.length > 0;
  return m.principals.flatMap((p) =>
    requestsFor(p, m.bucketArn).map((r) => {
      const steps: Step[] = [{ request: request(m, p, r.action, r.resource, { ...r.context, "s3:TlsVersion": "1.3" }, m.bucketPolicy, "bucket-policy") }];
      // HEAD returns metadata only: S3 asks KMS for nothing. (Unverified without an account: if AWS
      // did call kms:Decrypt, the GetObject rows already prove the consumer's decrypt grant.)
      const kmsAction = r.operation === "HeadObject" ? undefined : KMS_STEP[r.action];
      if (kmsAction && p.kind !== "anonymous")
        steps.push({
          prefix: kmsAction,
          request: request(m, p, kmsAction, m.keyArn, { "kms:ViaService": s3ViaService(m.keyArn), "kms:CallerAccount": m.accountId }, m.keyPolicy, "key-policy"),
        });
      return {
        kind: "design" as const,
        principal: p.arn,
        label: p.label,
        action: r.action,
        resource: r.resource,
        ...(r.action === "s3:ListBucket" ? { context: r.context } : {}),
        steps,
        expected: expectedFor(p, r, hasDeployer, underRcps),
        // Explicit-vs-implicit differences only change which policy says no.
        denyKindMatters: false,
        extra: { scope: r.scope, operation: r.operation },
      };
    }),
  );
}

function where(c: MatrixCell): string {
  return c.context ? `${c.resource} (prefix "${c.context["s3:prefix"]}", delimiter "${c.context["s3:delimiter"]}")` : c.resource;
}

/** Evaluates every principal x request of the model. */
export async function evaluateAccessModel(m: AccessModel): Promise<AccessMatrixResult> {
  const breaches: string[] = [];
  const warnings: string[] = [];
  const cells: MatrixCell[] = [];
  for (const a of await runQuestions(withNetwork(m, designQuestions(m)), "access matrix")) {
    const q = a.question;
    const cell: MatrixCell = {
      principal: q.principal,
      label: q.label,
      action: q.action,
      resource: q.resource,
      decision: a.decision,
      by: a.by,
      expected: a.expected,
      scope: q.extra.scope,
      ...(q.context ? { context: q.context } : {}),
      kind: q.kind,
      ...(q.extra.operation ? { operation: q.extra.operation } : {}),
      ...(q.extra.vantage ? { vantage: q.extra.vantage } : {}),
    };
    cells.push(cell);
    if (!a.mark) continue;
    const line = `${q.label}: ${q.extra.operation ? `${q.extra.operation} (${q.action})` : q.action} on ${where(cell)} is ${a.decision}, expected ${a.expected} (${a.by})`;
    if (a.mark === "breach") breaches.push(line);
    else warnings.push(`access matrix: ${line}`);
  }
  return { cells, breaches, warnings };
}

/**
 * The plan's access matrix. The plan puts `cells` into `plan.access`, `warnings` into `plan.warnings`
 * and exits non-zero when `breaches` is non-empty. The SCP helper passes `extra.scps`.
 */
export async function computeAccessMatrix(plan: Plan, cfg: AccessMatrixConfig, extra: { scps?: OrgInput } = {}): Promise<AccessMatrixResult> {
  const { model, warnings } = accessModelFromPlan(plan, cfg, extra);
  const result = await evaluateAccessModel(model);
  if (!cfg.access.deployerRoleArn) {
    warnings.unshift(
      "model-vault:deployerRoleArn is not set: bucket-configuration changes are not reserved to a deployer role (prod refuses this; the account root can always remove a bucket policy)",
    );
  }
  return { ...result, warnings: [...warnings, ...result.warnings] };
}
