// The alarm topic's policy under the IAM engine: EventBridge for this stack's rules and the broker's issuer may
// publish; anonymous callers, other accounts, EventBridge for someone else's rule, and same-account admins
// (whose identity policy allows sns:*) may not.
import { strict as assert } from "node:assert";
import { alarmKeyPolicy, alarmTopicPolicy } from "../iam/monitoringPolicies";
import type { PolicyDocument } from "../iam/types";
import { decide } from "./support/iam";

const ACCOUNT = "111111111111";
const TOPIC = `arn:aws:sns:us-east-1:${ACCOUNT}:model-vault-alarms-1a2b3c4`;
const RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/monitoring-trail-tampering-5d6e7f8`;
const OTHER_RULE = `arn:aws:events:us-east-1:${ACCOUNT}:rule/someone-elses-rule`;
const BROKER = `arn:aws:iam::${ACCOUNT}:role/model-vault/model-vault-jit-issuer-3d2c1b0`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const adminPolicy: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };

const policy = alarmTopicPolicy({ accountId: ACCOUNT, topicArn: TOPIC, ruleArns: [RULE], brokerRoleArn: BROKER });
const tls = { "aws:SecureTransport": "true" };
const service = (sourceArn: string, p = policy) =>
  decide({
    principal: "events.amazonaws.com",
    action: "sns:Publish",
    resource: TOPIC,
    resourcePolicy: p,
    context: { ...tls, "aws:SourceArn": sourceArn, "aws:SourceAccount": ACCOUNT, "aws:PrincipalIsAWSService": "true" },
  });
const caller = (principal: string, identityPolicies: PolicyDocument[] = [], extra: Record<string, string> = {}, p = policy) =>
  decide({
    principal,
    action: "sns:Publish",
    resource: TOPIC,
    resourcePolicy: p,
    identityPolicies,
    context: { ...tls, "aws:PrincipalArn": principal, "aws:PrincipalIsAWSService": "false", "aws:PrincipalAccount": principal.split(":")[4] ?? "", ...extra },
  });

describe("monitoring: who may publish an alarm (IAM engine)", () => {
  it("EventBridge, for this stack's rules, may publish", async () => {
    assert.equal(await service(RULE), "Allowed");
  });
  it("EventBridge for another rule (a confused deputy) may not", async () => {
    assert.notEqual(await service(OTHER_RULE), "Allowed");
  });
  it("the broker's issuer may publish", async () => {
    assert.equal(await caller(BROKER), "Allowed");
  });
  it("anonymous callers and other accounts may not", async () => {
    assert.notEqual(await caller("*"), "Allowed");
    assert.notEqual(await caller("arn:aws:iam::999999999999:role/Attacker", [adminPolicy]), "Allowed");
  });
  it("a same-account administrator (identity policy *:*) may not forge an alarm", async () => {
    assert.equal(await caller(ADMIN, [adminPolicy]), "ExplicitlyDenied");
  });
  it("without the NobodyElsePublishes deny the same administrator could: the deny is what holds", async () => {
    const weaker = { ...policy, Statement: policy.Statement.filter((s) => s.Sid !== "NobodyElsePublishes") };
    assert.equal(await caller(ADMIN, [adminPolicy], {}, weaker), "Allowed");
  });
  it("nobody publishes over plain HTTP, the broker included", async () => {
    assert.equal(await caller(BROKER, [], { "aws:SecureTransport": "false" }), "ExplicitlyDenied");
  });
  it("without a broker only EventBridge may publish", async () => {
    const noBroker = alarmTopicPolicy({ accountId: ACCOUNT, topicArn: TOPIC, ruleArns: [RULE] });
    assert.equal(await service(RULE, noBroker), "Allowed");
    assert.equal(await caller(BROKER, [adminPolicy], {}, noBroker), "ExplicitlyDenied");
  });
  it("refuses to build a topic policy without rules", () => {
    assert.throws(() => alarmTopicPolicy({ accountId: ACCOUNT, topicArn: TOPIC, ruleArns: [] }), /at least one EventBridge rule/);
  });
  it("the alarm key lets the broker use it only through SNS", async () => {
    const key = alarmKeyPolicy({ accountId: ACCOUNT, region: "us-east-1", brokerRoleArn: BROKER });
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
    const use = (via: string) =>
      decide({ principal: BROKER, action: "kms:Decrypt", resource: keyArn, resourcePolicy: key, context: { "aws:PrincipalArn": BROKER, "kms:ViaService": via } });
    assert.equal(await use("sns.us-east-1.amazonaws.com"), "Allowed");
    assert.notEqual(await use("s3.us-east-1.amazonaws.com"), "Allowed");
  });
});
