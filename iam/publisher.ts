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
