// The `audit` config section: defaults, the per-environment ones, and an error naming the key for each bad value.
import { strict as assert } from "node:assert";
import { auditConfigSchema, resolveAuditConfig, CLOUDWATCH_RETENTION_DAYS } from "../config/audit";

const issues = (raw: unknown): string[] => {
  const r = auditConfigSchema.safeParse(raw);
  assert.ok(!r.success, `expected ${JSON.stringify(raw)} to be rejected`);
  return r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
};
const rejects = (raw: unknown, path: string, message: RegExp) => {
  const found = issues(raw);
  assert.ok(
    found.some((i) => i.startsWith(`${path}: `) && message.test(i)),
    `expected an issue at ${path} matching ${message}, got ${JSON.stringify(found)}`,
  );
};

describe("audit config", () => {
  it("defaults: every key explicit; prod logs reads and locks logs for the retention period, dev neither", () => {
    const prod = resolveAuditConfig(undefined, { environment: "prod", protect: true });
    assert.deepEqual(prod, {
      readDataEvents: "all",
      retentionDays: 365,
      transitionDays: 90,
      transitionStorageClass: "GLACIER_IR",
      objectLockDays: 365,
      cloudWatchLogs: null,
      snsTopic: false,
      organizationTrail: false,
      organizationId: null,
      monitoring: { enabled: true, email: [] },
    });
    const dev = resolveAuditConfig(auditConfigSchema.parse({}), { environment: "dev", protect: false });
    assert.equal(dev.readDataEvents, "none");
    assert.equal(dev.objectLockDays, null);
    assert.equal(dev.monitoring.enabled, false);
  });

  it("explicit values win over the environment defaults", () => {
    const dev = resolveAuditConfig(auditConfigSchema.parse({ readDataEvents: "all", objectLockDays: 30 }), { environment: "dev", protect: false });
    assert.equal(dev.readDataEvents, "all");
    assert.equal(dev.objectLockDays, 30);
    const prod = resolveAuditConfig(auditConfigSchema.parse({ readDataEvents: "none", retentionDays: 400 }), { environment: "prod", protect: true });
    assert.equal(prod.readDataEvents, "none");
    assert.equal(prod.objectLockDays, 400, "Object Lock follows the retention when not set");
  });

  it("optional deliveries get their own defaults", () => {
    const c = auditConfigSchema.parse({ cloudWatchLogs: {}, snsTopic: true, organizationTrail: true, organizationId: "o-abc123def4" });
    assert.deepEqual(c.cloudWatchLogs, { retentionDays: 90 });
    assert.equal(c.snsTopic, true);
  });

  it("rejects a bad read-data-event switch", () => {
    rejects({ readDataEvents: "reads" }, "readDataEvents", /expected "all", "unexpected" or "none"/);
    rejects({ readDataEvents: true }, "readDataEvents", /expected "all", "unexpected" or "none"/);
  });

  it("rejects bad retention: not a whole number, zero, over 10 years, a string", () => {
    rejects({ retentionDays: 36.5 }, "retentionDays", /whole number of days/);
    rejects({ retentionDays: 0 }, "retentionDays", /at least 1 day/);
    rejects({ retentionDays: 4000 }, "retentionDays", /at most 3650 days/);
    rejects({ retentionDays: "a year" }, "retentionDays", /whole number of days/);
  });

  it("rejects a transition at or after expiry, and one S3 would refuse", () => {
    rejects({ retentionDays: 60, transitionDays: 90 }, "transitionDays", /fewer days than audit.retentionDays \(60\); got 90/);
    rejects({ retentionDays: 90, transitionDays: 90 }, "transitionDays", /fewer days/);
    rejects({ transitionStorageClass: "STANDARD_IA", transitionDays: 7 }, "transitionDays", /no earlier than 30 days/);
    rejects({ transitionStorageClass: "REDUCED_REDUNDANCY" }, "transitionStorageClass", /expected one of STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR, GLACIER, DEEP_ARCHIVE/);
  });

  it("rejects an Object Lock longer than the retention", () => {
    rejects({ retentionDays: 100, objectLockDays: 200 }, "objectLockDays", /at most audit.retentionDays \(100\)/);
  });

  it("rejects a CloudWatch Logs retention CloudWatch does not accept, and unknown keys in the block", () => {
    rejects({ cloudWatchLogs: { retentionDays: 100 } }, "cloudWatchLogs.retentionDays", new RegExp(`expected one of ${CLOUDWATCH_RETENTION_DAYS.slice(0, 3).join(", ")}`));
    rejects({ cloudWatchLogs: { retention: 30 } }, "cloudWatchLogs", /Unrecognized key/);
  });

  it("an organization trail needs a well-formed organization id", () => {
    rejects({ organizationTrail: true }, "organizationId", /required when audit.organizationTrail is true/);
    rejects({ organizationTrail: true, organizationId: "123456789012" }, "organizationId", /organization id like o-/);
  });

  it("rejects unknown keys (typos) and booleans given as anything else", () => {
    rejects({ retentionDay: 30 }, "", /Unrecognized key.*retentionDay/);
    rejects({ snsTopic: "yes" }, "snsTopic", /expected true or false/);
  });
});
