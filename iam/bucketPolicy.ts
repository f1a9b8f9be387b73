// The access-related statements of the model bucket's (single) bucket policy. Pure.
// ModelBucket owns the policy and merges these with its own (TLS-only, ...).
import type { Statement } from "./types";
import { S3_BUCKET_MUTATING_ACTIONS, S3_OBJECT_MUTATING_ACTIONS } from "./s3Actions";

export interface AccessBucketPolicyArgs {
  bucketArn: string;
  /** The elevated publisher role: the only principal that may write or delete objects. Absent: nobody may. */
  publisherRoleArn?: string;
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

export function accessBucketPolicyStatements(a: AccessBucketPolicyArgs): Statement[] {
  const objects = `${a.bucketArn}/*`;
  const out: Statement[] = [
    {
      Sid: "DenyObjectWritesExceptPublisher",
      Effect: "Deny",
      Principal: "*",
      Action: [...S3_OBJECT_MUTATING_ACTIONS],
      Resource: objects,
      // Negated operator: a request without aws:PrincipalArn (anonymous, a service) is denied too.
      ...(a.publisherRoleArn ? { Condition: { ArnNotEquals: { "aws:PrincipalArn": a.publisherRoleArn } } } : {}),
    },
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
