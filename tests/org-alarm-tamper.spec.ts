// "Every access is watched" holds only while the watch does: an account administrator under the
// org SCPs who could disable an alarm rule, drop its target, re-policy or delete the alarm topic,
// filter its subscriptions away or disable the topic's key would act unseen afterwards. Played here
// by AdministratorAccess against the org plan's registered SCPs and the dev plan's own rules, topic
// and key, with the IAM engine. (Found reviewing the Monitoring component as an attacker: every one
// of these was Allowed before DenyAlarmChangesExceptDeployer and the alarm key's tag.)
import { strict as assert } from "node:assert";
import type { PolicyDocument } from "../iam/types";
import { computeAttackPaths } from "../plan/paths";
import { ADMINISTRATOR_ACCESS, keyPolicyOf, outOrIn, tagsOf, topicPolicyOf } from "../plan/planDocuments";
import type { PlanResource } from "../plan/types";
import { decide } from "./support/iam";
import { ofType, one, orgScpDocuments, planFor, withoutStatement } from "./support/plans";

const ACCOUNT = "111111111111";
const role = (pathAndName: string) => `arn:aws:iam::${ACCOUNT}:role/${pathAndName}`;
const ADMIN = role("workload-admin");
const DEPLOYER = role("model-vault-deployer");

describe("org: an administrator cannot silence the alarms (dev's Monitoring under the org SCPs)", function () {
  this.timeout(120_000);
  let scps: PolicyDocument[];
  let resources: PlanResource[];
  let ruleArns: string[];
  let topic: PlanResource;
  let key: PlanResource;
  before(async () => {
    scps = await orgScpDocuments();
    resources = (await planFor("dev")).plan.resources;
    ruleArns = ofType(resources, "aws:cloudwatch/eventRule:EventRule").map((r) => `arn:aws:events:us-east-1:${ACCOUNT}:rule/${String(r.inputs.name)}`);
    topic = one(resources, "aws:sns/topic:Topic", "monitoring-alarms");
    key = one(resources, "aws:kms/key:Key", "monitoring-key");
  });

  const as = (principal: string, action: string, resource: string, extra: { context?: Record<string, string>; resourcePolicy?: PolicyDocument } = {}) =>
    decide({
      principal,
      action,
      resource,
      context: { "aws:PrincipalArn": principal, "aws:SecureTransport": "true", ...extra.context },
      identityPolicies: [ADMINISTRATOR_ACCESS],
      resourcePolicy: extra.resourcePolicy,
      scps,
    });

  it("plans seven alarm rules", () => assert.equal(ruleArns.length, 7));

  it("cannot disable, delete, rewrite or re-target any alarm rule; the deployer can", async () => {
    for (const rule of ruleArns) {
      for (const action of ["events:DisableRule", "events:DeleteRule", "events:PutRule", "events:RemoveTargets", "events:PutTargets"]) {
        assert.equal(await as(ADMIN, action, rule), "ExplicitlyDenied", `${action} ${rule}`);
      }
    }
    assert.equal(await as(DEPLOYER, "events:DisableRule", ruleArns[0]), "Allowed");
  });

  it("cannot re-policy, re-key, delete or re-subscribe the alarm topic; the deployer can", async () => {
    const arn = outOrIn(topic, "arn")!;
    const resourcePolicy = topicPolicyOf(resources, topic) ?? undefined;
    for (const action of ["sns:SetTopicAttributes", "sns:DeleteTopic", "sns:RemovePermission", "sns:AddPermission", "sns:Subscribe", "sns:SetSubscriptionAttributes", "sns:PutDataProtectionPolicy"]) {
      assert.equal(await as(ADMIN, action, arn, { resourcePolicy }), "ExplicitlyDenied", action);
    }
    assert.equal(await as(DEPLOYER, "sns:SetTopicAttributes", arn, { resourcePolicy }), "Allowed");
  });

  it("cannot disable, schedule for deletion or re-policy the alarm topic's key; the deployer can", async () => {
    const arn = outOrIn(key, "arn")!;
    const resourcePolicy = keyPolicyOf(resources, key) ?? undefined;
    // The engine does not read tags off a planned resource: the key's own planned tags are the context AWS would send.
    const context = Object.fromEntries(Object.entries(tagsOf(key)).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));
    for (const action of ["kms:DisableKey", "kms:ScheduleKeyDeletion", "kms:PutKeyPolicy", "kms:UntagResource"]) {
      assert.equal(await as(ADMIN, action, arn, { context, resourcePolicy }), "ExplicitlyDenied", action);
    }
    assert.equal(await as(DEPLOYER, "kms:DisableKey", arn, { context, resourcePolicy }), "Allowed");
  });

  describe("the plan's own attacker paths ask it (goal silence-alarms)", () => {
    it("in the dev plan only the deployer (designed) and the management account (accepted limit) reach it", async () => {
      const { plan } = await planFor("dev");
      const reach = plan.paths!.filter((p) => p.goal === "silence-alarms").map((p) => `${p.verdict} ${p.from}`).sort();
      assert.deepEqual(reach, ["accepted-limit arn:aws:iam::000000000000:role/management-admin", `designed ${DEPLOYER}`]);
    });

    it("without DenyAlarmChangesExceptDeployer the workload administrator's path is a breach, found by the analysis", async () => {
      const { plan, config } = await planFor("dev");
      const without = withoutStatement(scps, "DenyAlarmChangesExceptDeployer");
      assert.notDeepEqual(without, scps, "the org plan has the statement");
      const r = await computeAttackPaths(plan, config, without);
      const p = r.paths.find((x) => x.goal === "silence-alarms" && x.from === ADMIN);
      assert.ok(p, "the administrator reaches silence-alarms");
      assert.equal(p.verdict, "breach");
      assert.match(p.hops[0].action, /^(events|sns):/);
    });
  });
});
