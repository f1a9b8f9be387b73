// Least-privilege identity policy of a read-only consumer role. Pure: no Pulumi import.
import { policyDocument, type PolicyDocument, type Statement } from "./types";
import { KMS_ENCRYPT_ACTIONS, KMS_READ_ACTIONS, S3_BUCKET_MUTATING_ACTIONS, S3_OBJECT_MUTATING_ACTIONS } from "./s3Actions";
import { bucketNameOf, s3ViaService } from "./arn";
import { assertPrefixes } from "./prefixes";
import { consumerNetworkDeny, type NetworkPerimeter } from "./network";

export interface ReadOnlyArgs {
  /** arn:aws:s3:::BUCKET */
  bucketArn: string;
  /** The bucket's KMS key (arn:aws:kms:REGION:ACCOUNT:key/ID): its region gives kms:ViaService. */
  keyArn: string;
  /** Object-key prefixes the role may read, each ending with "/" (validated). */
  prefixes: string[];
  /** Where reads may come from (iam/network.ts); absent: any network. */
  network?: NetworkPerimeter;
}

/**
 * The root ("") and every parent folder of the prefixes: listing those with delimiter "/" shows only
 * the names one level down (what `aws s3 ls s3://BUCKET/` needs), nothing inside other folders.
 * "models/llama/v1/" -> ["", "models/", "models/llama/"].
 */
export function parentPrefixes(prefixes: string[]): string[] {
  const out = new Set<string>([""]);
  for (const p of prefixes) {
    const parts = p.split("/").filter((s) => s.length > 0);
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join("/") + "/");
  }
  // A parent that is itself inside a granted prefix is already covered by the prefix grant.
  return [...out].filter((q) => q === "" || !prefixes.some((p) => q.startsWith(p))).sort();
}

/** The Allow statements: GetObject, ListBucket (prefixes + parents with "/"), kms:Decrypt via S3. */
export function readOnlyAllowStatements(a: ReadOnlyArgs): Statement[] {
  assertPrefixes(a.prefixes);
  bucketNameOf(a.bucketArn);
  const prefixes = [...new Set(a.prefixes)].sort();
  return [
    {
      Sid: "ReadObjectsInPrefixes",
      Effect: "Allow",
      Action: "s3:GetObject",
      Resource: prefixes.map((p) => `${a.bucketArn}/${p}*`),
    },
    {
      Sid: "ListInsidePrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: a.bucketArn,
      Condition: { StringLike: { "s3:prefix": prefixes.map((p) => `${p}*`) } },
    },
    {
      Sid: "ListRootAndParentsOneLevel",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: a.bucketArn,
      Condition: { StringEquals: { "s3:prefix": parentPrefixes(prefixes), "s3:delimiter": "/" } },
    },
    {
      Sid: "DecryptViaS3",
      Effect: "Allow",
      Action: [...KMS_READ_ACTIONS],
      Resource: a.keyArn,
      Condition: { StringEquals: { "kms:ViaService": s3ViaService(a.keyArn) } },
    },
  ];
}

/**
 * Explicit denies on everything mutating: object writes/deletes/ACLs/tags/retention, every bucket
 * configuration change, and encrypting with the bucket key. A later attachment cannot widen them.
 */
export function readOnlyDenyStatements(a: Pick<ReadOnlyArgs, "bucketArn" | "keyArn">): Statement[] {
  return [
    { Sid: "DenyObjectMutation", Effect: "Deny", Action: [...S3_OBJECT_MUTATING_ACTIONS], Resource: `${a.bucketArn}/*` },
    { Sid: "DenyBucketMutation", Effect: "Deny", Action: [...S3_BUCKET_MUTATING_ACTIONS], Resource: a.bucketArn },
    { Sid: "DenyEncryptWithBucketKey", Effect: "Deny", Action: [...KMS_ENCRYPT_ACTIONS], Resource: a.keyArn },
  ];
}

/** The whole inline policy of a read-only role; with a perimeter, its Deny travels with the grant. */
export function readOnlyPolicy(a: ReadOnlyArgs): PolicyDocument {
  const network = a.network ? [consumerNetworkDeny({ bucketArn: a.bucketArn, keyArn: a.keyArn, network: a.network })] : [];
  return policyDocument([...readOnlyAllowStatements(a), ...readOnlyDenyStatements(a), ...network]);
}
