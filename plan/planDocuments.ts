// The one reader of the planned documents (planDocuments below): IAM documents and tags read back
// out of a plan's registered inputs, the org layers (plan/orgLayers.ts), and the AWS-managed policies
// the question sets stand in for (synthetic: evaluated, never deployed).
import { parseArn } from "../iam/arn";
import type { PolicyDocument, Statement } from "../iam/types";
import { asOrgLayers, type OrgInput, type OrgLayers } from "./orgLayers";
import type { Plan, PlanResource } from "./types";
import { ROLE_TAG } from "../iam/tags";

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** An IAM document input: the provider receives JSON text, tests may register objects. */
export function documentOf(v: unknown): PolicyDocument | null {
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as PolicyDocument;
    } catch {
      return null;
    }
  }
  return v && typeof v === "object" ? (v as PolicyDocument) : null;
}

export function tagsOf(r: PlanResource): Record<string, string> {
  const t = r.inputs.tags;
  return t && typeof t === "object" ? (t as Record<string, string>) : {};
}

/** An output, or the input of the same name when the fake cloud computed none. */
/** A resource's `model-vault:role` tag (iam/tags.ts): how the plan's readers find model-vault's parts. */
export function roleTagOf(r: PlanResource): string | undefined {
  return tagsOf(r)[ROLE_TAG];
}

/** The resources of a type tagged `model-vault:role` = `role`, in plan order. */
export function taggedWith(resources: PlanResource[], type: string, role: string): PlanResource[] {
  return resources.filter((r) => r.type === type && roleTagOf(r) === role);
}

export function outOrIn(r: PlanResource, key: string): string | undefined {
  return str(r.outputs[key]) ?? str(r.inputs[key]);
}

/** A KMS key's policy: its aws.kms.KeyPolicy resource when the plan has one, else the Key's own `policy` input. */
export function keyPolicyOf(resources: PlanResource[], key: PlanResource): PolicyDocument | null {
  const refs = new Set([outOrIn(key, "arn"), outOrIn(key, "keyId"), outOrIn(key, "id")].filter(Boolean));
  const own = resources.find((r) => r.type === "aws:kms/keyPolicy:KeyPolicy" && refs.has(str(r.inputs.keyId)));
  return documentOf(own?.inputs.policy ?? key.inputs.policy);
}

/**
 * A bucket's policy: the aws.s3.BucketPolicy resource naming the bucket (by name, or by the bucket
 * resource's id or name). The one reader the design matrix, the SCP rows and the attacker paths use.
 */
export function bucketPolicyOf(resources: PlanResource[], bucket: string | PlanResource): PolicyDocument | null {
  const refs = new Set(typeof bucket === "string" ? [bucket] : [outOrIn(bucket, "id"), outOrIn(bucket, "bucket")].filter(Boolean));
  return documentOf(resources.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy" && refs.has(str(r.inputs.bucket)))?.inputs.policy);
}

export interface NamedPolicy {
  name: string;
  policy: PolicyDocument;
}

/** What IAM evaluates for a role: its identity policies and its permissions boundary. */
export interface RolePolicies {
  identityPolicies: NamedPolicy[];
  boundary: NamedPolicy | null;
}

/** What an account administrator typically holds. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};

export { FULL_AWS_ACCESS } from "./orgLayers";

/**
 * A Lambda function's resource policy from the plan's aws.lambda.Permission resources, as AWS builds
 * it from their arguments. https://docs.aws.amazon.com/lambda/latest/dg/access-control-resource-based.html
 */
export function functionPolicyOf(resources: PlanResource[], fn: PlanResource): PolicyDocument | null {
  const refs = new Set([outOrIn(fn, "arn"), outOrIn(fn, "name"), outOrIn(fn, "id")].filter(Boolean));
  const arn = outOrIn(fn, "arn")!;
  const statements: Statement[] = [];
  for (const p of resources.filter((r) => r.type === "aws:lambda/permission:Permission" && refs.has(str(r.inputs.function)))) {
    const who = str(p.inputs.principal) ?? "*";
    const principal = /^\d{12}$/.test(who) ? { AWS: `arn:${parseArn(arn)?.partition ?? "aws"}:iam::${who}:root` } : who.includes(".amazonaws.com") ? { Service: who } : who === "*" ? "*" : { AWS: who };
    const cond: Record<string, Record<string, string>> = {};
    const put = (op: string, k: string, v: unknown) => {
      if (v === undefined || v === null || v === "") return;
      cond[op] = { ...(cond[op] ?? {}), [k]: String(v) };
    };
    // The Permission arguments AWS turns into conditions (same page).
    put("Bool", "lambda:InvokedViaFunctionUrl", p.inputs.invokedViaFunctionUrl === true ? "true" : undefined);
    put("StringEquals", "lambda:FunctionUrlAuthType", p.inputs.functionUrlAuthType);
    put("StringEquals", "aws:SourceAccount", p.inputs.sourceAccount);
    put("ArnLike", "aws:SourceArn", p.inputs.sourceArn);
    put("StringEquals", "aws:PrincipalOrgID", p.inputs.principalOrgId);
    statements.push({ Sid: p.name, Effect: "Allow", Principal: principal, Action: str(p.inputs.action) ?? "lambda:InvokeFunction", Resource: arn, ...(Object.keys(cond).length ? { Condition: cond } : {}) });
  }
  return statements.length ? { Version: "2012-10-17", Statement: statements } : null;
}

/** A function's URL (aws.lambda.FunctionUrl naming it) and its auth type ("AWS_IAM" or "NONE"). */
export function functionUrlOf(resources: PlanResource[], fn: PlanResource): { authType: string } | undefined {
  const names = new Set([outOrIn(fn, "arn"), outOrIn(fn, "name"), outOrIn(fn, "id")].filter(Boolean));
  const url = resources.find((u) => u.type === "aws:lambda/functionUrl:FunctionUrl" && names.has(str(u.inputs.functionName)));
  return url ? { authType: str(url.inputs.authorizationType) ?? "AWS_IAM" } : undefined;
}

/** An SNS topic's policy: its aws.sns.TopicPolicy resource when the plan has one, else the Topic's own `policy` input. */
export function topicPolicyOf(resources: PlanResource[], topic: PlanResource): PolicyDocument | null {
  const arn = outOrIn(topic, "arn");
  const own = resources.find((r) => r.type === "aws:sns/topicPolicy:TopicPolicy" && str(r.inputs.arn) === arn);
  return documentOf(own?.inputs.policy ?? topic.inputs.policy);
}

/** What the plan registers for a role: its policies, its trust, and the customer-managed policies attached (ARNs in the plan). */
export interface RoleDocuments extends RolePolicies {
  trust: PolicyDocument | null;
  attachedPolicyArns: string[];
}

/**
 * The one reader of the planned documents: per principal (identity policies inline and attached,
 * boundary, trust), per resource (bucket, key, function, topic policies) and the organization's SCP
 * and RCP layers. The design matrix (plan/access.ts), the SCP rows (plan/scpInputs.ts) and the
 * attacker paths (plan/paths/principals.ts) all read through it.
 */
export interface PlanDocuments {
  /** The resources that exist in AWS (components left out). */
  resources: PlanResource[];
  ofType(type: string): PlanResource[];
  role(role: PlanResource, label: string, warn: (message: string) => void): RoleDocuments;
  bucketPolicy(bucket: string | PlanResource): PolicyDocument | null;
  keyPolicy(key: PlanResource): PolicyDocument | null;
  functionPolicy(fn: PlanResource): PolicyDocument | null;
  functionUrl(fn: PlanResource): { authType: string } | undefined;
  topicPolicy(topic: PlanResource): PolicyDocument | null;
  /** S3 Block Public Access's RestrictPublicBuckets is on for the account or this bucket (the engine applies it to S3 requests). */
  blockPublicAccess(bucket: PlanResource): boolean;
  /** The organization's SCP and RCP layers over this stack's account (none without an org). */
  org: OrgLayers;
}

export function planDocuments(plan: Pick<Plan, "resources">, org?: OrgInput): PlanDocuments {
  const resources = plan.resources.filter((r) => r.custom);
  const byType = new Map<string, PlanResource[]>();
  for (const r of resources) {
    const list = byType.get(r.type);
    if (list) list.push(r);
    else byType.set(r.type, [r]);
  }
  const ofType = (t: string) => byType.get(t) ?? [];
  const managed = new Map<string, PolicyDocument>();
  for (const p of ofType("aws:iam/policy:Policy")) {
    const d = documentOf(p.inputs.policy);
    const arn = outOrIn(p, "arn");
    if (d && arn) managed.set(arn, d);
  }
  // The role policies and attachments by the role they name: each role reads its own, not all of them.
  let byRole: { policies: RoleRefIndex; attachments: RoleRefIndex } | undefined;
  const of = () =>
    (byRole ??= { policies: roleRefIndex(ofType("aws:iam/rolePolicy:RolePolicy")), attachments: roleRefIndex(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")) });
  return {
    resources,
    ofType,
    role: (role, label, warn) => readRole(role, label, warn, of(), managed),
    bucketPolicy: (b) => bucketPolicyOf(resources, b),
    keyPolicy: (k) => keyPolicyOf(resources, k),
    functionPolicy: (f) => functionPolicyOf(resources, f),
    functionUrl: (f) => functionUrlOf(resources, f),
    topicPolicy: (t) => topicPolicyOf(resources, t),
    blockPublicAccess: (bucket) => {
      const refs = new Set([outOrIn(bucket, "id"), outOrIn(bucket, "bucket")].filter(Boolean));
      return (
        ofType("aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock").some((r) => r.inputs.restrictPublicBuckets === true) ||
        ofType("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").some((r) => refs.has(str(r.inputs.bucket)) && r.inputs.restrictPublicBuckets === true)
      );
    },
    org: asOrgLayers(org),
  };
}

/** Resources naming a role (`inputs.role`), by the name, id or ARN they give, with their place in the plan. */
type RoleRefIndex = { resources: PlanResource[]; byRef: Map<string, number[]> };

function roleRefIndex(resources: PlanResource[]): RoleRefIndex {
  const byRef = new Map<string, number[]>();
  resources.forEach((r, i) => {
    const ref = str(r.inputs.role);
    if (ref === undefined) return;
    const list = byRef.get(ref);
    if (list) list.push(i);
    else byRef.set(ref, [i]);
  });
  return { resources, byRef };
}

/** The resources naming any of these refs, in plan order (as filtering the whole list would give them). */
function naming(index: RoleRefIndex, refs: Set<string | undefined>): PlanResource[] {
  const at = new Set<number>();
  for (const ref of refs) if (ref !== undefined) for (const i of index.byRef.get(ref) ?? []) at.add(i);
  return [...at].sort((a, b) => a - b).map((i) => index.resources[i]);
}

/**
 * A role's policies: aws.iam.RolePolicy resources and `inlinePolicies`, managed policies attached by
 * aws.iam.RolePolicyAttachment, the permissions boundary, and its trust. A managed policy or boundary
 * that is not in the plan (AWS-managed, another stack's) cannot be evaluated: `warn` hears of it and
 * the role is evaluated without it.
 */
function readRole(
  role: PlanResource,
  label: string,
  warn: (message: string) => void,
  index: { policies: RoleRefIndex; attachments: RoleRefIndex },
  managed: Map<string, PolicyDocument>,
): RoleDocuments {
  const refs = new Set([outOrIn(role, "id"), outOrIn(role, "name"), outOrIn(role, "arn")].filter(Boolean));
  const identityPolicies: NamedPolicy[] = [];
  for (const rp of naming(index.policies, refs)) {
    const d = documentOf(rp.inputs.policy);
    if (d) identityPolicies.push({ name: rp.name, policy: d });
  }
  const embedded = role.inputs.inlinePolicies;
  if (Array.isArray(embedded)) {
    for (const ip of embedded as { name?: string; policy?: string }[]) {
      const d = documentOf(ip.policy);
      if (d) identityPolicies.push({ name: ip.name ?? `${role.name}-inline`, policy: d });
    }
  }
  const attachedPolicyArns: string[] = [];
  for (const a of naming(index.attachments, refs)) {
    const arn = str(a.inputs.policyArn)!;
    const d = managed.get(arn);
    if (d) {
      identityPolicies.push({ name: a.name, policy: d });
      attachedPolicyArns.push(arn);
    } else warn(`${label}: managed policy ${arn} is not in the plan; evaluated without it`);
  }
  let boundary: NamedPolicy | null = null;
  const b = str(role.inputs.permissionsBoundary);
  if (b) {
    const d = managed.get(b);
    if (d) boundary = { name: b, policy: d };
    else warn(`${label}: permissions boundary ${b} is not in the plan; evaluated without it (a boundary can only narrow access)`);
  }
  return { identityPolicies, boundary, trust: documentOf(role.inputs.assumeRolePolicy), attachedPolicyArns };
}

/** A role's identity policies and boundary (the reader's role(), for callers holding only resources). */
export function rolePolicyReader(resources: PlanResource[], warn: (message: string) => void): (role: PlanResource, label: string) => RolePolicies {
  const docs = planDocuments({ resources });
  return (role, label) => {
    const { identityPolicies, boundary } = docs.role(role, label, warn);
    return { identityPolicies, boundary };
  };
}
