// What the SCP rows need of a workload stack's plan: the bucket and its policy, the trail, the
// roles and their policies, the tagged keys and distribution, and the JIT broker's parts.
import { arnLike } from "../iam/arnLike";
import type { OrgConfig } from "../config/org";
import { PROTECTED_KEY_ROLES, jitPatterns, roleArnPattern, type Partition } from "../iam/scp";
import { CDN_ROLE, accessLogBucketName } from "../iam/arns";
import type { OrgInput } from "./orgLayers";
import { ADMINISTRATOR_ACCESS, planDocuments, roleTagOf, str, taggedWith, tagsOf, type PlanDocuments } from "./planDocuments";
import type { Plan, PlanResource } from "./types";
import { DATA_TAG, ELEVATED_ROLE, JIT_AUDIT_DATA, MODEL_BUCKET_ROLE, jitRoleTag } from "../iam/tags";
import { type ScpMatrixInput, type ScpMatrixPrincipal } from "./scpRows";

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
  scps: OrgInput,
  org: Pick<OrgConfig, "partition" | "elevatedRolePattern" | "deployerRolePattern" | "modelBucketPattern" | "auditTrailPattern"> & { jitNamePrefix?: string },
  accountId: string,
): { input: ScpMatrixInput; warnings: string[] } {
  const part = org.partition;
  const warnings: string[] = [];
  const docs = planDocuments(plan, scps);
  const buckets = taggedWith(plan.resources, "aws:s3/bucket:Bucket", MODEL_BUCKET_ROLE);
  const bucket = buckets[0] ?? plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket");
  const bucketName = str(bucket?.inputs.bucket) ?? str(bucket?.outputs.bucket) ?? str(bucket?.outputs.id) ?? "model-vault-example";
  if (!arnLike(org.modelBucketPattern, bucketName))
    warnings.push(`bucket ${bucketName} does not match organization.modelBucketPattern ${org.modelBucketPattern}: the SCPs do not protect it`);
  const bucketPolicy = (bucket ? docs.bucketPolicy(bucket) : null) ?? undefined;

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
    const { identityPolicies, boundary } = docs.role(elevated, "elevated role", (w) => warnings.push(w));
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
  const jit = jitScpInputs(plan, docs, org, part, principals, warnings);
  return {
    input: {
      accountId,
      partition: part,
      scps: docs.org,
      bucketName,
      bucketPolicy,
      roleArn,
      trailArn,
      auditBucketName,
      logBucketName: plan.resources.some((r) => r.type === "aws:s3/bucket:Bucket" && str(r.inputs.bucket) === accessLogBucketName(bucketName)) ? accessLogBucketName(bucketName) : undefined,
      tagged: taggedScpInputs(plan, docs),
      jit,
      principals,
    },
    warnings,
  };
}

/** The model and audit keys (with their key policies) and the distribution, as the SCPs find them: by tag. */
function taggedScpInputs(plan: Plan, docs: PlanDocuments): NonNullable<ScpMatrixInput["tagged"]> {
  const roleOf = (r: PlanResource) => roleTagOf(r) ?? "";
  const keys = plan.resources
    .filter((r) => r.type === "aws:kms/key:Key" && PROTECTED_KEY_ROLES.includes(roleOf(r)) && str(r.outputs.arn))
    .map((r) => ({ arn: str(r.outputs.arn)!, role: roleOf(r), action: "kms:ScheduleKeyDeletion", policy: docs.keyPolicy(r) ?? undefined }));
  const cdn = plan.resources
    .filter((r) => r.type === "aws:cloudfront/distribution:Distribution" && roleOf(r) === CDN_ROLE && str(r.outputs.arn))
    .map((r) => ({ arn: str(r.outputs.arn)!, role: roleOf(r), action: "cloudfront:UpdateDistribution" }));
  return [...keys, ...cdn];
}

/** The plan's role tagged `model-vault:role` = `tag`. */
function roleTagged(plan: Plan, tag: string): PlanResource | undefined {
  return taggedWith(plan.resources, "aws:iam/role:Role", tag)[0];
}

/**
 * The JIT broker's part of the SCP rows: its issuer role, API function and request table as
 * planned, and its issuer and revoker roles, with their real policies, as principals. Warns when
 * the org's jitNamePrefix does not name them (the SCPs would then neither protect the broker nor
 * let the revoker revoke).
 */
function jitScpInputs(
  plan: Plan,
  docs: PlanDocuments,
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
  const table = plan.resources.find((r) => r.type === "aws:dynamodb/table:Table" && tagsOf(r)[DATA_TAG] === JIT_AUDIT_DATA);
  const revokerFunctionArn = str(fnTagged("revoker")?.outputs.arn);
  const group = inBroker("aws:scheduler/scheduleGroup:ScheduleGroup");
  const groupArn = str(group?.outputs.arn);
  const trigger = inBroker("aws:lambda/eventSourceMapping:EventSourceMapping");
  const topic = inBroker("aws:sns/topic:Topic");
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
    topicArn: str(topic?.outputs.arn),
    topicPolicy: (topic && docs.topicPolicy(topic)) ?? undefined,
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
  for (const [role, label, exempt] of [
    [issuer, "JIT issuer role (as deployed)", ["broker", "issuer"]],
    [revoker, "JIT revoker role (as deployed)", ["revoker", "broker"]],
    [scheduler, "JIT scheduler role (as deployed)", ["scheduler", "broker"]],
  ] as const) {
    const arn = role && str(role.outputs.arn);
    if (!role || !arn) continue;
    const { identityPolicies, boundary } = docs.role(role, label, (w) => warnings.push(w));
    // Its policy is pinned to its function (jit/trust.ts pinnedToFunction): evaluate the calls the function makes.
    const fn = str(plan.resources.find((r) => r.type === "aws:lambda/function:Function" && r.inputs.role === arn)?.outputs.arn);
    const context = fn ? { "lambda:SourceFunctionArn": fn } : undefined;
    principals.push({ arn, label, identityPolicies: identityPolicies.map((p) => p.policy), boundary: boundary?.policy ?? null, exempt: [...exempt], jitOnly: true, ...(context ? { context } : {}) });
  }
  return jit;
}
