// Offline-plan support for the org guardrails (issue 6). Dev tooling only: it uses iam-simulate
// (AGPL-3.0), so components and runtime code never import this file.
//
//  - scpsFromPlan(plan):        the SCPs and attachments an org stack's plan registers, with sizes.
//  - renderScpSection(plan):    the text section `npm run plan -- --stack org` prints.
//  - scpMatrixCells(input):     access-matrix rows proving the SCPs' effect: an all-powerful workload
//                               administrator (synthetic, never deployed) is denied deletes, security
//                               changes and tampering with the JIT broker; the elevated, deployer and
//                               broker roles keep exactly their rights.
//  - workloadScpInputs(plan, scps, org): picks the bucket, bucket policy, trail, roles and their
//                               policies, and the JIT broker out of a workload stack's plan.
import type { RequestDenial, RequestGrant, Simulation } from "@cloud-copilot/iam-simulate";
import { arnLike } from "../iam/arnLike";
import type { OrgConfig } from "../config/org";
import {
  KEY_TAG,
  PROTECTED_KEY_ROLES,
  SCP_MAX_CHARS,
  SCP_MAX_PER_TARGET,
  isIdentityCenterRole,
  jitPatterns,
  personCovered,
  personPrincipal,
  roleArnPattern,
  scpSize,
  type Partition,
} from "../iam/scp";
import { CDN_ROLE, accessLogBucketName } from "../iam/arns";
import type { PolicyDocument } from "../iam/types";
import { evaluateSimulation, statementLabel, type Evaluation } from "./iamEval";
import { ADMINISTRATOR_ACCESS, documentOf, FULL_AWS_ACCESS, keyPolicyOf, rolePolicyReader, str, tagsOf } from "./planDocuments";
import type { AccessCell, AccessDecision, Plan, PlanResource } from "./types";
import { ELEVATED_ROLE, MODEL_BUCKET_ROLE, jitRoleTag } from "../iam/tags";

export const SCP_POLICY_TYPE = "aws:organizations/policy:Policy";
export const SCP_ATTACHMENT_TYPE = "aws:organizations/policyAttachment:PolicyAttachment";

export interface PlannedScp {
  urn: string;
  name: string;
  /** Policy id as the fake cloud computed it (attachments refer to it). */
  id: string;
  document: PolicyDocument;
  size: number;
  targets: string[];
}

/** SCPs (type SERVICE_CONTROL_POLICY) in a plan, each with its minified size and the targets it is attached to. */
export function scpsFromPlan(plan: Plan): PlannedScp[] {
  const policies = plan.resources.filter(
    (r) => r.type === SCP_POLICY_TYPE && (r.inputs.type === undefined || r.inputs.type === "SERVICE_CONTROL_POLICY"),
  );
  const attachments = plan.resources.filter((r) => r.type === SCP_ATTACHMENT_TYPE);
  return policies.map((p) => {
    const content = str(p.inputs.content) ?? "{}";
    const document = JSON.parse(content) as PolicyDocument;
    const id = str(p.outputs.id) ?? p.name;
    const targets = attachments
      .filter((a) => a.inputs.policyId === id || a.inputs.policyId === str(p.outputs.arn))
      .map((a) => str(a.inputs.targetId) ?? "?");
    return { urn: p.urn, name: str(p.inputs.name) ?? p.name, id, document, size: scpSize(document), targets };
  });
}

/** Text section for the plan renderer; empty when the plan has no SCPs. */
export function renderScpSection(plan: Plan): string[] {
  const scps = scpsFromPlan(plan);
  if (scps.length === 0) return [];
  const lines = [`Service control policies (${scps.length}; limit ${SCP_MAX_CHARS} characters each, minified)`];
  for (const s of scps) {
    const pct = Math.round((100 * s.size) / SCP_MAX_CHARS);
    lines.push(`  ${s.name}  ${s.size}/${SCP_MAX_CHARS} characters (${pct}%)  attached to: ${s.targets.join(", ") || "(nothing)"}`);
    for (const st of s.document.Statement) {
      const actions = Array.isArray(st.Action) ? st.Action : st.Action ? [st.Action] : [];
      const cond = st.Condition ? ` if ${JSON.stringify(st.Condition)}` : "";
      lines.push(`    ${st.Effect} ${st.Sid ?? "(no Sid)"}: ${actions.length} action(s) on ${JSON.stringify(st.Resource)}${cond}`);
    }
  }
  const perTarget = new Map<string, number>();
  for (const s of scps) for (const t of s.targets) perTarget.set(t, (perTarget.get(t) ?? 0) + 1);
  for (const [t, n] of perTarget) {
    lines.push(`  target ${t}: ${n} guardrail SCP(s) + FullAWSAccess = ${n + 1} of ${SCP_MAX_PER_TARGET}`);
  }
  if (scps.length > 1) lines.push(`  note: the guardrails did not fit one SCP and were split across ${scps.length} documents`);
  return lines;
}

export type Exemption = "elevated" | "deployer" | "revoker" | "broker" | "issuer" | "scheduler";

/** A principal evaluated in the SCP rows of the matrix. */
export interface ScpMatrixPrincipal {
  arn: string;
  label: string;
  identityPolicies: PolicyDocument[];
  /** The role's permissions boundary, if it has one. */
  boundary?: PolicyDocument | null;
  /**
   * The exemptions the principal holds: "elevated" (object writes), "deployer" (security changes),
   * "revoker" (the elevated role's revocation policy), "broker" (the JIT request table), "issuer"
   * (window schedules, passing the scheduler role), "scheduler" (invoking the revoker); null for a
   * principal the SCPs must stop (the workload administrator). Requests covered by one of them, and
   * unprotected ones, must decide exactly as without the SCPs; every other protected request must be
   * ExplicitlyDenied.
   */
  exempt: Exemption | Exemption[] | null;
  /** Evaluated on the JIT broker's requests only (the broker's own roles). */
  jitOnly?: boolean;
  /** Request context the principal always sends (a broker role: lambda:SourceFunctionArn of its function). */
  context?: Record<string, string>;
}

export interface ScpMatrixInput {
  accountId: string;
  partition?: string;
  /** The org stack's SCP documents (attached to the workload account's OU). */
  scps: PolicyDocument[];
  bucketName: string;
  /** The model bucket's policy, if the workload stack has one. */
  bucketPolicy?: PolicyDocument;
  /** Role ARNs whose modification rows are checked (defaults to the elevated principal's). */
  roleArn?: string;
  /** Audit trail ARN for the trail rows. */
  trailArn?: string;
  /** The trail's log bucket: its logs and its policy get rows of their own. */
  auditBucketName?: string;
  /** The model bucket's access-log bucket: nobody may delete its logs. */
  logBucketName?: string;
  /** A people's role (requester, approver, break-glass, publisher-trusted) the SCPs must keep as it is. */
  personRoleArn?: string;
  /**
   * Resources the SCPs find by their `model-vault:role` tag (the model and audit keys, the
   * distribution): the destructive request checked on each, and the resource's own policy if any.
   */
  tagged?: { arn: string; role: string; action: string; policy?: PolicyDocument }[];
  /** The JIT broker as planned: its roles, functions, table, trigger, schedules and topic get rows of their own. */
  jit?: {
    issuerRoleArn?: string;
    revokerRoleArn?: string;
    schedulerRoleArn?: string;
    functionArn?: string;
    revokerFunctionArn?: string;
    tableArn?: string;
    /** The revocation event-source mapping (its ARN; the SCP matches it by lambda:FunctionArn). */
    triggerArn?: string;
    /** A window-end schedule in the broker's schedule group (the issuer names them jit-*). */
    scheduleArn?: string;
    topicArn?: string;
  };
  principals: ScpMatrixPrincipal[];
}

export { ADMINISTRATOR_ACCESS } from "./planDocuments";

export interface ScpRequest {
  action: string;
  resource: string;
  /** Who may still do it under the SCPs ([] nobody), or null when the SCPs leave it alone. */
  protectedFor: Exemption[] | null;
  /** A request on the JIT broker (also evaluated for the broker's own roles). */
  jit?: boolean;
  /** Request context the engine cannot derive (a resource's tags). */
  context?: Record<string, string>;
  /** The resource's own policy (a key policy), when it is not the bucket's. */
  resourcePolicy?: PolicyDocument;
  /** What sets this row apart from another with the same action and resource (its context), for the reader. */
  note?: string;
}

/** The requests the SCP rows check, and whether each is a protected one (admin must be denied). */
export function scpRequests(input: ScpMatrixInput): ScpRequest[] {
  const part = input.partition ?? "aws";
  const bucket = `arn:${part}:s3:::${input.bucketName}`;
  const object = `${bucket}/models/example.safetensors`;
  const role = input.roleArn ?? `arn:${part}:iam::${input.accountId}:role/model-vault-example`;
  const trail = input.trailArn ?? `arn:${part}:cloudtrail:us-east-1:${input.accountId}:trail/model-vault-audit`;
  const only = (...who: Exemption[]) => who;
  const jit = input.jit ?? {};
  return [
    { action: "s3:GetObject", resource: object, protectedFor: null },
    { action: "s3:PutObject", resource: object, protectedFor: only("elevated") },
    { action: "s3:DeleteObject", resource: object, protectedFor: only("elevated") },
    // Publishing is the elevated role's only exemption: history and Object Lock are the deployer's.
    { action: "s3:DeleteObjectVersion", resource: object, protectedFor: only("deployer") },
    { action: "s3:BypassGovernanceRetention", resource: object, protectedFor: only("deployer") },
    { action: "s3:PutBucketPolicy", resource: bucket, protectedFor: only("deployer") },
    { action: "s3:DeleteBucketPolicy", resource: bucket, protectedFor: only("deployer") },
    { action: "s3:PutBucketPublicAccessBlock", resource: bucket, protectedFor: only("deployer") },
    { action: "s3:PutEncryptionConfiguration", resource: bucket, protectedFor: only("deployer") },
    { action: "s3:PutBucketVersioning", resource: bucket, protectedFor: only("deployer") },
    { action: "s3:PutBucketObjectLockConfiguration", resource: bucket, protectedFor: only("deployer") },
    { action: "s3:DeleteBucket", resource: bucket, protectedFor: only("deployer") },
    { action: "s3:PutAccountPublicAccessBlock", resource: "*", protectedFor: only("deployer") },
    // Losing a key loses every object (or log) it encrypts; an open distribution serves the weights to anyone.
    ...(input.tagged ?? []).map((t) => ({
      action: t.action,
      resource: t.arn,
      protectedFor: only("deployer"),
      context: { [`aws:ResourceTag/${KEY_TAG}`]: t.role },
      resourcePolicy: t.policy,
    })),
    { action: "cloudtrail:StopLogging", resource: trail, protectedFor: only("deployer") },
    ...(input.auditBucketName
      ? [
          // Every access is on record only while nobody can delete the record or cut off its delivery.
          { action: "s3:DeleteObject", resource: `arn:${part}:s3:::${input.auditBucketName}/AWSLogs/${input.accountId}/CloudTrail/example.json.gz`, protectedFor: [] },
          { action: "s3:PutBucketPolicy", resource: `arn:${part}:s3:::${input.auditBucketName}`, protectedFor: only("deployer") },
        ]
      : []),
    ...(input.logBucketName
      ? [{ action: "s3:DeleteObject", resource: `arn:${part}:s3:::${input.logBucketName}/access-logs/example`, protectedFor: [] }]
      : []),
    { action: "cloudtrail:DeleteTrail", resource: trail, protectedFor: only("deployer") },
    { action: "iam:UpdateAssumeRolePolicy", resource: role, protectedFor: only("deployer") },
    { action: "iam:AttachRolePolicy", resource: role, protectedFor: only("deployer") },
    // The revoker writes and removes the elevated role's revocation deny (jit/aws-adapters.ts).
    { action: "iam:PutRolePolicy", resource: role, protectedFor: only("deployer", "revoker"), jit: true },
    { action: "iam:DeleteRolePolicy", resource: role, protectedFor: only("deployer", "revoker"), jit: true },
    ...(jit.issuerRoleArn
      ? [
          // Whoever may re-trust or re-policy the issuer may assume the elevated role through it.
          { action: "iam:UpdateAssumeRolePolicy", resource: jit.issuerRoleArn, protectedFor: only("deployer"), jit: true },
          { action: "iam:PutRolePolicy", resource: jit.issuerRoleArn, protectedFor: only("deployer"), jit: true },
        ]
      : []),
    // Whoever changes the API function's code runs as the issuer.
    ...(jit.functionArn ? [{ action: "lambda:UpdateFunctionCode", resource: jit.functionArn, protectedFor: only("deployer"), jit: true }] : []),
    // Writing the request table directly would forge an approval.
    ...(jit.tableArn ? [{ action: "dynamodb:PutItem", resource: jit.tableArn, protectedFor: only("deployer", "broker"), jit: true }] : []),
    ...jitPlumbingRequests(jit, only),
    ...(input.personRoleArn
      ? [{ action: "iam:UpdateAssumeRolePolicy", resource: input.personRoleArn, protectedFor: only("deployer") }]
      : []),
    { action: "organizations:LeaveOrganization", resource: "*", protectedFor: [] },
  ];
}

/**
 * Issue 12's promises on the broker: its API answers only through its URL, its roles cannot be
 * passed, its trigger, schedules, topic and table settings are the deployer's; and what the broker
 * itself needs (the scheduler invoking the revoker, the issuer creating schedules and passing the
 * scheduler role) still works.
 */
function jitPlumbingRequests(jit: NonNullable<ScpMatrixInput["jit"]>, only: (...who: Exemption[]) => Exemption[]): ScpRequest[] {
  const rows: ScpRequest[] = [];
  const add = (ok: unknown, r: Omit<ScpRequest, "jit">) => {
    if (ok) rows.push({ ...r, jit: true });
  };
  // A direct invoke writes the event, the caller's identity included; a URL call does not.
  add(jit.functionArn, { action: "lambda:InvokeFunction", resource: jit.functionArn!, protectedFor: only("deployer"), note: "direct invoke" });
  add(jit.functionArn, {
    action: "lambda:InvokeFunction",
    resource: jit.functionArn!,
    protectedFor: null,
    context: { "lambda:InvokedViaFunctionUrl": "true" },
    note: "through the function URL",
  });
  add(jit.functionArn, { action: "lambda:InvokeFunctionUrl", resource: jit.functionArn!, protectedFor: null });
  add(jit.revokerFunctionArn, { action: "lambda:InvokeFunction", resource: jit.revokerFunctionArn!, protectedFor: only("deployer", "scheduler") });
  const toLambda = { "iam:PassedToService": "lambda.amazonaws.com" };
  add(jit.issuerRoleArn, { action: "iam:PassRole", resource: jit.issuerRoleArn!, protectedFor: only("deployer"), context: toLambda });
  add(jit.revokerRoleArn, { action: "iam:PassRole", resource: jit.revokerRoleArn!, protectedFor: only("deployer"), context: toLambda });
  add(jit.schedulerRoleArn, {
    action: "iam:PassRole",
    resource: jit.schedulerRoleArn!,
    protectedFor: only("deployer", "issuer"),
    context: { "iam:PassedToService": "scheduler.amazonaws.com" },
  });
  add(jit.triggerArn && jit.revokerFunctionArn, {
    action: "lambda:DeleteEventSourceMapping",
    resource: jit.triggerArn!,
    protectedFor: only("deployer"),
    context: { "lambda:FunctionArn": jit.revokerFunctionArn! },
  });
  add(jit.scheduleArn, { action: "scheduler:CreateSchedule", resource: jit.scheduleArn!, protectedFor: only("deployer", "issuer") });
  add(jit.scheduleArn, { action: "scheduler:DeleteSchedule", resource: jit.scheduleArn!, protectedFor: only("deployer", "issuer") });
  add(jit.topicArn, { action: "sns:Subscribe", resource: jit.topicArn!, protectedFor: only("deployer") });
  add(jit.tableArn, { action: "dynamodb:UpdateTimeToLive", resource: jit.tableArn!, protectedFor: only("deployer") });
  return rows;
}

/** Whether the SCPs must deny `p` this request: it is protected, and none of p's exemptions covers it. */
export function isRestricted(req: Pick<ScpRequest, "protectedFor">, p: Pick<ScpMatrixPrincipal, "exempt">): boolean {
  const held = p.exempt === null ? [] : Array.isArray(p.exempt) ? p.exempt : [p.exempt];
  return req.protectedFor !== null && !held.some((e) => req.protectedFor!.includes(e));
}

function bucketOf(resource: string): string | undefined {
  const m = /^arn:[^:]+:s3:::([^/]+)/.exec(resource);
  return m ? m[1] : undefined;
}

export interface Evaluated {
  decision: AccessDecision;
  by: string;
}

/** One IAM evaluation (identity + SCPs at root and OU level + the bucket policy for requests on the bucket). */
export async function evaluate(
  principal: string,
  action: string,
  resource: string,
  input: Pick<ScpMatrixInput, "accountId" | "bucketName" | "bucketPolicy">,
  identityPolicies: PolicyDocument[],
  scps: PolicyDocument[] | null,
  opts: { boundary?: PolicyDocument | null; context?: Record<string, string>; resourcePolicy?: PolicyDocument } = {},
): Promise<Evaluated> {
  const onBucket = bucketOf(resource) === input.bucketName;
  const sim: Simulation = {
    request: {
      principal,
      action,
      resource: { resource, accountId: input.accountId },
      // iam-simulate does not derive these from the request; AWS does.
      contextVariables: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": input.accountId, "aws:SecureTransport": "true", ...opts.context },
    },
    identityPolicies: identityPolicies.map((policy, i) => ({ name: `identity-${i + 1}`, policy })),
    permissionBoundaryPolicies: opts.boundary ? [{ name: "boundary", policy: opts.boundary }] : undefined,
    serviceControlPolicies:
      scps === null
        ? []
        : [
            { orgIdentifier: "r-root", policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }] },
            {
              orgIdentifier: "ou-workloads",
              policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }, ...scps.map((policy, i) => ({ name: `scp-${i + 1}`, policy }))],
            },
          ],
    resourceControlPolicies: [],
    resourcePolicy: opts.resourcePolicy ?? (onBucket ? input.bucketPolicy : undefined),
  };
  const e = await evaluateSimulation(sim);
  return { decision: e.decision, by: decidedBy(e) };
}

/** The statement that decided: the SCPs' first, then the bucket policy's, then the identity policy's. */
function decidedBy(e: Evaluation): string {
  const first = (reasons: (RequestGrant | RequestDenial)[], type: string, kind: string) => {
    const r = reasons.find((x) => x.policyType === type && !("denialType" in x && x.denialType === "Implicit"));
    if (!r) return undefined;
    const id = "policyIdentifier" in r && r.policyIdentifier ? `/${r.policyIdentifier}` : "";
    return `${kind}${id}/${statementLabel(r as { statementId?: string; statementIndex?: number })}`;
  };
  if (e.decision === "ExplicitlyDenied")
    return first(e.denials, "scp", "scp") ?? first(e.denials, "resource", "bucket-policy") ?? first(e.denials, "identity", "identity") ?? "explicit deny";
  if (e.decision === "Allowed") return first(e.grants, "identity", "identity") ?? first(e.grants, "resource", "bucket-policy") ?? "allow";
  return "no statement allows it";
}

/**
 * Matrix rows for the SCPs. Each principal's protected requests outside its exemption must be denied
 * (ExplicitlyDenied by the SCPs where the principal would otherwise be allowed; organizations:LeaveOrganization
 * for everyone); everything else must decide exactly as it would without the SCPs ("keeps exactly its rights"). `expected` carries that promise, so the
 * plan exits non-zero on a breach.
 */
export async function scpMatrixCells(input: ScpMatrixInput): Promise<AccessCell[]> {
  const cells: AccessCell[] = [];
  for (const p of input.principals) {
    for (const req of scpRequests(input).filter((r) => !p.jitOnly || r.jit)) {
      const opts = { boundary: p.boundary, context: { ...p.context, ...req.context }, resourcePolicy: req.resourcePolicy };
      const withScps = await evaluate(p.arn, req.action, req.resource, input, p.identityPolicies, input.scps, opts);
      const restricted = isRestricted(req, p);
      const without = async () => (await evaluate(p.arn, req.action, req.resource, input, p.identityPolicies, null, opts)).decision;
      cells.push({
        principal: p.arn,
        label: p.label,
        action: req.action,
        resource: req.resource,
        decision: withScps.decision,
        by: req.note ? `${withScps.by} (${req.note})` : withScps.by,
        expected: await expectedUnderScps(withScps.decision, restricted, without),
      });
    }
  }
  return cells;
}

/**
 * The promise for one SCP row. Outside the principal's exemption (`restricted`), what it could do
 * without the SCPs must now be denied by them, and what it could not do anyway stays denied; inside
 * it, the request must decide exactly as without the SCPs. SCPs only ever narrow access, so a
 * request allowed under them is allowed without them: the SCP-free evaluation runs only when its
 * answer can change the promise (a third of the plan's SCP-row evaluations).
 */
export async function expectedUnderScps(
  withScps: AccessDecision,
  restricted: boolean,
  withoutScps: () => Promise<AccessDecision>,
): Promise<AccessDecision> {
  if (restricted) {
    if (withScps !== "ImplicitlyDenied") return "ExplicitlyDenied";
    return (await withoutScps()) === "Allowed" ? "ExplicitlyDenied" : withScps;
  }
  return withScps === "Allowed" ? "Allowed" : withoutScps();
}

export function isBreach(c: AccessCell): boolean {
  return c.expected !== undefined && c.expected !== "AllowedOrDenied" && c.expected !== c.decision;
}

/** A concrete role ARN matching a role path-or-name pattern (wildcards filled in), for synthetic principals. */
export function exampleRoleArn(partition: string, accountId: string, pattern: string, fill = "example"): string {
  return `arn:${partition}:iam::${accountId}:role/${pattern.replace(/\*/g, fill).replace(/\?/g, "x")}`;
}

// The org rows check config patterns as the SCPs' ArnLike conditions will (iam/arnLike.ts, the one matcher).
export { arnLike };

/**
 * Build the SCP matrix input from a workload stack's plan and the org stack's SCPs and config.
 * The administrator and the deployer are synthetic (AdministratorAccess); the elevated role is the
 * plan's role tagged `model-vault:role=elevated` with its real policies when there is one. Warnings
 * report ARNs that the org patterns do not match (the exemption would then not apply to them).
 */
export function workloadScpInputs(
  plan: Plan,
  scps: PolicyDocument[],
  org: Pick<OrgConfig, "partition" | "elevatedRolePattern" | "deployerRolePattern" | "modelBucketPattern" | "auditTrailPattern"> & { jitNamePrefix?: string },
  accountId: string,
): { input: ScpMatrixInput; warnings: string[] } {
  const part = org.partition;
  const warnings: string[] = [];
  const buckets = plan.resources.filter((r) => r.type === "aws:s3/bucket:Bucket" && tagsOf(r)[KEY_TAG] === MODEL_BUCKET_ROLE);
  const bucket = buckets[0] ?? plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket");
  const bucketName = str(bucket?.inputs.bucket) ?? str(bucket?.outputs.bucket) ?? str(bucket?.outputs.id) ?? "model-vault-example";
  if (!arnLike(org.modelBucketPattern, bucketName))
    warnings.push(`bucket ${bucketName} does not match organization.modelBucketPattern ${org.modelBucketPattern}: the SCPs do not protect it`);
  const bp = plan.resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && (r.inputs.bucket === bucketName || r.inputs.bucket === str(bucket?.outputs.id)));
  const bucketPolicy = (bp ? documentOf(bp.inputs.policy) : null) ?? undefined;

  const trail = plan.resources.find((r) => r.type === "aws:cloudtrail/trail:Trail");
  const trailArn = str(trail?.outputs.arn);
  const trailName = str(trail?.inputs.name) ?? str(trail?.outputs.name);
  if (trailName && !arnLike(org.auditTrailPattern, trailName))
    warnings.push(`audit trail ${trailName} does not match organization.auditTrailPattern ${org.auditTrailPattern}: the SCPs do not protect it`);
  const auditBucketName = str(trail?.inputs.s3BucketName);
  if (auditBucketName && !arnLike(org.modelBucketPattern, auditBucketName))
    warnings.push(`audit log bucket ${auditBucketName} does not match organization.modelBucketPattern ${org.modelBucketPattern}: the SCPs do not protect its logs`);

  const principals: ScpMatrixPrincipal[] = [
    { arn: `arn:${part}:iam::${accountId}:role/workload-admin`, label: "workload administrator (synthetic: AdministratorAccess, not deployed)", identityPolicies: [ADMINISTRATOR_ACCESS], exempt: null },
  ];
  const elevated = roleTagged(plan, ELEVATED_ROLE);
  let roleArn: string | undefined;
  if (elevated) {
    const arn = str(elevated.outputs.arn) ?? exampleRoleArn(part, accountId, str(elevated.inputs.name) ?? elevated.name);
    roleArn = arn;
    if (!arnLike(roleArnPattern(part, org.elevatedRolePattern), arn))
      warnings.push(`elevated role ${arn} does not match organization.elevatedRolePattern ${org.elevatedRolePattern}: the SCPs deny it object writes`);
    const { identityPolicies, boundary } = rolePolicyReader(plan.resources, (w) => warnings.push(w))(elevated, "elevated role");
    principals.push({
      arn,
      label: "elevated role (as deployed)",
      identityPolicies: identityPolicies.map((p) => p.policy),
      boundary: boundary?.policy ?? null,
      exempt: "elevated",
    });
  } else {
    const arn = exampleRoleArn(part, accountId, org.elevatedRolePattern);
    principals.push({
      arn,
      label: "elevated role (synthetic: writes on the bucket)",
      identityPolicies: [
        {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion"], Resource: `arn:${part}:s3:::${bucketName}/*` }],
        },
      ],
      exempt: "elevated",
    });
  }
  principals.push({
    arn: exampleRoleArn(part, accountId, org.deployerRolePattern),
    label: "deployer (synthetic: AdministratorAccess)",
    identityPolicies: [ADMINISTRATOR_ACCESS],
    exempt: "deployer",
  });
  const jit = jitScpInputs(plan, org, part, principals, warnings);
  return {
    input: {
      accountId,
      partition: part,
      scps,
      bucketName,
      bucketPolicy,
      roleArn,
      trailArn,
      auditBucketName,
      logBucketName: plan.resources.some((r) => r.type === "aws:s3/bucket:Bucket" && str(r.inputs.bucket) === accessLogBucketName(bucketName)) ? accessLogBucketName(bucketName) : undefined,
      tagged: taggedScpInputs(plan),
      jit,
      principals,
    },
    warnings,
  };
}

/** The model and audit keys (with their key policies) and the distribution, as the SCPs find them: by tag. */
function taggedScpInputs(plan: Plan): NonNullable<ScpMatrixInput["tagged"]> {
  const roleOf = (r: PlanResource) => tagsOf(r)[KEY_TAG] ?? "";
  const keys = plan.resources
    .filter((r) => r.type === "aws:kms/key:Key" && PROTECTED_KEY_ROLES.includes(roleOf(r)) && str(r.outputs.arn))
    .map((r) => ({ arn: str(r.outputs.arn)!, role: roleOf(r), action: "kms:ScheduleKeyDeletion", policy: keyPolicyOf(plan.resources, r) ?? undefined }));
  const cdn = plan.resources
    .filter((r) => r.type === "aws:cloudfront/distribution:Distribution" && roleOf(r) === CDN_ROLE && str(r.outputs.arn))
    .map((r) => ({ arn: str(r.outputs.arn)!, role: roleOf(r), action: "cloudfront:UpdateDistribution" }));
  return [...keys, ...cdn];
}

/** The plan's role tagged `model-vault:role` = `tag`. */
function roleTagged(plan: Plan, tag: string): PlanResource | undefined {
  return plan.resources.find((r) => r.type === "aws:iam/role:Role" && tagsOf(r)[KEY_TAG] === tag);
}

/**
 * The JIT broker's part of the SCP rows: its issuer role, API function and request table as
 * planned, and its issuer and revoker roles, with their real policies, as principals. Warns when
 * the org's jitNamePrefix does not name them (the SCPs would then neither protect the broker nor
 * let the revoker revoke).
 */
function jitScpInputs(
  plan: Plan,
  org: { jitNamePrefix?: string },
  part: Partition,
  principals: ScpMatrixPrincipal[],
  warnings: string[],
): ScpMatrixInput["jit"] {
  const issuer = roleTagged(plan, jitRoleTag("issuer"));
  const revoker = roleTagged(plan, jitRoleTag("revoker"));
  const scheduler = roleTagged(plan, jitRoleTag("scheduler"));
  if (!issuer && !revoker) return undefined;
  const fnTagged = (part: string) => plan.resources.find((r) => r.type === "aws:lambda/function:Function" && tagsOf(r)["model-vault:jit"] === part);
  const inBroker = (type: string) => plan.resources.find((r) => r.type === type && /model-vault:access:JitBroker/.test(r.urn));
  const table = plan.resources.find((r) => r.type === "aws:dynamodb/table:Table" && tagsOf(r)["model-vault:data"] === "jit-audit");
  const revokerFunctionArn = str(fnTagged("revoker")?.outputs.arn);
  const group = inBroker("aws:scheduler/scheduleGroup:ScheduleGroup");
  const groupArn = str(group?.outputs.arn);
  const trigger = inBroker("aws:lambda/eventSourceMapping:EventSourceMapping");
  // The fake cloud gives a mapping no ARN; AWS's form is event-source-mapping:<uuid>.
  const triggerArn = trigger && revokerFunctionArn
    ? (str(trigger.outputs.arn) ?? revokerFunctionArn.replace(/:function:.*$/, `:event-source-mapping:${str(trigger.outputs.uuid) ?? "00000000-0000-0000-0000-000000000000"}`))
    : undefined;
  const jit = {
    issuerRoleArn: str(issuer?.outputs.arn),
    revokerRoleArn: str(revoker?.outputs.arn),
    schedulerRoleArn: str(scheduler?.outputs.arn),
    functionArn: str(fnTagged("api")?.outputs.arn),
    revokerFunctionArn,
    tableArn: str(table?.outputs.arn),
    triggerArn,
    scheduleArn: groupArn ? `${groupArn.replace(":schedule-group/", ":schedule/")}/jit-example` : undefined,
    topicArn: str(inBroker("aws:sns/topic:Topic")?.outputs.arn),
  };
  const prefix = org.jitNamePrefix;
  const patterns = prefix ? jitPatterns(prefix) : undefined;
  const check = (what: string, arn: string | undefined, pattern: string | undefined) => {
    if (arn && !(pattern && arnLike(pattern, arn)))
      warnings.push(`JIT broker ${what} ${arn} does not match organization.jitNamePrefix ${prefix ?? "(unset)"}: the SCPs do not cover it`);
  };
  const any = (svc: string, rest: string) => patterns && `arn:${part}:${svc}:*:*:${rest}`;
  check("API function", jit.functionArn, any("lambda", `function:${patterns?.apiFunction}`));
  check("revoker function", jit.revokerFunctionArn, any("lambda", `function:${patterns?.revokerFunction}`));
  check("request table", jit.tableArn, any("dynamodb", `table/${patterns?.names}`));
  check("schedule group", groupArn, any("scheduler", `schedule-group/${patterns?.names}`));
  check("notice topic", jit.topicArn, any("sns", `${patterns?.names}`));
  check("issuer role", jit.issuerRoleArn, patterns && roleArnPattern(part, patterns.issuerRole));
  check("revoker role", jit.revokerRoleArn, patterns && roleArnPattern(part, patterns.revokerRole));
  check("scheduler role", jit.schedulerRoleArn, patterns && roleArnPattern(part, patterns.schedulerRole));
  const read = rolePolicyReader(plan.resources, (w) => warnings.push(w));
  for (const [role, label, exempt] of [
    [issuer, "JIT issuer role (as deployed)", ["broker", "issuer"]],
    [revoker, "JIT revoker role (as deployed)", ["revoker", "broker"]],
    [scheduler, "JIT scheduler role (as deployed)", ["scheduler", "broker"]],
  ] as const) {
    const arn = role && str(role.outputs.arn);
    if (!role || !arn) continue;
    const { identityPolicies, boundary } = read(role, label);
    // Its policy is pinned to its function (jit/trust.ts pinnedToFunction): evaluate the calls the function makes.
    const fn = str(plan.resources.find((r) => r.type === "aws:lambda/function:Function" && r.inputs.role === arn)?.outputs.arn);
    const context = fn ? { "lambda:SourceFunctionArn": fn } : undefined;
    principals.push({ arn, label, identityPolicies: identityPolicies.map((p) => p.policy), boundary: boundary?.policy ?? null, exempt: [...exempt], jitOnly: true, ...(context ? { context } : {}) });
  }
  return jit;
}

/** The SCP documents and organization config of an org stack, by running its program offline. */
export async function loadOrgStack(stack: string, root?: string): Promise<{ scps: PlannedScp[]; organization: OrgConfig }> {
  // Required here, not imported, so that pure users of this module (tests of the matrix) do not load the Pulumi runtime.
  const { runProgram } = require("./run") as typeof import("./run");
  const { readStackConfig } = require("./stackFiles") as typeof import("./stackFiles");
  const { loadStackConfig } = require("../config") as typeof import("../config");
  const raw = readStackConfig(stack, root);
  const cfg = loadStackConfig(stack, raw);
  if (!cfg.organization) throw new Error(`scpStack: stack "${stack}" has no model-vault:organization section, so it deploys no SCPs`);
  const run = await runProgram(stack, { config: raw, root });
  const scps = scpsFromPlan({ project: "model-vault", stack, resources: run.resources, outputs: run.outputs });
  return { scps, organization: cfg.organization };
}

/** Minimal view of the plan builder's result (plan/build.ts PlanResult) this hook needs. */
export interface ScpHookTarget {
  plan: Plan;
  config: {
    accountId: string;
    scpStack: string | null;
    /** "prod" turns an unprotected people's role into a plan failure; otherwise a warning. */
    environment?: string;
    access?: { deployerRoleArn: string | null; publisher?: { trustedPrincipals: readonly unknown[] } | null };
    /** The people lists (config/jit.ts); entries are read for the ARNs they hold, whatever their shape. */
    jit?: { people?: readonly unknown[]; requesters?: readonly unknown[]; approvers?: readonly unknown[]; breakGlass?: readonly unknown[] };
  };
  failures: string[];
}

/** Every ARN (or ARN glob) the workload config names as a person, with the key that names it (`person:NAME` entries point into jit.people). */
export function peopleArns(config: ScpHookTarget["config"]): { key: string; arn: string }[] {
  const out: { key: string; arn: string }[] = [];
  const walk = (key: string, v: unknown): void => {
    if (typeof v === "string") {
      if (v.startsWith("arn:")) out.push({ key, arn: v });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(`${key}[${i}]`, x));
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(`${key}.${k}`, x);
  };
  // jit.people maps a person to roles only they can assume: re-trusting one makes anyone that person.
  for (const k of ["people", "requesters", "approvers", "breakGlass"] as const) walk(`jit.${k}`, config.jit?.[k] ?? []);
  walk("publisher.trustedPrincipals", config.access?.publisher?.trustedPrincipals ?? []);
  return out;
}

/**
 * The people's principals the org's SCPs leave open: a role that is neither an Identity Center role
 * nor covered by organization.humanRolePatterns (an administrator could re-trust it and act as that
 * person), a user outside organization.humanUserPatterns, or a principal that is neither.
 */
export function uncoveredPeople(config: ScpHookTarget["config"], org: Pick<OrgConfig, "humanRolePatterns" | "humanUserPatterns">): string[] {
  const problems: string[] = [];
  for (const { key, arn } of peopleArns(config)) {
    const p = personPrincipal(arn);
    if (personCovered(p, org)) continue;
    if (p.kind === "role")
      problems.push(`${key}: role ${p.pathOrName} (${arn}) is not an IAM Identity Center role and no organization.humanRolePatterns entry covers it: an administrator could re-trust it and act as that person`);
    else if (p.kind === "user")
      problems.push(`${key}: IAM user ${p.pathOrName} (${arn}) is not covered by organization.humanUserPatterns: an administrator could mint its keys or remove its MFA`);
    else problems.push(`${key}: ${arn} is neither a role nor an IAM user, so no SCP can keep it from being taken over`);
  }
  return problems;
}

/** A people's role of the workload account that the SCPs cover (not an Identity Center one), for a row. */
function coveredPersonRole(config: ScpHookTarget["config"], org: Pick<OrgConfig, "partition" | "humanRolePatterns" | "humanUserPatterns">): string | undefined {
  for (const { arn } of peopleArns(config)) {
    const p = personPrincipal(arn);
    if (p.kind !== "role" || /[*?]/.test(p.pathOrName) || isIdentityCenterRole(p) || !personCovered(p, org)) continue;
    return `arn:${org.partition}:iam::${config.accountId}:role/${p.pathOrName}`;
  }
  return undefined;
}

/**
 * Plan hook for workload stacks with `scpStack` set: runs the org stack offline, appends the SCP rows
 * to `plan.access` (breaches to `failures`, pattern mismatches to `plan.warnings`) and returns the SCP
 * documents so the general access matrix can include them (computeAccessMatrix(plan, cfg, { scps })).
 * Returns [] and does nothing when the stack has no scpStack. Call after the workload plan is built.
 */
export async function applyScpStack(
  result: ScpHookTarget,
  opts: { deployerRoleArn?: string | null; root?: string } = {},
): Promise<PolicyDocument[]> {
  const stack = result.config.scpStack;
  if (!stack) return [];
  const { scps, organization } = await loadOrgStack(stack, opts.root);
  // The workload's own deployer role (access.deployerRoleArn), when set, replaces the synthetic one.
  const deployerRoleArn = opts.deployerRoleArn ?? result.config.access?.deployerRoleArn ?? null;
  return applyScpDocuments(result, stack, scps.map((s) => s.document), organization, { deployerRoleArn });
}

/** applyScpStack with the org stack's SCP documents and organization config already in hand. */
export async function applyScpDocuments(
  result: ScpHookTarget,
  stack: string,
  documents: PolicyDocument[],
  organization: OrgConfig,
  opts: { deployerRoleArn?: string | null } = {},
): Promise<PolicyDocument[]> {
  const { input, warnings } = workloadScpInputs(result.plan, documents, organization, result.config.accountId);
  input.personRoleArn = coveredPersonRole(result.config, organization);
  const people = uncoveredPeople(result.config, organization);
  if (result.config.environment === "prod")
    result.failures.push(...people.map((p) => `people under the SCPs of stack ${stack} (organization.humanRolePatterns / humanUserPatterns): ${p}`));
  else warnings.push(...people);
  if (opts.deployerRoleArn) {
    if (!arnLike(roleArnPattern(organization.partition, organization.deployerRolePattern), opts.deployerRoleArn))
      warnings.push(`deployer role ${opts.deployerRoleArn} does not match organization.deployerRolePattern ${organization.deployerRolePattern}: the SCPs deny it security changes`);
    const d = input.principals.find((p) => p.exempt === "deployer");
    if (d) d.arn = opts.deployerRoleArn;
  }
  const cells = (await scpMatrixCells(input)).map((c) => ({ ...c, label: `${SCP_LABEL_PREFIX}${c.label}` }));
  result.plan.access = [...(result.plan.access ?? []), ...cells];
  result.plan.warnings = [...(result.plan.warnings ?? []), ...warnings.map((w) => `scpStack ${stack}: ${w}`)];
  for (const c of cells.filter(isBreach))
    result.failures.push(`access matrix (SCPs of stack ${stack}): ${c.label} ${c.action} on ${c.resource} is ${c.decision}, expected ${c.expected} (${c.by})`);
  return documents;
}

/** Labels of the SCP rows in plan.access start with this, so renderers can group them. */
export const SCP_LABEL_PREFIX = "under SCPs: ";

/** Text section for the SCP rows of the matrix. */
export function renderScpMatrixSection(plan: Plan): string[] {
  const cells = (plan.access ?? []).filter((c) => c.label.startsWith(SCP_LABEL_PREFIX));
  if (cells.length === 0) return [];
  const lines = [`Access under the org stack's SCPs (iam-simulate: identity policy + bucket policy + FullAWSAccess + guardrail SCPs)`];
  const byLabel = new Map<string, AccessCell[]>();
  for (const c of cells) byLabel.set(c.label, [...(byLabel.get(c.label) ?? []), c]);
  for (const [label, list] of byLabel) {
    lines.push(`  ${label.slice(SCP_LABEL_PREFIX.length)}  ${list[0].principal}`);
    for (const c of list) {
      const mark = isBreach(c) ? "BREACH" : "ok";
      lines.push(`    ${mark.padEnd(6)} ${c.decision.padEnd(16)} ${c.action.padEnd(36)} ${c.resource}  [${c.by}]`);
    }
  }
  return lines;
}

/** Every org section for the text plan: the SCPs an org stack deploys, and the SCP rows of a workload's matrix. */
export function renderOrgSections(plan: Plan): string[][] {
  return [renderScpSection(plan), renderScpMatrixSection(plan)];
}
