// Each alarm's EventBridge pattern against CloudTrail events of the shape EventBridge delivers: the tampering it
// exists for fires it, the look-alikes (another bucket, another key, a read, the broker's own revocation) do not.
import { strict as assert } from "node:assert";
import { alarmRules, keyIdOf, type AlarmRule, type MonitoringScope } from "../monitoring/patterns";
import { ALARM_RULE_IDS } from "../monitoring/rule-names";
import { ctRecord, eventBridgeEvent, type RecordArgs, type Who } from "./support/cloudtrail-events";
import { matchesPattern } from "./support/event-pattern";

const ACCOUNT = "111111111111";
const MODEL_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b`;
const AUDIT_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`;
const OTHER_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/99999999-8888-7777-6666-555555555555`;
const PUBLISHER = `arn:aws:iam::${ACCOUNT}:role/model-vault/access-publisher-role-1a2b3c4`;
const scope: MonitoringScope = {
  accountId: ACCOUNT,
  trailName: "dev-audit",
  trailArn: `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/dev-audit`,
  modelBucket: "acme-model-weights-dev",
  logBuckets: ["acme-model-weights-dev-logs", "acme-model-weights-dev-audit"],
  keyArns: [MODEL_KEY, AUDIT_KEY],
  roleNames: ["access-sagemaker-inference-role-9f8e7d6", "access-publisher-role-1a2b3c4"],
  publisherRoleArn: PUBLISHER,
};
const rules = alarmRules(scope);
const rule = (id: string): AlarmRule => {
  const r = rules.find((x) => x.id === id);
  assert.ok(r, `no rule ${id}`);
  return r;
};

const admin: Who = { type: "AssumedRole", roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`, sessionName: "mallory" };
const revoker: Who = { type: "AssumedRole", roleArn: `arn:aws:iam::${ACCOUNT}:role/model-vault/model-vault-jit-revoker-7c6b5a4`, sessionName: "model-vault-jit-revoker-x" };
const ev = (a: Partial<RecordArgs> & Pick<RecordArgs, "eventSource" | "eventName">, detailType?: string) =>
  eventBridgeEvent(ctRecord({ who: admin, ...a }), detailType);

/** Which rules an event fires. */
const fired = (event: object) => rules.filter((r) => matchesPattern(r.pattern, event)).map((r) => r.id);

describe("monitoring: alarm patterns against CloudTrail events", () => {
  it("builds one rule per tampering class (publisher rule only with a publisher)", () => {
    assert.deepEqual(rules.map((r) => r.id).sort(), [
      "bucket-tampering",
      "denied-model-writes",
      "key-tampering",
      "publisher-assumed",
      "role-tampering",
      "root-activity",
      "trail-tampering",
    ]);
    assert.ok(!alarmRules({ ...scope, publisherRoleArn: undefined }).some((r) => r.id === "publisher-assumed"));
    // The component registers ALARM_RULE_IDS (fixed names, pinned in the topic policy): the two lists are one.
    assert.deepEqual(rules.map((r) => r.id), [...ALARM_RULE_IDS]);
  });

  describe("trail-tampering", () => {
    for (const eventName of ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"]) {
      it(`fires on ${eventName} of the trail, by name or by ARN`, () => {
        assert.deepEqual(fired(ev({ eventSource: "cloudtrail.amazonaws.com", eventName, requestParameters: { name: "dev-audit" } })), ["trail-tampering"]);
        assert.deepEqual(fired(ev({ eventSource: "cloudtrail.amazonaws.com", eventName, requestParameters: { name: scope.trailArn } })), ["trail-tampering"]);
      });
    }
    it("ignores another trail and a harmless StartLogging", () => {
      assert.deepEqual(fired(ev({ eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging", requestParameters: { name: "other-trail" } })), []);
      assert.deepEqual(fired(ev({ eventSource: "cloudtrail.amazonaws.com", eventName: "StartLogging", requestParameters: { name: "dev-audit" } })), []);
    });
  });

  describe("bucket-tampering", () => {
    const bucketEvent = (eventName: string, bucketName: string) =>
      ev({ eventSource: "s3.amazonaws.com", eventName, requestParameters: { bucketName, Host: `${bucketName}.s3.amazonaws.com` } });
    for (const eventName of ["PutBucketPolicy", "DeleteBucketPublicAccessBlock", "PutBucketVersioning", "PutBucketLifecycle", "PutObjectLockConfiguration", "DeleteBucketEncryption"]) {
      it(`fires on ${eventName} of the model bucket and both log buckets`, () => {
        for (const b of [scope.modelBucket, ...scope.logBuckets]) assert.deepEqual(fired(bucketEvent(eventName, b)), ["bucket-tampering"], b);
      });
    }
    it("ignores another bucket (even a name that starts the same) and reads of the policy", () => {
      assert.deepEqual(fired(bucketEvent("PutBucketPolicy", "acme-model-weights-dev-copy")), []);
      assert.deepEqual(fired(bucketEvent("GetBucketPolicy", scope.modelBucket)), []);
    });
  });

  describe("key-tampering", () => {
    const keyEvent = (eventName: string, keyId: string, arn: string) =>
      ev({ eventSource: "kms.amazonaws.com", eventName, requestParameters: { keyId }, resources: [{ ARN: arn, accountId: ACCOUNT, type: "AWS::KMS::Key" }] });
    for (const eventName of ["DisableKey", "ScheduleKeyDeletion", "PutKeyPolicy", "DisableKeyRotation"]) {
      it(`fires on ${eventName} of either key, named by id or ARN`, () => {
        assert.deepEqual(fired(keyEvent(eventName, keyIdOf(MODEL_KEY), MODEL_KEY)), ["key-tampering"]);
        assert.deepEqual(fired(keyEvent(eventName, AUDIT_KEY, AUDIT_KEY)), ["key-tampering"]);
      });
    }
    it("fires on an alias-named call through the resources ARN", () => {
      assert.deepEqual(fired(keyEvent("ScheduleKeyDeletion", "alias/acme-model-weights-dev", MODEL_KEY)), ["key-tampering"]);
    });
    it("ignores another key and a harmless EnableKey", () => {
      assert.deepEqual(fired(keyEvent("ScheduleKeyDeletion", keyIdOf(OTHER_KEY), OTHER_KEY)), []);
      assert.deepEqual(fired(keyEvent("EnableKey", keyIdOf(MODEL_KEY), MODEL_KEY)), []);
    });
  });

  describe("role-tampering", () => {
    const roleEvent = (eventName: string, roleName: string, who: Who = admin) =>
      eventBridgeEvent(ctRecord({ who, eventSource: "iam.amazonaws.com", eventName, requestParameters: { roleName, policyName: "x" } }));
    for (const eventName of ["UpdateAssumeRolePolicy", "PutRolePolicy", "AttachRolePolicy", "DeleteRolePermissionsBoundary"]) {
      it(`fires on ${eventName} of a consumer, the publisher or a broker role`, () => {
        assert.deepEqual(fired(roleEvent(eventName, scope.roleNames[0])), ["role-tampering"]);
        assert.deepEqual(fired(roleEvent(eventName, scope.roleNames[1])), ["role-tampering"]);
        assert.deepEqual(fired(roleEvent(eventName, "model-vault-jit-issuer-3d2c1b0")), ["role-tampering"]);
      });
    }
    it("fires for an IAM user and for root (no session issuer)", () => {
      assert.deepEqual(fired(roleEvent("UpdateAssumeRolePolicy", scope.roleNames[1], { type: "IAMUser", userArn: `arn:aws:iam::${ACCOUNT}:user/bob` })), ["role-tampering"]);
      assert.deepEqual(fired(roleEvent("UpdateAssumeRolePolicy", scope.roleNames[1], { type: "Root", accountId: ACCOUNT })).sort(), ["role-tampering", "root-activity"]);
    });
    it("stays quiet for the broker's revoker writing the revocation deny, and for other teams' roles", () => {
      assert.deepEqual(fired(roleEvent("PutRolePolicy", scope.roleNames[1], revoker)), []);
      assert.deepEqual(fired(roleEvent("DeleteRolePolicy", scope.roleNames[1], revoker)), []);
      assert.deepEqual(fired(roleEvent("UpdateAssumeRolePolicy", "data-team-role")), []);
    });
  });

  describe("publisher-assumed", () => {
    const assume = (roleArn: string) =>
      eventBridgeEvent(
        ctRecord({
          who: { type: "AssumedRole", roleArn: `arn:aws:iam::${ACCOUNT}:role/model-vault/model-vault-jit-issuer-3d2c1b0`, sessionName: "model-vault-jit-api" },
          eventSource: "sts.amazonaws.com",
          eventName: "AssumeRole",
          readOnly: true,
          requestParameters: { roleArn, roleSessionName: "jit-r-123", sourceIdentity: "alice", durationSeconds: 900 },
        }),
      );
    it("fires on every AssumeRole of the publisher, and takes read-only management events", () => {
      assert.deepEqual(fired(assume(PUBLISHER)), ["publisher-assumed"]);
      assert.equal(rule("publisher-assumed").state, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    });
    it("ignores a consumer role being assumed", () => {
      assert.deepEqual(fired(assume(`arn:aws:iam::${ACCOUNT}:role/model-vault/access-sagemaker-inference-role-9f8e7d6`)), []);
    });
  });

  describe("root-activity", () => {
    const root: Who = { type: "Root", accountId: ACCOUNT };
    it("fires on a root console sign-in and a root API call (read-only included)", () => {
      const signIn = eventBridgeEvent(ctRecord({ who: root, eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin", responseElements: { ConsoleLogin: "Success" } }), "AWS Console Sign In via CloudTrail");
      assert.deepEqual(fired(signIn), ["root-activity"]);
      assert.deepEqual(fired(eventBridgeEvent(ctRecord({ who: root, eventSource: "s3.amazonaws.com", eventName: "ListBuckets", readOnly: true }))), ["root-activity"]);
      assert.equal(rule("root-activity").state, "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS");
    });
    it("ignores an IAM user's sign-in", () => {
      const signIn = eventBridgeEvent(ctRecord({ who: { type: "IAMUser", userArn: `arn:aws:iam::${ACCOUNT}:user/bob` }, eventSource: "signin.amazonaws.com", eventName: "ConsoleLogin" }), "AWS Console Sign In via CloudTrail");
      assert.deepEqual(fired(signIn), []);
    });
  });

  describe("denied-model-writes", () => {
    const write = (eventName: string, bucketName: string, errorCode?: string) =>
      ev({ eventSource: "s3.amazonaws.com", eventName, eventCategory: "Data", requestParameters: { bucketName, key: "models/llama/x.safetensors" }, errorCode });
    for (const eventName of ["PutObject", "DeleteObject", "DeleteObjects", "CompleteMultipartUpload", "PutObjectRetention"]) {
      it(`fires on a refused ${eventName} on the model bucket`, () => {
        assert.deepEqual(fired(write(eventName, scope.modelBucket, "AccessDenied")), ["denied-model-writes"]);
      });
    }
    it("ignores a successful write, a refused read, and a refused write elsewhere", () => {
      assert.deepEqual(fired(write("PutObject", scope.modelBucket)), []);
      assert.deepEqual(fired(write("GetObject", scope.modelBucket, "AccessDenied")), []);
      assert.deepEqual(fired(write("PutObject", "someone-elses-bucket", "AccessDenied")), []);
    });
  });

  it("the matcher itself: missing fields, anything-but and $or behave as EventBridge documents", () => {
    assert.equal(matchesPattern({ a: [{ "anything-but": "x" }] }, {}), false);
    assert.equal(matchesPattern({ a: [{ exists: false }] }, {}), true);
    assert.equal(matchesPattern({ a: [{ exists: false }] }, { a: "y" }), false);
    assert.equal(matchesPattern({ a: { b: ["1"] } }, { a: [{ b: "2" }, { b: "1" }] }), true);
    assert.equal(matchesPattern({ $or: [{ a: ["1"] }, { b: ["2"] }] }, { b: "2" }), true);
    assert.equal(matchesPattern({ $or: [{ a: ["1"] }, { b: ["2"] }] }, { b: "3" }), false);
  });
});
