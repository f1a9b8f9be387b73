// The access-related statements of the model bucket's (single) bucket policy. Pure.
// ModelBucket owns the policy and merges these with its own (TLS-only, ...).
import type { Statement } from "./types";
import { DEPLOYER_ONLY_OBJECT_ACTIONS, PUBLISHER_DELETE_ACTIONS, PUBLISHER_WRITE_ACTIONS, S3_BUCKET_MUTATING_ACTIONS, S3_OBJECT_MUTATING_ACTIONS } from "./s3Actions";

export interface AccessBucketPolicyArgs {
  bucketArn: string;
  /** The elevated publisher role: the only principal that may write or delete objects. Absent: nobody may. */
  publisherRoleArn?: string;
  /** The publisher may DeleteObject (config publisher.allowDelete). Default false: nobody may. */
  publisherMayDelete?: boolean;
  /** The deployer role: the only principal that may change bucket configuration. Absent: no such deny (dev only). */
  deployerRoleArn?: string;
}

/** Every action the publisher could use: denied to its sessions that carry no source identity. */
const PUBLISHER_SESSION_ACTIONS = [
  ...S3_OBJECT_MUTATING_ACTIONS,
  "s3:ListMultipartUploadParts",
  "s3:ListBucketMultipartUploads",
  "s3:ListBucket",
  "s3:GetObject",
];

/**
 * Every object mutation falls in exactly one of three groups: what publishing needs (only the
 * publisher), what rewrites history or retention (only the deployer), and the rest (nobody).
 */
export function objectMutationGroups(publisherMayDelete: boolean): { publishing: string[]; deployerOnly: string[]; nobody: string[] } {
  const publisherActions: readonly string[] = [...PUBLISHER_WRITE_ACTIONS, ...(publisherMayDelete ? PUBLISHER_DELETE_ACTIONS : [])];
  const deployerOnly: readonly string[] = DEPLOYER_ONLY_OBJECT_ACTIONS;
  const publishing = S3_OBJECT_MUTATING_ACTIONS.filter((x) => publisherActions.includes(x));
  return {
    publishing,
    deployerOnly: [...DEPLOYER_ONLY_OBJECT_ACTIONS],
    nobody: S3_OBJECT_MUTATING_ACTIONS.filter((x) => !publishing.includes(x) && !deployerOnly.includes(x)),
  };
}

export function accessBucketPolicyStatements(a: AccessBucketPolicyArgs): Statement[] {
  const objects = `${a.bucketArn}/*`;
  const groups = objectMutationGroups(a.publisherMayDelete ?? false);
  // Negated operators: a request without aws:PrincipalArn (anonymous, a service) is denied too.
  const except = (arn: string | undefined) => (arn ? { Condition: { ArnNotEquals: { "aws:PrincipalArn": arn } } } : {});
  const out: Statement[] = [
    { Sid: "DenyObjectWritesExceptPublisher", Effect: "Deny", Principal: "*", Action: groups.publishing, Resource: objects, ...except(a.publisherRoleArn) },
    { Sid: "DenyObjectHistoryChangesExceptDeployer", Effect: "Deny", Principal: "*", Action: groups.deployerOnly, Resource: objects, ...except(a.deployerRoleArn) },
    { Sid: "DenyOtherObjectMutations", Effect: "Deny", Principal: "*", Action: groups.nobody, Resource: objects },
  ];
  if (a.deployerRoleArn) {
    out.push({
      Sid: "DenyBucketConfigChangesExceptDeployer",
      Effect: "Deny",
      Principal: "*",
      Action: [...S3_BUCKET_MUTATING_ACTIONS],
      Resource: a.bucketArn,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": a.deployerRoleArn } },
    });
  }
  if (a.publisherRoleArn) {
    out.push({
      Sid: "DenyPublisherWithoutSourceIdentity",
      Effect: "Deny",
      Principal: "*",
      Action: PUBLISHER_SESSION_ACTIONS,
      Resource: [a.bucketArn, objects],
      Condition: { ArnEquals: { "aws:PrincipalArn": a.publisherRoleArn }, Null: { "aws:SourceIdentity": "true" } },
    });
  }
  return out;
}

/** The condition context of a new object's upload as publish makes it (PutObject / CompleteMultipartUpload with If-None-Match: *). */
export const NEW_OBJECT_WRITE_CONTEXT: Readonly<Record<string, string>> = { "s3:if-none-match": "*", "s3:ObjectCreationOperation": "true" };

/**
 * Immutable releases: every object-creating write must carry If-None-Match (S3 then refuses it when the key
 * exists) and none may carry If-Match (which replaces a known version). Condition keys and the multipart
 * exemption as AWS documents them: s3:if-none-match / s3:if-match, and s3:ObjectCreationOperation, false for
 * CreateMultipartUpload, UploadPart and UploadPartCopy, which accept no conditional header (the
 * CompleteMultipartUpload that finishes them does, and is checked).
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes-enforce.html
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html#amazons3-policy-keys
 * Side effect AWS documents there: CopyObject into the bucket is refused (403 without the header, 501 with it).
 */
export function immutableReleaseStatements(bucketArn: string): Statement[] {
  const objects = `${bucketArn}/*`;
  return [
    {
      Sid: "DenyWritesWithoutIfNoneMatch",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:PutObject",
      Resource: objects,
      // IfExists: a request S3 did not classify is treated as creating an object, so the deny fails closed.
      Condition: { Null: { "s3:if-none-match": "true" }, BoolIfExists: { "s3:ObjectCreationOperation": "true" } },
    },
    { Sid: "DenyWritesWithIfMatch", Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: objects, Condition: { Null: { "s3:if-match": "false" } } },
  ];
}
