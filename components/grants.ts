// The grant verbs ConsumerRole and PublisherRole use on the model bucket: each attaches an inline policy built by
// the pure builders in iam/ to the role, and lets the role use the bucket key via S3 (key policy).
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { accountOf, s3ViaService } from "../iam/arn";
import { consumerKeyStatementFor, publisherKeyStatement, readOnlyKeyStatement, sidSuffixOf } from "../iam/keyPolicy";
import { assertPolicySize, ROLE_INLINE_POLICIES_MAX } from "../iam/limits";
import { publisherPolicy } from "../iam/publisher";
import { readOnlyPolicy } from "../iam/readOnly";
import type { NetworkPerimeter } from "../iam/network";
import { toJson } from "../iam/types";
import type { GrantableBucket } from "./bucketSurface";

export interface GrantOptions {
  /** Logical name of the inline policy (also names its key-policy statement), e.g. `<role logical name>-read`. */
  name: string;
  /** Parent of the inline policy, usually the component that owns the role. */
  parent?: pulumi.Resource;
  /** Reads only from this network (iam/network.ts). */
  network?: NetworkPerimeter;
}

/** Read-only access to `prefixes`: GetObject, prefix-scoped listing, kms:Decrypt via S3, explicit deny of every mutation. */
export function grantRead(bucket: GrantableBucket, role: aws.iam.Role, prefixes: string[], opts: GrantOptions): aws.iam.RolePolicy {
  const name = opts.name;
  const policy = pulumi
    .all([bucket.bucketArn, bucket.keyArn])
    .apply(([bucketArn, keyArn]) => assertPolicySize(toJson(readOnlyPolicy({ bucketArn, keyArn, prefixes, network: opts.network })), ROLE_INLINE_POLICIES_MAX, `${name} inline policy`));
  bucket.addKeyPolicyStatements(
    name,
    // Consumer roles share one statement (the key policy's size no longer grows with them); the
    // collector keeps one copy. Any other role keeps a statement naming it.
    pulumi.all([bucket.keyArn, role.arn]).apply(([keyArn, roleArn]) => {
      const [account, via] = [accountOf(keyArn), s3ViaService(keyArn)];
      return [consumerKeyStatementFor(roleArn, account, via) ?? readOnlyKeyStatement(roleArn, account, via, sidSuffixOf(name))];
    }),
  );
  return new aws.iam.RolePolicy(name, { role: role.id, policy }, { parent: opts.parent });
}

export interface PublishOptions extends GrantOptions {
  /** Also allow s3:DeleteObject on the prefixes. Default false. */
  allowDelete?: boolean;
}

/** Publishing to `prefixes`: PutObject/multipart (DeleteObject when allowed), listing inside them, KMS for SSE-KMS uploads via S3. */
export function grantPublish(bucket: GrantableBucket, role: aws.iam.Role, prefixes: string[], opts: PublishOptions): aws.iam.RolePolicy {
  const name = opts.name;
  const policy = pulumi
    .all([bucket.bucketArn, bucket.keyArn])
    .apply(([bucketArn, keyArn]) =>
      assertPolicySize(toJson(publisherPolicy({ bucketArn, keyArn, prefixes, allowDelete: opts.allowDelete ?? false })), ROLE_INLINE_POLICIES_MAX, `${name} inline policy`),
    );
  bucket.addKeyPolicyStatements(
    name,
    pulumi.all([bucket.keyArn, role.arn]).apply(([keyArn, roleArn]) => [publisherKeyStatement(roleArn, accountOf(keyArn), s3ViaService(keyArn), sidSuffixOf(name))]),
  );
  return new aws.iam.RolePolicy(name, { role: role.id, policy }, { parent: opts.parent });
}
