// Reads the attacker-path model (plan/paths/model.ts) out of a plan: every role the stack creates
// with its trust, identity policies, boundary and tags; the people the config names; and the
// synthetic principals an attacker may be (the workload administrator, the management account,
// another account, anonymous). Documents come from plan/planDocuments.ts, the one plan reader.
import type { AccessConfig } from "../../config/access";
import type { JitConfig } from "../../config/jit";
import { parseArn, partitionOf } from "../../iam/arn";
import { AUDIT_KEY_ROLE, bucketArn, CDN_ROLE, IDENTITY_CENTER_ROLE_PATH, IDENTITY_CENTER_ROLE_PREFIX, MODEL_KEY_ROLE } from "../../iam/arns";
import { KEY_TAG } from "../../iam/scp";
import type { PolicyDocument } from "../../iam/types";
import { brokerCallerPolicy } from "../../jit/caller-policy";
import { REVOCATION_POLICY_NAME } from "../../jit/revocation";
import type { OrgInput } from "../orgLayers";
import { ADMINISTRATOR_ACCESS, outOrIn, planDocuments, roleTagOf, str, taggedWith, tagsOf, type NamedPolicy } from "../planDocuments";
import type { Plan, PlanResource } from "../types";
import type { Broker, HumanDuty, PathModel, PathPrincipal } from "./model";
import { ALARM_KEY_ROLE, CONSUMER_NAME_TAG, DATA_TAG, ELEVATED_ROLE, JIT_AUDIT_DATA, MODEL_BUCKET_ROLE, jitRoleTag } from "../../iam/tags";
import { ALARM_TOPIC_PREFIX, eventRuleArn } from "../../monitoring/rule-names";
import { networkPlan } from "../networkQuestions";

/** The stack config as far as the paths need it (StackConfig satisfies it). */
export interface PathsConfig {
  accountId: string;
  region: string;
  access: AccessConfig;
  jit: Pick<JitConfig, "enabled" | "requesters" | "approvers" | "breakGlass"> & {
    /** Mapped persons (`person:<name>` entries name them), when the config has them. */
    people?: { name: string; principals: string[] }[];
  };
  cdn?: { enabled: boolean; prefixes?: string[] };
}

/** An account no config names: the "principal of another account". */
export const OTHER_ACCOUNT = "999999999999";
export const ADMIN_ROLE_NAME = "workload-admin";

const admin = (identityPolicies: NamedPolicy[] = [{ name: "AdministratorAccess", policy: ADMINISTRATOR_ACCESS }]) => identityPolicies;
const base = { boundary: null, attachedPolicyArns: [], trust: null, tags: {} } as const;

/** The identity policy each person holds to use the broker; the plan cannot see the people's own policies. */
export type CallerPolicy = (functionArn: string, user: boolean) => PolicyDocument;

/** What the design asks each person to hold (jit/caller-policy.ts; IAM users with the MFA variant). */
export const DOCUMENTED_CALLER_POLICY: CallerPolicy = (functionArn, user) => brokerCallerPolicy(functionArn, { iamUserMfa: user });

/** A person's principal from a config entry: the role behind an assumed-role pattern, a role, or a user. */
export function humanArnOf(entry: string): { arn: string; user: boolean } | undefined {
  const a = parseArn(entry);
  if (!a) return undefined;
  const fill = (s: string) => s.replace(/\*/g, "example").replace(/\?/g, "x");
  const assumed = /^assumed-role\/([^/]+)\//.exec(a.resource);
  if (a.service === "sts" && assumed) {
    // IAM Identity Center's roles live under this path (an assumed-role ARN omits the path).
    const path = assumed[1].startsWith(IDENTITY_CENTER_ROLE_PREFIX) ? IDENTITY_CENTER_ROLE_PATH : "";
    return { arn: `arn:${a.partition}:iam::${a.account}:role/${path}${fill(assumed[1])}`, user: false };
  }
  if (a.service === "iam" && a.resource.startsWith("role/")) return { arn: fill(entry), user: false };
  if (a.service === "iam" && a.resource.startsWith("user/")) return { arn: fill(entry), user: true };
  return undefined;
}

const OBJECT_NAME = "example.safetensors";

/** One object inside each prefix the config lets someone read, and inside the publisher's prefixes. */
export function objectKeysFor(cfg: PathsConfig): PathModel["objectKeys"] {
  const keys = (prefixes: string[]) => [...new Set(prefixes.length ? prefixes : ["models/"])].map((p) => `${p}${OBJECT_NAME}`);
  const readable = [...cfg.access.consumers.flatMap((c) => c.prefixes), ...(cfg.cdn?.enabled ? (cfg.cdn.prefixes ?? []) : [])];
  return { read: keys(readable), write: keys(cfg.access.publisher?.prefixes ?? []) };
}

export function pathModelFromPlan(
  plan: Plan,
  cfg: PathsConfig,
  scps: OrgInput,
  warn: (m: string) => void = () => undefined,
  callerPolicy: CallerPolicy = DOCUMENTED_CALLER_POLICY,
): PathModel {
  const docs = planDocuments(plan, scps);
  const rs = docs.resources;
  const ofType = docs.ofType;
  const tagged = (t: string, role: string) => taggedWith(rs, t, role);
  const account = cfg.accountId;
  const sameAccount = (arn: string) => parseArn(arn)?.account === account;
  const bound = docs.org.scps.length > 0;
  const people = new Map((cfg.jit.people ?? []).map((p) => [`person:${p.name}`, p.principals]));
  /** Config entries with each `person:<name>` replaced by that person's principals. */
  const expand = (entries: string[]) => entries.flatMap((x) => people.get(x) ?? [x]);

  const bucketRes = tagged("aws:s3/bucket:Bucket", MODEL_BUCKET_ROLE)[0];
  if (!bucketRes) throw new Error(`attacker paths: the plan has no bucket tagged ${KEY_TAG}=${MODEL_BUCKET_ROLE}`);
  const bucketName = outOrIn(bucketRes, "bucket") ?? outOrIn(bucketRes, "id")!;
  const keyRes = (role: string) => tagged("aws:kms/key:Key", role)[0];
  const guardedKey = (k: PlanResource, role: string) => ({ arn: outOrIn(k, "arn")!, policy: docs.keyPolicy(k), context: { [`aws:ResourceTag/${KEY_TAG}`]: role } });
  const modelKey = keyRes(MODEL_KEY_ROLE);
  if (!modelKey) throw new Error(`attacker paths: the plan has no KMS key tagged ${KEY_TAG}=${MODEL_KEY_ROLE}`);
  const keys = [MODEL_KEY_ROLE, AUDIT_KEY_ROLE].flatMap((role) => (keyRes(role) ? [guardedKey(keyRes(role), role)] : []));
  const blockPublicAccess = docs.blockPublicAccess(bucketRes);
  // The alarms as wired: the alarm topic (by its fixed name), and the rules whose targets publish to it.
  const alarmTopic = ofType("aws:sns/topic:Topic").find((t) => (outOrIn(t, "name") ?? "").startsWith(ALARM_TOPIC_PREFIX));
  const alarmTopicArn = alarmTopic && outOrIn(alarmTopic, "arn");
  const alarmRuleNames = new Set(ofType("aws:cloudwatch/eventTarget:EventTarget").filter((t) => alarmTopicArn && str(t.inputs.arn) === alarmTopicArn).map((t) => str(t.inputs.rule)));
  const alarmRules = ofType("aws:cloudwatch/eventRule:EventRule").filter((r) => alarmRuleNames.has(outOrIn(r, "name")));
  const alarmKey = keyRes(ALARM_KEY_ROLE);
  const trail = ofType("aws:cloudtrail/trail:Trail")[0];
  const auditBucketName = trail && str(trail.inputs.s3BucketName);
  const dist = tagged("aws:cloudfront/distribution:Distribution", CDN_ROLE)[0] ?? ofType("aws:cloudfront/distribution:Distribution")[0];
  const distArn = dist && outOrIn(dist, "arn");

  // Roles the stack creates.
  const functions = ofType("aws:lambda/function:Function");
  const ownFunction = (f: PlanResource | undefined) => (f ? { ownFunctionArn: outOrIn(f, "arn"), ownFunctionPolicy: docs.functionPolicy(f) } : {});
  const principals: PathPrincipal[] = [];
  const roleTag = roleTagOf;
  for (const r of ofType("aws:iam/role:Role")) {
    const arn = outOrIn(r, "arn")!;
    const role = roleTag(r);
    const { identityPolicies, boundary, trust, attachedPolicyArns } = docs.role(r, `role ${r.name}`, warn);
    principals.push({
      id: arn,
      arn,
      label: `${role ?? "role"} ${tagsOf(r)[CONSUMER_NAME_TAG] ?? r.name}`,
      kind: "stack-role",
      role,
      identityPolicies,
      boundary,
      attachedPolicyArns,
      trust,
      tags: tagsOf(r),
      underScps: bound,
      // Publisher sessions exist only through the broker (or its trusted people), the issuer's only through its function.
      start: role !== ELEVATED_ROLE && role !== jitRoleTag("issuer"),
      ...ownFunction(functions.find((f) => str(f.inputs.role) === arn)),
    });
  }
  const publisherArn = principals.find((p) => p.role === ELEVATED_ROLE)?.arn;
  const revokerArn = principals.find((p) => p.role === jitRoleTag("revoker"))?.arn;

  // The broker's API function: the one that acts on its caller's word.
  const apiFn = functions.find((f) => tagsOf(f)["model-vault:jit"] === "api");
  let broker: Broker | undefined;
  if (apiFn && str(apiFn.inputs.role)) {
    const functionArn = outOrIn(apiFn, "arn")!;
    const url = docs.functionUrl(apiFn);
    const table = ofType("aws:dynamodb/table:Table").find((t) => tagsOf(t)[DATA_TAG] === JIT_AUDIT_DATA);
    broker = {
      functionArn,
      issuerArn: str(apiFn.inputs.role)!,
      tableArn: table && outOrIn(table, "arn"),
      functionPolicy: docs.functionPolicy(apiFn),
      hasUrl: !!url,
      ...(url ? { urlAuthType: url.authType } : {}),
      requesters: expand(cfg.jit.requesters),
      approvers: expand(cfg.jit.approvers),
      breakGlass: expand(cfg.jit.breakGlass),
    };
  }

  // People the config names.
  const duties = new Map<string, { user: boolean; duties: Set<HumanDuty> }>();
  const name = (entries: string[], duty: HumanDuty) => {
    for (const e of expand(entries)) {
      const h = humanArnOf(e);
      if (!h) {
        warn(`attacker paths: ${duty} entry ${JSON.stringify(e)} names no IAM principal; left out of the graph`);
        continue;
      }
      const d = duties.get(h.arn) ?? { user: h.user, duties: new Set<HumanDuty>() };
      d.duties.add(duty);
      duties.set(h.arn, d);
    }
  };
  if (cfg.jit.enabled) {
    name(cfg.jit.requesters, "requester");
    name(cfg.jit.approvers, "approver");
    name(cfg.jit.breakGlass, "breakGlass");
  }
  name(cfg.access.publisher?.trustedPrincipals ?? [], "trustedPublisher");
  // Ids taken so far: a person or a consumer's own principal already in the model is not added twice.
  const ids = new Set(principals.map((p) => p.id));
  for (const [arn, d] of duties) {
    if (ids.has(arn)) continue;
    ids.add(arn);
    const usesBroker = broker && [...d.duties].some((x) => x !== "trustedPublisher");
    principals.push({
      ...base,
      id: arn,
      arn,
      label: `${[...d.duties].join("+")} ${arn.split(/:(?:role|user)\//)[1] ?? arn}`,
      kind: "human",
      duties: [...d.duties],
      user: d.user,
      identityPolicies: usesBroker ? [{ name: "jit-caller-policy", policy: callerPolicy(broker!.functionArn, d.user) }] : [],
      attachedPolicyArns: [],
      underScps: bound && sameAccount(arn),
      start: true,
    });
  }

  // The synthetic attackers.
  const partition = partitionOf(cfg.region);
  const adminArn = `arn:${partition}:iam::${account}:role/${ADMIN_ROLE_NAME}`;
  principals.push({ ...base, id: adminArn, arn: adminArn, label: `workload administrator (AdministratorAccess${bound ? ", under the org SCPs" : ", no SCPs"})`, kind: "admin", identityPolicies: admin(), attachedPolicyArns: [], underScps: bound, start: true });
  if (bound) {
    // SCPs do not apply to the management account, and it can detach them from any account.
    // https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
    principals.push({ ...base, id: `${adminArn}#no-scps`, arn: adminArn, label: "workload administrator once the management account detaches the SCPs", kind: "admin", identityPolicies: admin(), attachedPolicyArns: [], underScps: false, orgDetached: true, start: false });
    principals.push({ ...base, id: "management-account", arn: `arn:${partition}:iam::000000000000:role/management-admin`, label: "management account administrator (outside SCPs)", kind: "management", identityPolicies: admin(), attachedPolicyArns: [], underScps: false, start: true });
  }
  const deployer = cfg.access.deployerRoleArn;
  if (deployer) principals.push({ ...base, id: deployer, arn: deployer, label: "deployer (AdministratorAccess)", kind: "deployer", identityPolicies: admin(), attachedPolicyArns: [], underScps: bound && sameAccount(deployer), start: true });
  for (const p of principals) ids.add(p.id);
  for (const c of cfg.access.consumers) {
    if (c.kind !== "account" || ids.has(c.principalArn)) continue;
    ids.add(c.principalArn);
    principals.push({ ...base, id: c.principalArn, arn: c.principalArn, label: `consumer ${c.name}'s own principal (another account)`, kind: "consumer-principal", identityPolicies: admin(), attachedPolicyArns: [], underScps: false, start: true });
  }
  const outsider = `arn:${partition}:iam::${OTHER_ACCOUNT}:role/outsider`;
  principals.push({ ...base, id: outsider, arn: outsider, label: "principal of another account (AdministratorAccess there)", kind: "other-account", identityPolicies: admin(), attachedPolicyArns: [], underScps: false, start: true });
  if (distArn && cfg.cdn?.enabled !== false) {
    principals.push({ ...base, id: `cloudfront.amazonaws.com@${distArn}`, arn: "cloudfront.amazonaws.com", label: `CloudFront as distribution ${distArn.split("/").pop()}`, kind: "service", identityPolicies: [], attachedPolicyArns: [], underScps: false, start: true, sourceArn: distArn });
  }
  principals.push({ ...base, id: "anonymous", arn: "anonymous", label: "anonymous", kind: "anonymous", identityPolicies: [], attachedPolicyArns: [], underScps: false, start: true });

  return {
    accountId: account,
    region: cfg.region,
    scps: docs.org,
    principals,
    bucket: { arn: outOrIn(bucketRes, "arn") ?? bucketArn(partition, bucketName), name: bucketName, policy: docs.bucketPolicy(bucketName), blockPublicAccess },
    objectKeys: objectKeysFor(cfg),
    bucketKey: guardedKey(modelKey, MODEL_KEY_ROLE),
    keys,
    auditBucket: auditBucketName ? { arn: bucketArn(partition, auditBucketName), name: auditBucketName, policy: docs.bucketPolicy(auditBucketName) } : undefined,
    trailArn: trail && outOrIn(trail, "arn"),
    alarms:
      alarmTopic && alarmRules.length
        ? {
            ruleArns: alarmRules.map((r) => outOrIn(r, "arn") ?? eventRuleArn({ region: cfg.region, accountId: account }, outOrIn(r, "name")!)),
            topic: { arn: alarmTopicArn!, policy: docs.topicPolicy(alarmTopic) },
            key: alarmKey && guardedKey(alarmKey, ALARM_KEY_ROLE),
          }
        : undefined,
    distribution: distArn ? { arn: distArn, policy: null, context: { [`aws:ResourceTag/${KEY_TAG}`]: CDN_ROLE } } : undefined,
    publisherArn,
    revocationPolicyName: REVOCATION_POLICY_NAME,
    broker,
    revokerArn,
    directPublisher: !cfg.jit.enabled,
    network: networkPlan(cfg.access),
  };
}
