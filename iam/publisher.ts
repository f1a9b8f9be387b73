// Least-privilege identity policy of the elevated publisher role. Pure: no Pulumi import.
import { policyDocument, type PolicyDocument, type Statement } from "./types";
import { KMS_UPLOAD_ACTIONS, PUBLISHER_DELETE_ACTIONS, PUBLISHER_WRITE_ACTIONS } from "./s3Actions";
import { bucketNameOf, s3ViaService } from "./arn";
import { assertPrefixes } from "./prefixes";

export interface PublisherArgs {
  bucketArn: string;
  keyArn: string;
  /** Prefixes the publisher may write to, each ending with "/". */
  prefixes: string[];
  /** Grant s3:DeleteObject on the prefixes too. Default false. */
  allowDelete?: boolean;
}

/**
 * PutObject / multipart upload (and DeleteObject when allowed) on the prefixes, ListBucket inside them
 * (what `aws s3 sync` needs), and the KMS actions of an SSE-KMS upload via S3. Nothing on bucket
 * configuration, no reads of other prefixes.
 */
export function publisherStatements(a: PublisherArgs): Statement[] {
  assertPrefixes(a.prefixes);
  bucketNameOf(a.bucketArn);
  const prefixes = [...new Set(a.prefixes)].sort();
  const actions: string[] = [...PUBLISHER_WRITE_ACTIONS, ...(a.allowDelete ? PUBLISHER_DELETE_ACTIONS : [])];
  return [
    { Sid: "PublishInPrefixes", Effect: "Allow", Action: actions, Resource: prefixes.map((p) => `${a.bucketArn}/${p}*`) },
    {
      Sid: "ListInsidePublishPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: a.bucketArn,
      Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
    },
    {
      Sid: "EncryptUploadsViaS3",
      Effect: "Allow",
      Action: [...KMS_UPLOAD_ACTIONS],
      Resource: a.keyArn,
      Condition: { StringEquals: { "kms:ViaService": s3ViaService(a.keyArn) } },
    },
  ];
}

export function publisherPolicy(a: PublisherArgs): PolicyDocument {
  return policyDocument(publisherStatements(a));
}

/**
 * The publisher's permissions boundary, a customer-managed policy under ROLE_PATH (so the org SCPs'
 * `policy/model-vault/*` protection covers it) named `model-vault-publisher-boundary-<stack>`.
 */
export const PUBLISHER_BOUNDARY_NAME_PREFIX = "model-vault-publisher-boundary";

/** IAM policy names: 1-128 characters of [A-Za-z0-9+=,.@_-] (https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html). */
const POLICY_NAME_RE = /^[\w+=,.@-]{1,128}$/;

/** Throws, naming the stack, when its name cannot make a valid policy name (index.ts asks before registering anything). */
export function publisherBoundaryName(stack: string): string {
  const name = `${PUBLISHER_BOUNDARY_NAME_PREFIX}-${stack}`;
  if (!POLICY_NAME_RE.test(name)) {
    throw new Error(`stack name ${JSON.stringify(stack)}: the publisher's boundary policy would be named ${JSON.stringify(name)}; expected at most 128 characters of [A-Za-z0-9+=,.@_-]`);
  }
  return name;
}

/**
 * The boundary is the publisher policy itself: the most the role may ever do. Whatever else is
 * attached to or written on the role (a borrowed revoker's inline policy, a managed policy) is
 * intersected with it, so it can narrow the publisher, never widen it
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html).
 */
export const publisherBoundaryPolicy = publisherPolicy;
