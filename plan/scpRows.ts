// The SCP rows of the access matrix: the requests, who is exempt, one IAM evaluation per cell
// (identity + SCPs + the bucket policy), and what each cell must be. Dev tooling only (iam-simulate, AGPL-3.0).
import { KEY_TAG } from "../iam/scp";
import type { PolicyDocument } from "../iam/types";
import { decide, type EvalRequest } from "./decide";
import { runQuestions, type Question } from "./questions";
import { breaksExpectation } from "./expectation";
import { asOrgLayers, orgKeysOf, withoutScps, type OrgInput } from "./orgLayers";
import type { AccessCell, AccessDecision } from "./types";

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
  /** The org stack's SCP and RCP layers (plan/orgLayers.ts), or bare SCP documents (attached to the workload account's OU). */
  scps: OrgInput;
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
    /** The notice topic's policy (its aws.sns.TopicPolicy or `policy` input), when it has one. */
    topicPolicy?: PolicyDocument;
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
  add(jit.topicArn, { action: "sns:Subscribe", resource: jit.topicArn!, protectedFor: only("deployer"), resourcePolicy: jit.topicPolicy });
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

type EvalInput = Pick<ScpMatrixInput, "accountId" | "bucketName" | "bucketPolicy">;
type EvalOpts = { boundary?: PolicyDocument | null; context?: Record<string, string>; resourcePolicy?: PolicyDocument };

/**
 * One IAM evaluation (identity + the org's SCP and RCP layers + the bucket policy for requests on the
 * bucket); null `scps` asks it with no organization policies at all.
 */
export async function evaluate(
  principal: string,
  action: string,
  resource: string,
  input: EvalInput,
  identityPolicies: PolicyDocument[],
  scps: OrgInput | null,
  opts: EvalOpts = {},
): Promise<Evaluated> {
  return decide(scpEvalRequest(principal, action, resource, input, identityPolicies, scps, opts), WHO);
}

const WHO = "SCP rows";

/** The request of one SCP row under these org layers (null: none). */
function scpEvalRequest(
  principal: string,
  action: string,
  resource: string,
  input: EvalInput,
  identityPolicies: PolicyDocument[],
  scps: OrgInput | null,
  opts: EvalOpts,
): EvalRequest {
  const onBucket = bucketOf(resource) === input.bucketName;
  const org = asOrgLayers(scps ?? undefined);
  return {
    principal,
    action,
    resource,
    resourceAccount: input.accountId,
    // iam-simulate does not derive these from the request; AWS does.
    context: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": input.accountId, "aws:SecureTransport": "true", ...opts.context },
    identityPolicies: identityPolicies.map((policy, i) => ({ name: `identity-${i + 1}`, policy })),
    boundary: opts.boundary ? { name: "boundary", policy: opts.boundary } : null,
    resourcePolicy: opts.resourcePolicy ?? (onBucket ? input.bucketPolicy : undefined),
    resourceName: opts.resourcePolicy ? "resource-policy" : "bucket-policy",
    scps: org.scps,
    rcps: org.rcps,
    ...orgKeysOf(org, principal, opts.context ?? {}, input.accountId),
  };
}

/**
 * Matrix rows for the SCPs. Each principal's protected requests outside its exemption must be denied
 * (ExplicitlyDenied by the SCPs where the principal would otherwise be allowed; organizations:LeaveOrganization
 * for everyone); everything else must decide exactly as it would without the SCPs ("keeps exactly its rights"). `expected` carries that promise, so the
 * plan exits non-zero on a breach.
 */
export async function scpMatrixCells(input: ScpMatrixInput): Promise<AccessCell[]> {
  const answered = await runQuestions(scpQuestions(input), WHO);
  return answered.map(({ question: q, decision, by, expected }) => ({ principal: q.principal, label: q.label, action: q.action, resource: q.resource, decision, by, expected, kind: q.kind }));
}

/** The SCP rows as questions: each principal x protected or kept request, with the promise found from the answer. */
export function scpQuestions(input: ScpMatrixInput): Question<undefined, "scp">[] {
  return input.principals.flatMap((p) =>
    scpRequests(input)
      .filter((r) => !p.jitOnly || r.jit)
      .map((req) => {
        const opts = { boundary: p.boundary, context: { ...p.context, ...req.context }, resourcePolicy: req.resourcePolicy };
        const restricted = isRestricted(req, p);
        // The RCPs stay: the comparison is with the same organization minus its SCPs.
        const without = async () => (await evaluate(p.arn, req.action, req.resource, input, p.identityPolicies, withoutScps(asOrgLayers(input.scps)), opts)).decision;
        return {
          kind: "scp" as const,
          principal: p.arn,
          label: p.label,
          action: req.action,
          resource: req.resource,
          steps: [{ request: scpEvalRequest(p.arn, req.action, req.resource, input, p.identityPolicies, input.scps, opts) }],
          expected: (withScps: AccessDecision) => expectedUnderScps(withScps, restricted, without),
          note: req.note,
          denyKindMatters: true,
          extra: undefined,
        };
      }),
  );
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

/** Every broken promise of an SCP row is a breach. */
export function isBreach(c: AccessCell): boolean {
  return breaksExpectation(c);
}
