// Monitoring as the dev and prod plans register it: every rule names the stack's real trail, buckets, keys and roles
// (a CloudTrail event about the registered resources fires it), routes to the encrypted alarm topic, and the topic
// policy pins exactly the registered rules; subscribers and the break-glass filter come from config.
import { strict as assert } from "node:assert";
import { resolveAuditConfig, auditConfigSchema } from "../config/audit";
import { monitoringLines } from "../monitoring/plan-lines";
import { eventRuleArn } from "../monitoring/rule-names";
import type { PlanResource } from "../plan/types";
import { ctRecord, eventBridgeEvent } from "./support/cloudtrail-events";
import { matchesPattern } from "./support/event-pattern";
import { doc, ofType, one, planFor } from "./support/plans";

const RULE = "aws:cloudwatch/eventRule:EventRule";
const underMonitoring = (rs: PlanResource[]) => rs.filter((r) => r.urn.includes("model-vault:audit:Monitoring"));

describe("monitoring: the Monitoring component in the plans", function () {
  this.timeout(120_000);

  for (const stack of ["dev", "prod"]) {
    describe(stack, () => {
      let resources: PlanResource[];
      let outputs: Record<string, unknown>;
      before(async () => {
        const r = await planFor(stack);
        resources = r.plan.resources;
        outputs = r.plan.outputs;
      });

      it("registers the seven rules, each targeting the alarm topic", () => {
        const rules = ofType(underMonitoring(resources), RULE);
        assert.equal(rules.length, 7);
        const topic = one(resources, "aws:sns/topic:Topic", "monitoring-alarms");
        for (const t of ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").filter((x) => x.name.startsWith("monitoring-"))) {
          assert.equal(t.inputs.arn, topic.outputs.arn);
        }
        assert.equal(ofType(resources, "aws:cloudwatch/eventTarget:EventTarget").filter((x) => x.name.startsWith("monitoring-")).length, 7);
        assert.equal(outputs.alarmTopicArn, topic.outputs.arn);
      });

      it("encrypts the topic with its own key", () => {
        const topic = one(resources, "aws:sns/topic:Topic", "monitoring-alarms");
        const key = one(resources, "aws:kms/key:Key", "monitoring-key");
        assert.equal(topic.inputs.kmsMasterKeyId, key.outputs.arn);
        assert.equal(key.inputs.enableKeyRotation, true);
      });

      it("pins the topic policy to exactly the registered rules", () => {
        const policy = doc(one(resources, "aws:sns/topicPolicy:TopicPolicy", "monitoring-alarms-policy").inputs.policy);
        const allow = policy.Statement.find((s) => s.Sid === "EventBridgeRulesPublish") as { Condition: { ArnEquals: { "aws:SourceArn": string[] } } };
        const account = String(one(resources, "aws:kms/key:Key", "monitoring-key").outputs.arn).split(":")[4];
        const registered = ofType(underMonitoring(resources), RULE).map((r) => eventRuleArn({ region: "us-east-1", accountId: account }, String(r.inputs.name)));
        assert.deepEqual([...allow.Condition.ArnEquals["aws:SourceArn"]].sort(), registered.sort());
      });

      it("each registered pattern fires on tampering with the stack's real resources", () => {
        const pattern = (id: string) => JSON.parse(String(one(resources, RULE, `monitoring-${id}`).inputs.eventPattern));
        const trail = one(resources, "aws:cloudtrail/trail:Trail");
        const modelKey = one(resources, "aws:kms/key:Key", "models-key");
        const admin = { type: "AssumedRole" as const, roleArn: "arn:aws:iam::111111111111:role/Admin", sessionName: "mallory" };
        const stop = eventBridgeEvent(ctRecord({ who: admin, eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging", requestParameters: { name: trail.inputs.name } }));
        assert.ok(matchesPattern(pattern("trail-tampering"), stop), "StopLogging of the registered trail");
        for (const bucket of [outputs.bucketName, outputs.accessLogBucketName, outputs.auditLogBucketName]) {
          const put = eventBridgeEvent(ctRecord({ who: admin, eventSource: "s3.amazonaws.com", eventName: "PutBucketPolicy", requestParameters: { bucketName: bucket } }));
          assert.ok(matchesPattern(pattern("bucket-tampering"), put), `PutBucketPolicy on ${bucket}`);
        }
        const disable = eventBridgeEvent(
          ctRecord({ who: admin, eventSource: "kms.amazonaws.com", eventName: "ScheduleKeyDeletion", requestParameters: { keyId: modelKey.outputs.arn }, resources: [{ ARN: String(modelKey.outputs.arn), type: "AWS::KMS::Key" }] }),
        );
        assert.ok(matchesPattern(pattern("key-tampering"), disable));
        const publisher = one(resources, "aws:iam/role:Role", "access-publisher");
        const trust = eventBridgeEvent(ctRecord({ who: admin, eventSource: "iam.amazonaws.com", eventName: "UpdateAssumeRolePolicy", requestParameters: { roleName: publisher.outputs.name } }));
        assert.ok(matchesPattern(pattern("role-tampering"), trust));
        const assume = eventBridgeEvent(ctRecord({ who: admin, eventSource: "sts.amazonaws.com", eventName: "AssumeRole", readOnly: true, requestParameters: { roleArn: publisher.outputs.arn, roleSessionName: "jit-r1", sourceIdentity: "alice" } }));
        assert.ok(matchesPattern(pattern("publisher-assumed"), assume));
        for (const consumer of ofType(resources, "aws:iam/role:Role").filter((r) => r.urn.includes("ConsumerRole"))) {
          const c = eventBridgeEvent(ctRecord({ who: admin, eventSource: "iam.amazonaws.com", eventName: "PutRolePolicy", requestParameters: { roleName: consumer.outputs.name } }));
          assert.ok(matchesPattern(pattern("role-tampering"), c), `PutRolePolicy on ${consumer.name}`);
        }
      });

      it("subscribes the configured emails, and to the broker's break-glass notices only", () => {
        const subs = ofType(underMonitoring(resources), "aws:sns/topicSubscription:TopicSubscription");
        const alarm = subs.filter((s) => s.name.startsWith("monitoring-email-"));
        const breakGlass = subs.filter((s) => s.name.startsWith("monitoring-break-glass-"));
        assert.equal(alarm.length, 1);
        assert.equal(breakGlass.length, 1);
        assert.equal(breakGlass[0].inputs.topic, outputs.jitTopicArn);
        assert.deepEqual(JSON.parse(String(breakGlass[0].inputs.filterPolicy)), { breakGlass: ["true"] });
      });
    });
  }

  it("is on by default in prod and off in dev; a bad email names its key", () => {
    const empty = auditConfigSchema.parse({});
    assert.equal(resolveAuditConfig(empty, { environment: "prod", protect: true }).monitoring.enabled, true);
    assert.equal(resolveAuditConfig(empty, { environment: "dev", protect: false }).monitoring.enabled, false);
    const bad = auditConfigSchema.safeParse({ monitoring: { email: ["not-an-address"] } });
    assert.equal(bad.success, false);
    assert.deepEqual(bad.error?.issues[0].path, ["monitoring", "email", 0]);
  });
});

describe("monitoring: the plan's alarm lines", function () {
  this.timeout(120_000);
  it("lists each prod rule with what it fires on, and the subscribers", async () => {
    const lines = monitoringLines((await planFor("prod")).plan.resources);
    assert.equal(lines[0], "Alarms: 7 EventBridge rule(s) -> encrypted SNS topic");
    assert.ok(lines.includes("  model-vault-prod-publisher-assumed (read-only events too): AssumeRole"), lines.join("\n"));
    assert.ok(lines.includes("  model-vault-prod-root-activity (read-only events too): any call by Root"));
    assert.match(lines[lines.length - 1], /subscribers: ml-security@example.com, ml-security@example.com \(break-glass notices\)/);
  });
});
