// Keys of the model bucket and its server access log bucket.
import { z } from "zod";
import { flag, wholeNumber } from "./fields";

/** S3's bucket naming rules (general purpose buckets). */
export const bucketName = z
  .string({ error: "expected an S3 bucket name" })
  .min(3, "an S3 bucket name has 3 to 63 characters")
  .max(63, "an S3 bucket name has 3 to 63 characters")
  .refine((s) => s === s.toLowerCase(), "an S3 bucket name may not contain uppercase letters")
  .refine((s) => /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(s), "an S3 bucket name uses only a-z, 0-9, '.' and '-', and starts and ends with a letter or digit")
  .refine((s) => !s.includes(".."), "an S3 bucket name may not contain two adjacent periods")
  .refine((s) => !/^\d+\.\d+\.\d+\.\d+$/.test(s), "an S3 bucket name may not look like an IP address")
  .refine((s) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(s), "an S3 bucket name may not start with xn--, sthree- or amzn-s3-demo-")
  .refine((s) => !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(s), "an S3 bucket name may not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3")
  // Dots break virtual-hosted TLS (the wildcard certificate covers one label) and CloudFront origins.
  .refine((s) => !s.includes("."), "use '-' instead of '.' in the bucket name: dotted names break HTTPS virtual-hosted access");

export const objectLockSchema = z.strictObject(
  {
    /** GOVERNANCE lets principals with s3:BypassGovernanceRetention shorten retention; COMPLIANCE lets nobody. */
    mode: z.enum(["GOVERNANCE", "COMPLIANCE"], { error: "expected mode GOVERNANCE or COMPLIANCE" }),
    /** Default retention of every new object version, in days. */
    days: wholeNumber(1, 36500),
  },
  { error: "expected an object { mode, days } or false" },
);
export type ObjectLockConfig = z.infer<typeof objectLockSchema>;

export const storageShape = {
  /** Name of the model bucket (globally unique). Required. Its access logs go to "<bucketName>-logs", the audit trail's to "<bucketName>-audit". */
  // Optional in the schema only because the org stack (organization set) has no bucket; config/load.ts requires it otherwise.
  bucketName: bucketName.refine((s) => s.length <= 57, "at most 57 characters: the log buckets are named <bucketName>-logs and <bucketName>-audit").optional(),
  /** Days a noncurrent object version is kept before it expires. Default: dev 7, prod 90. */
  noncurrentVersionDays: wholeNumber(1, 36500).optional(),
  /** Days after which incomplete multipart uploads are aborted. Default 7. */
  abortIncompleteUploadDays: wholeNumber(1, 365).optional(),
  /**
   * S3 Object Lock default retention, or false. Default: prod { mode: GOVERNANCE, days: 30 }, dev false.
   * AWS can enable Object Lock on an existing versioned bucket
   * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html#object-lock-configure-existing-bucket),
   * but the bucket's `objectLockEnabled` (components/ModelBucket.ts) is replace-on-change in the AWS provider:
   * turning this on for a deployed stack previews a bucket replacement (docs/audit.md says how to avoid it).
   */
  objectLock: z.union([z.literal(false), objectLockSchema], { error: "expected false or an object { mode, days }" }).optional(),
  /** Days server access logs are kept. Default: dev 30, prod 365. */
  accessLogRetentionDays: wholeNumber(1, 36500).optional(),
  /** Refuse every object write that could replace an existing object (S3 conditional writes, iam/bucketPolicy.ts): a published release can only be added to a new prefix. Default: prod true, dev false. */
  immutableReleases: flag().optional(),
  /** Waiting period before a scheduled KMS key deletion completes, 7 to 30 days. Default 30. */
  kmsDeletionWindowDays: wholeNumber(7, 30).optional(),
};
