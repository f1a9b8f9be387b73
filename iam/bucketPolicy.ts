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
