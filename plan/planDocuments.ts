// Reading IAM documents and tags back out of a plan's registered inputs, and the AWS-managed
// policies the matrices stand in for (synthetic: evaluated, never deployed). Shared by the access
// matrix (plan/access.ts) and the SCP rows (plan/orgScps.ts).
import type { PolicyDocument } from "../iam/types";
import type { PlanResource } from "./types";
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

/**
 * Reads the policies of the plan's roles: aws.iam.RolePolicy resources and `inlinePolicies`, managed
 * policies attached by aws.iam.RolePolicyAttachment, and the permissions boundary. A managed policy
 * or boundary that is not in the plan (AWS-managed, another stack's) cannot be evaluated: `warn`
 * hears of it and the role is evaluated without it.
 */
export function rolePolicyReader(resources: PlanResource[], warn: (message: string) => void): (role: PlanResource, label: string) => RolePolicies {
  const ofType = (t: string) => resources.filter((r) => r.custom && r.type === t);
  const managed = new Map<string, PolicyDocument>();
  for (const p of ofType("aws:iam/policy:Policy")) {
    const d = documentOf(p.inputs.policy);
    const arn = outOrIn(p, "arn");
    if (d && arn) managed.set(arn, d);
  }
  const inline = ofType("aws:iam/rolePolicy:RolePolicy");
  const attachments = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment");
  return (role, label) => {
    const refs = new Set([outOrIn(role, "id"), outOrIn(role, "name"), outOrIn(role, "arn")].filter(Boolean));
    const identityPolicies: NamedPolicy[] = [];
    for (const rp of inline.filter((p) => refs.has(str(p.inputs.role)))) {
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
    for (const a of attachments.filter((p) => refs.has(str(p.inputs.role)))) {
      const arn = str(a.inputs.policyArn)!;
      const d = managed.get(arn);
      if (d) identityPolicies.push({ name: a.name, policy: d });
      else warn(`${label}: managed policy ${arn} is not in the plan; evaluated without it`);
    }
    let boundary: NamedPolicy | null = null;
    const b = str(role.inputs.permissionsBoundary);
    if (b) {
      const d = managed.get(b);
      if (d) boundary = { name: b, policy: d };
      else warn(`${label}: permissions boundary ${b} is not in the plan; evaluated without it (a boundary can only narrow access)`);
    }
    return { identityPolicies, boundary };
  };
}

/** What an account administrator typically holds. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};

/** The SCP AWS attaches to every root, OU and account by default. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "FullAWSAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};

/**
 * The planned SCPs as the engine takes them: one OU holding FullAWSAccess and the guardrails, named
 * scp-1, scp-2 ... (answers cite them so); none when there are none.
 */
export function scpLayers(scps: readonly PolicyDocument[]): { orgIdentifier: string; policies: NamedPolicy[] }[] {
  return scps.length === 0 ? [] : [{ orgIdentifier: "ou-plan", policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }, ...scps.map((policy, i) => ({ name: `scp-${i + 1}`, policy }))] }];
}
