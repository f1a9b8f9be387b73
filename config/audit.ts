// The `audit` section of the stack config: the CloudTrail trail, its log bucket and optional deliveries.
// Pure: zod only, no Pulumi import. The lead's config/schema.ts composes `auditConfigSchema` under the key `audit`.
import { z } from "zod";

/** Storage classes a lifecycle rule may move CloudTrail log files to. */
export const AUDIT_STORAGE_CLASSES = ["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"] as const;
export type AuditStorageClass = (typeof AUDIT_STORAGE_CLASSES)[number];

/** Storage classes S3 refuses to transition to before an object is 30 days old. */
const MIN_30_DAYS: readonly AuditStorageClass[] = ["STANDARD_IA"];

/** The retention values CloudWatch Logs accepts (PutRetentionPolicy). */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const positiveDays = (max: number) =>
  z
    .number({ error: `expected a whole number of days` })
    .int({ error: `expected a whole number of days` })
    .min(1, { error: `expected at least 1 day` })
    .max(max, { error: `expected at most ${max} days` });

export const auditCloudWatchLogsSchema = z.strictObject({
  /** Days CloudWatch Logs keeps the trail's events. Default 90. Must be one of CLOUDWATCH_RETENTION_DAYS. */
  retentionDays: z
    .number({ error: "expected a number of days" })
    .refine((d) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(d), {
      error: `expected one of ${CLOUDWATCH_RETENTION_DAYS.join(", ")} (the values CloudWatch Logs accepts)`,
    })
    .default(90),
});

const ORG_ID = /^o-[a-z0-9]{10,32}$/;

/** The tampering alarms (components/Monitoring.ts, docs/audit.md "Alarms"). */
export const monitoringSchema = z.strictObject({
  /** Build the EventBridge rules and the alarm topic. Default: true in prod, false in dev. */
  enabled: z.boolean({ error: "expected true or false" }).optional(),
  /**
   * Email addresses subscribed to the alarm topic (each must confirm the subscription AWS mails it). Default [].
   * Slack or Microsoft Teams: point an AWS Chatbot channel configuration at the `alarmTopicArn` output (docs/audit.md).
   */
  email: z
    .array(z.string({ error: "expected an email address" }).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, { error: "expected an email address like oncall@example.com" }), {
      error: "expected a list of email addresses",
    })
    .default([]),
});

export const auditConfigSchema = z
  .strictObject({
    /**
     * S3 data events for *reads* of model objects (GetObject, HeadObject ...): "all" or "none".
     * Default: "all" in prod, "none" in dev (resolved by resolveAuditConfig). Writes (PutObject, DeleteObject,
     * CopyObject ...) are always logged. Read events are billed per 100,000: see docs/audit.md for the formula.
     */
    readDataEvents: z.enum(["all", "unexpected", "none"], { error: 'expected "all", "unexpected" or "none"' }).optional(),
    /** Days a log file is kept in the log bucket before lifecycle expiry. Default 365 (max 10 years). */
    retentionDays: positiveDays(3650).default(365),
    /** Days after which log files move to `transitionStorageClass`. Default 90. Must be below retentionDays. */
    transitionDays: positiveDays(3650).default(90),
    /** The cheaper storage class log files move to. Default "GLACIER_IR" (millisecond reads, 90-day minimum). */
    transitionStorageClass: z
      .enum(AUDIT_STORAGE_CLASSES, { error: `expected one of ${AUDIT_STORAGE_CLASSES.join(", ")}` })
      .default("GLACIER_IR"),
    /**
     * Object Lock (GOVERNANCE mode) retention, in days, for log files. Default null = follow the stack's `protect`:
     * when protect is true the logs are locked for `retentionDays`, otherwise there is no Object Lock (so dev
     * stacks can be destroyed). A number turns the lock on with that retention, whatever `protect` says.
     * AWS can enable Object Lock on an existing versioned bucket, but the bucket's `objectLockEnabled` is
     * replace-on-change in the provider: turning it on later replaces the log bucket (docs/audit.md).
     */
    objectLockDays: positiveDays(3650).nullable().default(null),
    /** Also deliver the trail to a CloudWatch Logs group (for metric filters and alarms). Default null = off. */
    cloudWatchLogs: auditCloudWatchLogsSchema.nullable().default(null),
    /** Create an SNS topic (encrypted with the trail key) that CloudTrail notifies on every log file delivery. Default false. */
    snsTopic: z.boolean({ error: "expected true or false" }).default(false),
    /**
     * Make the trail an AWS Organizations trail (every member account). Default false. Only valid when the stack
     * is deployed from the organization's management account (or a delegated administrator); needs organizationId.
     */
    organizationTrail: z.boolean({ error: "expected true or false" }).default(false),
    /** The organization id (o-xxxxxxxxxx), used for the organization trail's log prefix. Default null. */
    /** Tampering alarms: EventBridge rules -> encrypted SNS topic (docs/audit.md "Alarms"). Default: on in prod. */
    monitoring: monitoringSchema.default({ email: [] }),
    organizationId: z
      .string({ error: "expected an organization id like o-a1b2c3d4e5" })
      .regex(ORG_ID, { error: "expected an organization id like o-a1b2c3d4e5" })
      .nullable()
      .default(null),
  })
  .superRefine((c, ctx) => {
    if (c.transitionDays >= c.retentionDays) {
      ctx.addIssue({
        code: "custom",
        path: ["transitionDays"],
        message: `expected fewer days than audit.retentionDays (${c.retentionDays}); got ${c.transitionDays}`,
      });
    }
    if (MIN_30_DAYS.includes(c.transitionStorageClass) && c.transitionDays < 30) {
      ctx.addIssue({
        code: "custom",
        path: ["transitionDays"],
        message: `S3 moves objects to ${c.transitionStorageClass} no earlier than 30 days; got ${c.transitionDays}`,
      });
    }
    if (c.objectLockDays !== null && c.objectLockDays > c.retentionDays) {
      ctx.addIssue({
        code: "custom",
        path: ["objectLockDays"],
        message: `expected at most audit.retentionDays (${c.retentionDays}); got ${c.objectLockDays}`,
      });
    }
    if (c.organizationTrail && c.organizationId === null) {
      ctx.addIssue({
        code: "custom",
        path: ["organizationId"],
        message: "required when audit.organizationTrail is true (expected o-xxxxxxxxxx)",
      });
    }
  });

/** The `audit` section as validated (before the environment-dependent defaults). */
export type AuditSection = z.output<typeof auditConfigSchema>;

/** The resolved `audit` section the AuditTrail component takes: every default explicit. */
export interface AuditConfig extends Omit<AuditSection, "readDataEvents" | "objectLockDays" | "monitoring"> {
  /** The tampering alarms, with `enabled` resolved per environment. */
  monitoring: { enabled: boolean; email: string[] };
  readDataEvents: "all" | "unexpected" | "none";
  /** Object Lock (GOVERNANCE) retention of the log files in days, or null for no Object Lock. */
  objectLockDays: number | null;
}

/**
 * Fills in the defaults that depend on the stack: read data events ("all" in prod, "none" in dev) and Object
 * Lock (`objectLockDays` when set, otherwise `retentionDays` when the stack protects its data, otherwise none).
 * `section` is undefined when the stack file has no `audit` key.
 */
export function resolveAuditConfig(
  section: AuditSection | undefined,
  stack: { environment: "dev" | "prod"; protect: boolean },
): AuditConfig {
  const s = section ?? auditConfigSchema.parse({});
  return {
    ...s,
    readDataEvents: s.readDataEvents ?? (stack.environment === "prod" ? "all" : "none"),
    objectLockDays: s.objectLockDays ?? (stack.protect ? s.retentionDays : null),
    monitoring: { enabled: s.monitoring.enabled ?? stack.environment === "prod", email: s.monitoring.email },
  };
}
