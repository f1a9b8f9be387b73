// Pure builders for the audit trail: the trail key policy, the log bucket policy, the CloudWatch Logs delivery
// role, the SNS topic policy and the trail's advanced event selectors. No Pulumi import: the AuditTrail
// component resolves its Inputs and calls these; tests evaluate their output with an IAM engine.
import { accountRoot, bucketArn } from "./arns";
import { arn, partitionOf, servicePrincipal } from "./arn";
import { denyInsecureTransport, keyAdministration } from "./bucketBaseline";
import { TRAIL_SELECTOR_VALUES_MAX } from "./limits";
import { PolicyDocument, Statement, policyDocument } from "./types";

export const CLOUDTRAIL_SERVICE = servicePrincipal("cloudtrail");

/** Everything the audit documents are pinned to. */
export interface AuditScope {
  accountId: string;
  region: string;
  /** The trail's physical name (known before the trail exists, so its ARN can pin the policies it needs). */
  trailName: string;
}

// The scope's region decides its partition (iam/arn.ts partitionOf): a trail lives in its stack's region.
export function trailArn(s: AuditScope): string {
  return arn(partitionOf(s.region), "cloudtrail", s.region, s.accountId, `trail/${s.trailName}`);
}

export function logGroupArn(s: AuditScope, logGroupName: string): string {
  return arn(partitionOf(s.region), "logs", s.region, s.accountId, `log-group:${logGroupName}`);
}

export interface AuditKeyPolicyArgs extends AuditScope {
  /** Whether CloudTrail publishes to an SNS topic encrypted with this key. */
  snsTopic?: boolean;
}

/**
 * The trail key's policy. In a key policy `Resource: "*"` means this key. CloudTrail may only generate data keys
 * for this trail (aws:SourceArn and the aws:cloudtrail:arn encryption context both equal the trail ARN); the
 * account may decrypt only what this trail encrypted; administration is delegated to the account (its IAM
 * policies decide who), with an explicit action list.
 */
export function auditKeyPolicy(a: AuditKeyPolicyArgs): PolicyDocument {
  const trail = trailArn(a);
  const statements: Statement[] = [
    // Administration is delegated to the account (its IAM policies decide who), with an explicit action list.
    keyAdministration(partitionOf(a.region), a.accountId),
    {
      Sid: "CloudTrailEncryptsThisTrailsLogs",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "kms:GenerateDataKey",
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceArn": trail, "kms:EncryptionContext:aws:cloudtrail:arn": trail },
      },
    },
    {
      Sid: "CloudTrailDescribesKey",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "kms:DescribeKey",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trail } },
    },
    {
      Sid: "AccountDecryptsThisTrailsLogs",
      Effect: "Allow",
      Principal: { AWS: accountRoot(partitionOf(a.region), a.accountId) },
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": a.accountId, "kms:EncryptionContext:aws:cloudtrail:arn": trail },
      },
    },
  ];
  if (a.snsTopic) {
    statements.push({
      Sid: "CloudTrailPublishesToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": trail, "aws:SourceAccount": a.accountId } },
    });
  }
  return policyDocument(statements, "model-vault-audit-key");
}

export interface LogBucketPolicyArgs extends AuditScope {
  /** The log bucket's name. */
  bucketName: string;
  /** Key prefix the trail writes under (no leading/trailing slash), or "" for none. */
  keyPrefix?: string;
  /** For an organization trail: the organization id, whose member accounts' logs land under AWSLogs/<org id>/. */
  organizationId?: string | null;
}

/** The object ARN patterns CloudTrail writes to: <prefix/>AWSLogs/<account>/* (and AWSLogs/<org id>/* for an org trail). */
export function trailWriteResources(a: LogBucketPolicyArgs): string[] {
  const base = `${bucketArn(partitionOf(a.region), a.bucketName)}/${a.keyPrefix ? `${a.keyPrefix}/` : ""}AWSLogs`;
  const out = [`${base}/${a.accountId}/*`];
  if (a.organizationId) out.push(`${base}/${a.organizationId}/*`);
  return out;
}

/**
 * The log bucket's policy: CloudTrail, for this trail only (aws:SourceArn), may read the bucket ACL and write
 * log files under its own prefix; nobody may use plain HTTP; nobody may write an object the way CloudTrail
 * would except under that prefix. Object Lock (prod) and versioning protect what was written.
 */
export function logBucketPolicy(a: LogBucketPolicyArgs): PolicyDocument {
  const trail = trailArn(a);
  return policyDocument(
    [
      {
        Sid: "CloudTrailAclCheck",
        Effect: "Allow",
        Principal: { Service: CLOUDTRAIL_SERVICE },
        Action: "s3:GetBucketAcl",
        Resource: bucketArn(partitionOf(a.region), a.bucketName),
        Condition: { StringEquals: { "aws:SourceArn": trail } },
      },
      {
        Sid: "CloudTrailWritesThisTrailsLogs",
        Effect: "Allow",
        Principal: { Service: CLOUDTRAIL_SERVICE },
        Action: "s3:PutObject",
        Resource: trailWriteResources(a),
        Condition: { StringEquals: { "aws:SourceArn": trail, "s3:x-amz-acl": "bucket-owner-full-control" } },
      },
      // TLS only (and TLS 1.2+): the project baseline every bucket carries.
      ...denyInsecureTransport(partitionOf(a.region), a.bucketName),
    ],
    "model-vault-audit-log-bucket",
  );
}

/** Trust policy of the role CloudTrail assumes to write to CloudWatch Logs: this trail only. */
export function cloudWatchDeliveryTrustPolicy(s: AuditScope): PolicyDocument {
  return policyDocument([
    {
      Sid: "CloudTrailAssumesForThisTrail",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceArn": trailArn(s), "aws:SourceAccount": s.accountId } },
    },
  ]);
}

/**
 * Permissions of the CloudWatch Logs delivery role: create streams and put events in the trail's log group only
 * (CloudTrail names its streams <account>_CloudTrail_<region>, and <org id>_... for an organization trail).
 */
export function cloudWatchDeliveryPolicy(s: AuditScope, logGroupName: string, organizationId?: string | null): PolicyDocument {
  const group = logGroupArn(s, logGroupName);
  const streams = [`${group}:log-stream:${s.accountId}_CloudTrail_${s.region}*`];
  if (organizationId) streams.push(`${group}:log-stream:${organizationId}_*`);
  return policyDocument([
    {
      Sid: "DeliverTrailEventsToItsLogGroup",
      Effect: "Allow",
      Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
      Resource: streams,
    },
  ]);
}

/** Policy of the notification topic: CloudTrail may publish, for this trail only. */
export function trailTopicPolicy(s: AuditScope, topicArn: string): PolicyDocument {
  return policyDocument([
    {
      Sid: "CloudTrailPublishesForThisTrail",
      Effect: "Allow",
      Principal: { Service: CLOUDTRAIL_SERVICE },
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { StringEquals: { "aws:SourceArn": trailArn(s) } },
    },
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topicArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

// ---- event selectors -------------------------------------------------------------------------------------

/** One advanced event selector, in the shape the Pulumi provider takes (`aws.cloudtrail.Trail.advancedEventSelectors`). */
export interface FieldSelector {
  field: "eventCategory" | "resources.type" | "resources.ARN" | "readOnly" | "eventSource" | "eventName" | "userIdentity.arn";
  equals?: string[];
  startsWiths?: string[];
  notEquals?: string[];
  notStartsWiths?: string[];
}
export interface AdvancedEventSelector {
  name: string;
  fieldSelectors: FieldSelector[];
}

/** `arn:aws:s3:::bucket` -> `arn:aws:s3:::bucket/`: the prefix every object of that bucket (and no other bucket) starts with. */
export function objectArnPrefix(bucketArn: string): string {
  if (!/^arn:[a-z-]+:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketArn)) {
    throw new Error(`expected an S3 bucket ARN like arn:aws:s3:::my-bucket, got "${bucketArn}"`);
  }
  return `${bucketArn}/`;
}

/** Which object reads the trail records: every one, only those by principals outside the plan's readers, or none. */
export type ReadDataEvents = "all" | "unexpected" | "none";

/**
 * `arn:aws:iam::111:role/path/NAME` -> `arn:aws:sts::111:assumed-role/NAME/`: what every session of the role
 * starts with in CloudTrail's userIdentity.arn (the path is not in a session ARN; the trailing slash keeps a role
 * named NAME-other out: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns).
 */
export function assumedRoleSessionPrefix(roleArn: string): string {
  const m = /^arn:([\w-]+):iam::(\d{12}):role\/(?:.*\/)?([\w+=,.@-]+)$/.exec(roleArn);
  if (!m) throw new Error(`expected an IAM role ARN like arn:aws:iam::111111111111:role/NAME, got "${roleArn}"`);
  return `arn:${m[1]}:sts::${m[2]}:assumed-role/${m[3]}/`;
}

/** Every value of every condition of a trail's advanced event selectors: what AWS caps at TRAIL_SELECTOR_VALUES_MAX. */
export function selectorValueCount(selectors: AdvancedEventSelector[]): number {
  return selectors.reduce(
    (n, s) => n + s.fieldSelectors.reduce((m, f) => m + (f.equals?.length ?? 0) + (f.startsWiths?.length ?? 0) + (f.notEquals?.length ?? 0) + (f.notStartsWiths?.length ?? 0), 0),
    0,
  );
}

/**
 * Management events (read and write), plus S3 object data events on the given buckets: writes always; reads when
 * `readDataEvents` is "all", or, when it is "unexpected", reads by anyone whose session is not one of
 * `expectedReaderRoleArns` (the declared consumers: userIdentity.arn NotStartsWith each role's session prefix,
 * https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_AdvancedFieldSelector.html). Each data selector
 * names the buckets by ARN prefix `arn:aws:s3:::BUCKET/` (the trailing slash keeps `BUCKET-other` out).
 * Throws when the selectors would exceed the trail's 500-value cap (AWS would refuse them at deploy).
 */
export function auditEventSelectors(bucketArns: string[], readDataEvents: ReadDataEvents, expectedReaderRoleArns: string[] = []): AdvancedEventSelector[] {
  if (bucketArns.length === 0) throw new Error("expected at least one model bucket ARN for the data-event selector");
  const prefixes = [...new Set(bucketArns.map(objectArnPrefix))];
  const data = (readOnly: "true" | "false"): FieldSelector[] => [
    { field: "eventCategory", equals: ["Data"] },
    { field: "resources.type", equals: ["AWS::S3::Object"] },
    { field: "readOnly", equals: [readOnly] },
    { field: "resources.ARN", startsWiths: prefixes },
  ];
  const selectors: AdvancedEventSelector[] = [
    { name: "Management events", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
    { name: "Model object writes", fieldSelectors: data("false") },
  ];
  if (readDataEvents === "all") selectors.push({ name: "Model object reads", fieldSelectors: data("true") });
  if (readDataEvents === "unexpected") {
    const expected = [...new Set(expectedReaderRoleArns.map(assumedRoleSessionPrefix))].sort();
    selectors.push({
      name: "Model object reads by undeclared principals",
      fieldSelectors: [...data("true"), ...(expected.length ? [{ field: "userIdentity.arn" as const, notStartsWiths: expected }] : [])],
    });
  }
  const values = selectorValueCount(selectors);
  if (values > TRAIL_SELECTOR_VALUES_MAX) {
    throw new Error(
      `audit.readDataEvents "unexpected": ${expectedReaderRoleArns.length} consumer role(s) make ${values} advanced-event-selector values; a trail takes at most ${TRAIL_SELECTOR_VALUES_MAX} (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_PutEventSelectors.html): use "all", or fewer consumer roles`,
    );
  }
  return selectors;
}

/** A field selector as read back from a plan or a provider (any field name). */
export type LooseFieldSelector = Omit<Partial<FieldSelector>, "field"> & { field: string };

/**
 * Whether `selectors` log S3 object events of `kind` on every object of `bucketArn`: the check the policy pack
 * and the tests share. A selector counts when it selects Data events on AWS::S3::Object, does not exclude the
 * access kind, and scopes resources.ARN to a prefix of the bucket's objects (or not at all).
 */
export function selectorsCoverBucket(
  selectors: ReadonlyArray<{ fieldSelectors: ReadonlyArray<LooseFieldSelector> }>,
  bucketArn: string,
  kind: "read" | "write",
): boolean {
  const objectPrefix = `${bucketArn}/`;
  return selectors.some((sel) => {
    const f = (name: string) => sel.fieldSelectors.find((x) => x.field === name);
    const category = f("eventCategory");
    if (!category?.equals?.includes("Data")) return false;
    const type = f("resources.type");
    if (!type?.equals?.includes("AWS::S3::Object")) return false;
    const ro = f("readOnly");
    if (ro?.equals && !ro.equals.includes(kind === "read" ? "true" : "false")) return false;
    // A selector scoped to some principals ("unexpected" reads) does not record every request.
    if (f("userIdentity.arn")) return false;
    const arn = f("resources.ARN");
    if (!arn) return true;
    if (arn.notStartsWiths?.some((p) => objectPrefix.startsWith(p))) return false;
    if (arn.notEquals?.length) return false;
    if (arn.equals?.length) return false;
    return !!arn.startsWiths?.some((p) => objectPrefix.startsWith(p));
  });
}
