import { strict as assert } from "node:assert";
import { ConfigError, loadStackConfig } from "../config";

const good = {
  "aws:region": "eu-west-1",
  "model-vault:accountId": "111111111111",
  "model-vault:bucketName": "acme-models-dev",
};

function problemsOf(overrides: Record<string, string | undefined>, stack = "dev"): string {
  const all = { ...good, ...overrides } as Record<string, string>;
  for (const k of Object.keys(all)) if (all[k] === undefined) delete all[k];
  try {
    loadStackConfig(stack, all);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail("expected the config to be rejected");
}

describe("stack config", () => {
  it("accepts a minimal stack file and fills every default", () => {
    const cfg = loadStackConfig("dev", good);
    assert.equal(cfg.environment, "dev");
    assert.equal(cfg.region, "eu-west-1");
    assert.deepEqual(cfg.storage, {
      bucketName: "acme-models-dev",
      noncurrentVersionDays: 7,
      abortIncompleteUploadDays: 7,
      objectLock: false,
      immutableReleases: false,
      accessLogRetentionDays: 30,
      kmsDeletionWindowDays: 30,
    });
    assert.equal(cfg.protect, false);
  });

  it("gives prod protection, longer version history and governance Object Lock by default", () => {
    const cfg = loadStackConfig("prod", { ...good, "model-vault:deployerRoleArn": "arn:aws:iam::111111111111:role/deployer" });
    assert.equal(cfg.environment, "prod");
    assert.equal(cfg.protect, true);
    assert.equal(cfg.storage.noncurrentVersionDays, 90);
    assert.deepEqual(cfg.storage.objectLock, { mode: "GOVERNANCE", days: 30 });
  });

  it("reads scalars given as strings and structured values given as JSON, as Pulumi passes them", () => {
    const cfg = loadStackConfig("dev", {
      ...good,
      "model-vault:noncurrentVersionDays": "14",
      "model-vault:protect": "true",
      "model-vault:objectLock": JSON.stringify({ mode: "COMPLIANCE", days: 3 }),
    });
    assert.equal(cfg.storage.noncurrentVersionDays, 14);
    assert.equal(cfg.protect, true);
    assert.deepEqual(cfg.storage.objectLock, { mode: "COMPLIANCE", days: 3 });
  });

  const bad: [string, Record<string, string | undefined>, RegExp][] = [
    ["a missing bucket name", { "model-vault:bucketName": undefined }, /model-vault:bucketName: is required/],
    ["an invalid S3 bucket name", { "model-vault:bucketName": "my_bucket" }, /model-vault:bucketName: .*a-z, 0-9/],
    ["an uppercase bucket name", { "model-vault:bucketName": "Acme-Models" }, /model-vault:bucketName: .*uppercase/],
    ["a bucket name too short", { "model-vault:bucketName": "ab" }, /model-vault:bucketName: .*3 to 63/],
    ["a bucket name shaped like an IP address", { "model-vault:bucketName": "192.168.1.1" }, /model-vault:bucketName: .*IP address/],
    ["a bucket name leaving no room for the log buckets", { "model-vault:bucketName": "a".repeat(58) }, /at most 57 characters/],
    ["a bad region", { "aws:region": "us-east1" }, /aws:region: expected an AWS region/],
    ["a missing region", { "aws:region": undefined }, /aws:region: is required/],
    ["a negative day count", { "model-vault:noncurrentVersionDays": "-3" }, /model-vault:noncurrentVersionDays: expected a whole number >= 1/],
    ["a fractional day count", { "model-vault:abortIncompleteUploadDays": "1.5" }, /model-vault:abortIncompleteUploadDays: expected a whole number/],
    ["object-lock days without mode", { "model-vault:objectLock": JSON.stringify({ days: 30 }) }, /model-vault:objectLock\.mode: is required/],
    ["an unknown object-lock mode", { "model-vault:objectLock": JSON.stringify({ mode: "STRICT", days: 30 }) }, /model-vault:objectLock\.mode: expected mode GOVERNANCE or COMPLIANCE/],
    ["object-lock with zero days", { "model-vault:objectLock": JSON.stringify({ mode: "GOVERNANCE", days: 0 }) }, /model-vault:objectLock\.days: expected a whole number >= 1/],
    ["a wrong type (boolean)", { "model-vault:protect": "yes" }, /model-vault:protect: expected true or false/],
    ["a wrong type (tags as a string)", { "model-vault:tags": "team=ml" }, /model-vault:tags: expected a map/],
    ["a typo'd key", { "model-vault:bucketNmae": "acme" }, /model-vault:bucketNmae: unknown key; did you mean bucketName\? \(valid keys: .*bucketName/],
    ["a bad account id", { "model-vault:accountId": "12345" }, /model-vault:accountId: expected a 12-digit AWS account id/],
    ["a KMS deletion window over 30 days", { "model-vault:kmsDeletionWindowDays": "45" }, /kmsDeletionWindowDays: expected a whole number <= 30/],
    ["an unknown environment", { "model-vault:environment": "staging" }, /model-vault:environment: expected dev or prod/],
    ["an account the provider is not allowed to use", { "aws:allowedAccountIds": '["222222222222"]' }, /aws:allowedAccountIds: .* does not include model-vault:accountId/],
  ];
  for (const [what, overrides, expected] of bad) {
    it(`rejects ${what} with one message naming the stack file and the key`, () => {
      const message = problemsOf(overrides);
      assert.match(message, /^Pulumi\.dev\.yaml: invalid configuration/);
      assert.match(message, expected);
    });
  }

  it("reports every bad key of a stack file in the same message", () => {
    const message = problemsOf({ "model-vault:bucketName": "UP", "aws:region": "moon-1", "model-vault:deployerRoleArn": "arn:aws:iam::111111111111:role/deployer" }, "prod");
    assert.match(message, /^Pulumi\.prod\.yaml/);
    assert.match(message, /aws:region/);
    assert.match(message, /model-vault:bucketName/);
  });
});
