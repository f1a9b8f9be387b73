// A tiny hand-made *plan* (registered resources, as `npm run plan -- --json` lists them): one model
// bucket, its key, and whatever roles, functions and organization policies a case adds. The specs of
// the one reader (plan/planDocuments.ts, plan/orgLayers.ts) build on it, so each case goes through
// the same reading as a real stack's plan.
import type { PathsConfig } from "../../plan/paths";
import type { Plan, PlanResource } from "../../plan/types";
import type { PolicyDocument } from "../../iam/types";
import { CONSUMER_ROLE, MODEL_BUCKET_ROLE, MODEL_KEY_ROLE, ROLE_TAG } from "../../iam/tags";
import { TINY_ACCOUNT, allow, doc } from "./tinyPathModel";

export { TINY_ACCOUNT, allow, doc };

export const TINY_BUCKET = "tiny-models";
export const TINY_BUCKET_ARN = `arn:aws:s3:::${TINY_BUCKET}`;
export const TINY_KEY_ARN = `arn:aws:kms:us-east-1:${TINY_ACCOUNT}:key/11111111-1111-1111-1111-111111111111`;
export const OTHER_ACCOUNT_ROOT = "arn:aws:iam::999999999999:root";

let n = 0;
export function resource(type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): PlanResource {
  n++;
  return { urn: `urn:pulumi:tiny::model-vault::${type}::${name}-${n}`, type, name, parent: null, custom: true, inputs, outputs: { ...inputs, ...outputs }, options: { protect: false, retainOnDelete: false } };
}

const json = (d: PolicyDocument) => JSON.stringify(d);

/** The bucket and its key (whose policy leaves the account's IAM policies to decide, as AWS's default does). */
export function tinyBase(): PlanResource[] {
  return [
    resource("aws:s3/bucket:Bucket", "models", { bucket: TINY_BUCKET, tags: { [ROLE_TAG]: MODEL_BUCKET_ROLE } }, { arn: TINY_BUCKET_ARN, id: TINY_BUCKET }),
    resource(
      "aws:kms/key:Key",
      "models-key",
      {
        tags: { [ROLE_TAG]: MODEL_KEY_ROLE },
        policy: json(doc({ Sid: "Account", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${TINY_ACCOUNT}:root` }, Action: "kms:*", Resource: "*" })),
      },
      { arn: TINY_KEY_ARN, keyId: TINY_KEY_ARN.split("/").pop() },
    ),
  ];
}

/** A role with a trust and one inline policy (an aws.iam.RolePolicy resource). */
export function tinyRole(name: string, trust: PolicyDocument, policy: PolicyDocument | null, tags: Record<string, string> = {}): PlanResource[] {
  const arn = `arn:aws:iam::${TINY_ACCOUNT}:role/model-vault/${name}`;
  const role = resource("aws:iam/role:Role", name, { name, path: "/model-vault/", assumeRolePolicy: json(trust), tags }, { arn, id: name });
  return policy ? [role, resource("aws:iam/rolePolicy:RolePolicy", `${name}-policy`, { role: name, policy: json(policy) })] : [role];
}

export const roleArn = (name: string) => `arn:aws:iam::${TINY_ACCOUNT}:role/model-vault/${name}`;

/** What a consumer of the bucket holds: read its objects and decrypt through S3. */
export const READ_WEIGHTS = doc(allow("s3:GetObject", `${TINY_BUCKET_ARN}/*`), allow("kms:Decrypt", TINY_KEY_ARN));

/** A consumer role the given principal may assume. */
export const consumerRole = (name: string, trusted: string) => tinyRole(name, doc({ Effect: "Allow", Principal: { AWS: trusted }, Action: "sts:AssumeRole" }), READ_WEIGHTS, { [ROLE_TAG]: CONSUMER_ROLE });

/** An organization policy (SCP or RCP) attached to each target, as the org stack registers them. */
export function orgPolicy(name: string, type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY", document: PolicyDocument, targets: string[]): PlanResource[] {
  const id = `p-${name}`;
  return [
    resource("aws:organizations/policy:Policy", name, { name, type, content: json(document) }, { id, arn: `arn:aws:organizations::000000000000:policy/o-tiny/${id}` }),
    ...targets.map((targetId) => resource("aws:organizations/policyAttachment:PolicyAttachment", `${name}-${targetId}`, { policyId: id, targetId })),
  ];
}

export function tinyPlan(...resources: PlanResource[][]): Plan {
  return { project: "model-vault", stack: "tiny", resources: [...tinyBase(), ...resources.flat()], outputs: {} };
}

/** A stack config with nothing but the account: no consumers declared, no publisher, no broker. */
export function tinyConfig(over: Partial<PathsConfig["access"]> = {}): PathsConfig {
  return {
    accountId: TINY_ACCOUNT,
    region: "us-east-1",
    access: { consumers: [], publisher: null, deployerRoleArn: null, permissionsBoundaryArn: null, network: null, ...over },
    jit: { enabled: false, requesters: [], approvers: [], breakGlass: [] },
  };
}
