// AuditTrail under the plan runner (Pulumi mocks + fake cloud): the security properties of the trail, its key
// and its log bucket on the inputs as registered, the per-stack switches, and the policy pack's verdict.
import { strict as assert } from "node:assert";
import { AuditTrail } from "../components/AuditTrail";
import { ModelBucket } from "../components/ModelBucket";
import { auditConfigSchema, resolveAuditConfig, type AuditConfig } from "../config/audit";
import { selectorsCoverBucket } from "../iam/auditPolicies";
import { evaluatePolicyPack } from "../plan/policy";
import { runProgram } from "../plan/run";
import type { PlanResource } from "../plan/types";
import { planFor, serially } from "./support/plans";

const ACCOUNT = "111111111111";
const REGION = "eu-west-1";
const MODEL_BUCKET = "acme-weights-audit";
const TAGS = { team: "ml", "model-vault:stack": "audittest" };

interface Run {
  resources: PlanResource[];
  outputs: Record<string, unknown>;
}

function plan(audit: AuditConfig, protect: boolean): Promise<Run> {
  return serially(() =>
    runProgram("audittest", {
      config: { "aws:region": REGION, "model-vault:accountId": ACCOUNT },
      program: async () => {
        const models = new ModelBucket("models", {
          storage: { bucketName: MODEL_BUCKET, noncurrentVersionDays: 7, abortIncompleteUploadDays: 7, objectLock: false, immutableReleases: false, accessLogRetentionDays: 30, kmsDeletionWindowDays: 30 },
          accountId: ACCOUNT,
          region: REGION,
          protect,
          tags: TAGS,
        });
        const trail = new AuditTrail("audit", { audit, modelBucketArn: models.bucketArn, accountId: ACCOUNT, region: REGION, protect, tags: TAGS });
        models.finalize();
        return { trailArn: trail.trailArn, auditLogBucketName: trail.logBucketName, auditKeyArn: trail.keyArn };
      },
    }),
  );
}

const section = (raw: unknown) => auditConfigSchema.parse(raw);
const ofType = (r: Run, type: string) => r.resources.filter((x) => x.type === type);
const one = (r: Run, type: string, name?: string): PlanResource => {
  const found = ofType(r, type).filter((x) => name === undefined || x.name === name);
  assert.equal(found.length, 1, `expected one ${type}${name ? ` named ${name}` : ""}, got ${found.length}`);
  return found[0];
};
type Dict = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const docOf = (v: unknown): Dict => (typeof v === "string" ? JSON.parse(v) : (v as Dict));
const stmt = (d: Dict, sid: string): Dict => {
  const s = (d.Statement as Dict[]).find((x) => x.Sid === sid);
  assert.ok(s, `no statement ${sid}`);
  return s;
};

describe("AuditTrail (plan runner)", function () {
  let prod: Run;
  let dev: Run;
  let full: Run;

  before(async function () {
    prod = await plan(resolveAuditConfig(undefined, { environment: "prod", protect: true }), true);
    dev = await plan(resolveAuditConfig(undefined, { environment: "dev", protect: false }), false);
    full = await plan(
      resolveAuditConfig(section({ cloudWatchLogs: { retentionDays: 30 }, snsTopic: true, organizationTrail: true, organizationId: "o-abcdefghij" }), {
        environment: "prod",
        protect: true,
      }),
      true,
    );
  });

  const trailOf = (r: Run) => one(r, "aws:cloudtrail/trail:Trail");
  const logBucketOf = (r: Run) => one(r, "aws:s3/bucket:Bucket", "audit-logs");
  const keyOf = (r: Run) => one(r, "aws:kms/key:Key", "audit-key");
  const modelBucketArn = (r: Run) => one(r, "aws:s3/bucket:Bucket", "models").outputs.arn as string;

  it("registers a multi-region, validated, KMS-encrypted, logging trail under the component", () => {
    for (const r of [prod, dev]) {
      const t = trailOf(r);
      assert.equal(t.inputs.isMultiRegionTrail, true);
      assert.equal(t.inputs.includeGlobalServiceEvents, true);
      assert.equal(t.inputs.enableLogFileValidation, true);
      assert.equal(t.inputs.enableLogging, true);
      assert.equal(t.inputs.kmsKeyId, keyOf(r).outputs.arn);
      assert.equal(t.inputs.s3BucketName, logBucketOf(r).outputs.bucket);
      assert.equal(t.inputs.isOrganizationTrail, false);
      const parent = one(r, "model-vault:audit:AuditTrail");
      assert.equal(t.parent, parent.urn);
      assert.equal(logBucketOf(r).parent, parent.urn);
    }
  });

  it("the trail's real ARN is the one every policy is pinned to", () => {
    const t = trailOf(prod);
    const arn = t.outputs.arn as string;
    assert.match(arn, /^arn:aws:cloudtrail:eu-west-1:111111111111:trail\/audittest-audit$/);
    const policy = docOf(one(prod, "aws:s3/bucketPolicy:BucketPolicy", "audit-logs-policy").inputs.policy);
    assert.equal(stmt(policy, "CloudTrailWritesThisTrailsLogs").Condition.StringEquals["aws:SourceArn"], arn);
    assert.equal(stmt(policy, "CloudTrailAclCheck").Condition.StringEquals["aws:SourceArn"], arn);
    const key = docOf(keyOf(prod).inputs.policy);
    assert.equal(stmt(key, "CloudTrailEncryptsThisTrailsLogs").Condition.StringEquals["aws:SourceArn"], arn);
  });

  it("selects write data events on the model bucket's real ARN always, and reads in prod only by default", () => {
    const bucketArn = modelBucketArn(prod);
    assert.equal(bucketArn, `arn:aws:s3:::${MODEL_BUCKET}`);
    const prodSel = trailOf(prod).inputs.advancedEventSelectors as Dict[];
    const devSel = trailOf(dev).inputs.advancedEventSelectors as Dict[];
    for (const sel of [prodSel, devSel]) {
      assert.ok(selectorsCoverBucket(sel as never, bucketArn, "write"));
      const arnField = sel.flatMap((s) => s.fieldSelectors as Dict[]).find((f) => f.field === "resources.ARN");
      assert.deepEqual(arnField!.startsWiths, [`arn:aws:s3:::${MODEL_BUCKET}/`]);
      assert.ok(sel.some((s) => (s.fieldSelectors as Dict[]).some((f) => f.field === "eventCategory" && f.equals.includes("Management"))));
    }
    assert.ok(selectorsCoverBucket(prodSel as never, bucketArn, "read"), "prod records reads");
    assert.ok(!selectorsCoverBucket(devSel as never, bucketArn, "read"), "dev does not record reads by default");
    assert.ok(!selectorsCoverBucket(prodSel as never, "arn:aws:s3:::some-other-bucket", "write"));
  });

  it("an explicit readDataEvents wins over the environment default", async () => {
    const r = await plan(resolveAuditConfig(section({ readDataEvents: "all" }), { environment: "dev", protect: false }), false);
    assert.ok(selectorsCoverBucket(trailOf(r).inputs.advancedEventSelectors as never, modelBucketArn(r), "read"));
  });

  it("the key rotates and is the trail's alone", () => {
    const k = keyOf(prod);
    assert.equal(k.inputs.enableKeyRotation, true);
    const key = docOf(k.inputs.policy);
    const enc = stmt(key, "CloudTrailEncryptsThisTrailsLogs");
    assert.deepEqual(enc.Principal, { Service: "cloudtrail.amazonaws.com" });
    assert.equal(enc.Condition.StringEquals["kms:EncryptionContext:aws:cloudtrail:arn"], trailOf(prod).outputs.arn);
  });

  it("the log bucket is locked down: BPA, BucketOwnerEnforced, versioning, SSE-KMS with the trail key, lifecycle", () => {
    for (const r of [prod, dev]) {
      const name = logBucketOf(r).outputs.bucket;
      const forBucket = (type: string) => ofType(r, type).filter((x) => x.inputs.bucket === name);
      const [bpa] = forBucket("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
      for (const f of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(bpa.inputs[f], true, f);
      const [own] = forBucket("aws:s3/bucketOwnershipControls:BucketOwnershipControls");
      assert.equal((own.inputs.rule as Dict).objectOwnership, "BucketOwnerEnforced");
      const [ver] = forBucket("aws:s3/bucketVersioning:BucketVersioning");
      assert.equal((ver.inputs.versioningConfiguration as Dict).status, "Enabled");
      const [sse] = forBucket("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
      const rule = (sse.inputs.rules as Dict[])[0];
      assert.equal(rule.applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
      assert.equal(rule.applyServerSideEncryptionByDefault.kmsMasterKeyId, keyOf(r).outputs.arn);
      const [lc] = forBucket("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration");
      const lrule = (lc.inputs.rules as Dict[])[0];
      assert.deepEqual(lrule.transitions, [{ days: 90, storageClass: "GLACIER_IR" }]);
      assert.equal(lrule.expiration.days, 365);
      assert.equal(lrule.noncurrentVersionExpiration.noncurrentDays, 365);
      assert.equal((logBucketOf(r).inputs.tags as Dict)["model-vault:role"], "log-bucket");
      assert.equal((logBucketOf(r).inputs.tags as Dict).team, "ml");
    }
  });

  it("prod: Object Lock (governance, retention days) and protect + retainOnDelete on data-bearing resources", () => {
    assert.equal(logBucketOf(prod).inputs.objectLockEnabled, true);
    const lock = one(prod, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration");
    assert.deepEqual((lock.inputs.rule as Dict).defaultRetention, { mode: "GOVERNANCE", days: 365 });
    for (const r of [trailOf(prod), logBucketOf(prod), keyOf(prod)]) assert.deepEqual(r.options, { protect: true, retainOnDelete: true }, r.name);
  });

  it("dev: no Object Lock, nothing protected", () => {
    assert.equal(logBucketOf(dev).inputs.objectLockEnabled, false);
    assert.equal(ofType(dev, "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").length, 0);
    for (const r of [trailOf(dev), logBucketOf(dev), keyOf(dev)]) assert.deepEqual(r.options, { protect: false, retainOnDelete: false }, r.name);
  });

  it("tags every taggable audit resource with the stack's tags", () => {
    for (const r of full.resources.filter((x) => x.custom && x.parent?.includes("AuditTrail") && "tags" in x.inputs)) {
      assert.equal((r.inputs.tags as Dict)["model-vault:stack"], "audittest", `${r.type} ${r.name}`);
    }
    for (const type of ["aws:cloudtrail/trail:Trail", "aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:sns/topic:Topic"]) {
      const rs = ofType(full, type).filter((x) => x.parent?.includes("AuditTrail"));
      assert.ok(rs.length > 0 && rs.every((x) => (x.inputs.tags as Dict)?.team === "ml"), type);
    }
  });

  it("optional CloudWatch Logs delivery: retention, role trusted by this trail only, least-privileged to its log group", () => {
    const trail = trailOf(full);
    const group = one(full, "aws:cloudwatch/logGroup:LogGroup");
    assert.equal(group.inputs.name, "/aws/cloudtrail/audittest-audit");
    assert.equal(group.inputs.retentionInDays, 30);
    assert.equal(trail.inputs.cloudWatchLogsGroupArn, `${group.outputs.arn}:*`);
    const role = ofType(full, "aws:iam/role:Role").find((x) => x.name === "audit-cloudwatch-delivery")!;
    assert.equal(trail.inputs.cloudWatchLogsRoleArn, role.outputs.arn);
    const trust = docOf(role.inputs.assumeRolePolicy);
    assert.deepEqual(trust.Statement[0].Condition.StringEquals, { "aws:SourceArn": trail.outputs.arn, "aws:SourceAccount": ACCOUNT });
    const perms = docOf(one(full, "aws:iam/rolePolicy:RolePolicy").inputs.policy);
    assert.deepEqual(perms.Statement[0].Action, ["logs:CreateLogStream", "logs:PutLogEvents"]);
    for (const res of perms.Statement[0].Resource as string[]) assert.ok(res.startsWith(`${group.outputs.arn}:log-stream:`), res);
    assert.equal(ofType(dev, "aws:cloudwatch/logGroup:LogGroup").length, 0);
  });

  it("optional SNS topic: encrypted with the trail key, publish pinned to the trail", () => {
    const topic = ofType(full, "aws:sns/topic:Topic").find((x) => x.parent?.includes("AuditTrail"))!;
    assert.equal(topic.inputs.kmsMasterKeyId, keyOf(full).outputs.arn);
    assert.equal(trailOf(full).inputs.snsTopicName, topic.outputs.arn);
    const tp = docOf(ofType(full, "aws:sns/topicPolicy:TopicPolicy").find((x) => x.parent?.includes("AuditTrail"))!.inputs.policy);
    assert.equal(stmt(tp, "CloudTrailPublishesForThisTrail").Condition.StringEquals["aws:SourceArn"], trailOf(full).outputs.arn);
    assert.equal(trailOf(dev).inputs.snsTopicName, undefined);
  });

  it("organization trail: flagged on the trail, and the bucket admits the org's log prefix for this trail only", () => {
    assert.equal(trailOf(full).inputs.isOrganizationTrail, true);
    const policy = docOf(one(full, "aws:s3/bucketPolicy:BucketPolicy", "audit-logs-policy").inputs.policy);
    const bucket = logBucketOf(full).outputs.bucket;
    assert.deepEqual(stmt(policy, "CloudTrailWritesThisTrailsLogs").Resource, [
      `arn:aws:s3:::${bucket}/AWSLogs/${ACCOUNT}/*`,
      `arn:aws:s3:::${bucket}/AWSLogs/o-abcdefghij/*`,
    ]);
  });

  it("outputs the trail ARN, log bucket name and key ARN", () => {
    assert.equal(prod.outputs.trailArn, trailOf(prod).outputs.arn);
    assert.equal(prod.outputs.auditLogBucketName, logBucketOf(prod).outputs.bucket);
    assert.equal(prod.outputs.auditKeyArn, keyOf(prod).outputs.arn);
  });

  it("passes the policy pack: no violation on any audit resource, model bucket audited", () => {
    for (const [r, stack] of [[prod, "prod"], [dev, "dev"], [full, "prod"]] as const) {
      const violations = evaluatePolicyPack(r.resources, stack);
      const auditUrns = new Set(r.resources.filter((x) => x.parent?.includes("AuditTrail") || x.type === "model-vault:audit:AuditTrail").map((x) => x.urn));
      const ours = violations.filter((v) => auditUrns.has(v.urn) || v.policy === "model-bucket-audited" || v.policy === "cloudtrail-hardened");
      assert.deepEqual(ours, [], JSON.stringify(ours, null, 1));
    }
  });

  it("without the trail the pack does flag the model bucket (the check above has teeth)", () => {
    const withoutTrail = prod.resources.filter((x) => x.type !== "aws:cloudtrail/trail:Trail");
    assert.ok(evaluatePolicyPack(withoutTrail, "prod").some((v) => v.policy === "model-bucket-audited"));
  });
});

describe("AuditTrail in the real dev and prod stacks (index.ts)", function () {
  for (const stack of ["dev", "prod"] as const) {
    it(`${stack}: the trail records the stack's model bucket, with the stack's read default, and the pack has nothing to say about it`, async () => {
      const { plan } = await planFor(stack);
      const trail = plan.resources.filter((r) => r.type === "aws:cloudtrail/trail:Trail");
      assert.equal(trail.length, 1);
      const t = trail[0];
      assert.equal(t.inputs.isMultiRegionTrail, true);
      assert.equal(t.inputs.enableLogFileValidation, true);
      const bucketArn = plan.outputs.bucketArn as string;
      const sel = t.inputs.advancedEventSelectors as never;
      assert.ok(selectorsCoverBucket(sel, bucketArn, "write"));
      assert.equal(selectorsCoverBucket(sel, bucketArn, "read"), stack === "prod");
      assert.equal(plan.outputs.auditTrailArn, t.outputs.arn);
      const lock = plan.resources.filter((r) => r.type === "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration" && r.inputs.bucket === plan.outputs.auditLogBucketName);
      assert.equal(lock.length, stack === "prod" ? 1 : 0);
      const auditUrns = new Set(plan.resources.filter((r) => r.parent?.includes("AuditTrail")).map((r) => r.urn));
      const ours = (plan.policy?.violations ?? []).filter((v) => auditUrns.has(v.urn) || v.policy === "model-bucket-audited" || v.policy === "cloudtrail-hardened");
      assert.deepEqual(ours, []);
    });
  }
});
