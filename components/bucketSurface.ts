// What the model bucket (ModelBucket) offers the other components, in one place: each component asks
// for the part it uses, structurally, so none of them imports ModelBucket itself.
import type * as pulumi from "@pulumi/pulumi";
import type { Statement } from "../iam/types";

/** A bucket whose single policy merges what others contribute (the model bucket, its log bucket). */
export interface BucketPolicyOwner {
  bucketArn: pulumi.Input<string>;
  addBucketPolicyStatements(owner: string, statements: pulumi.Input<Statement[]>): void;
}

/** A bucket whose KMS key policy merges what others contribute. */
export interface KeyPolicyOwner {
  addKeyPolicyStatements(owner: string, statements: pulumi.Input<Statement[]>): void;
}

/** What the grant verbs (components/grants.ts) need: the ARNs as outputs, and the key policy. */
export interface GrantableBucket extends KeyPolicyOwner {
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
}

/** What AccessRoles needs: the grants, and the bucket policy for the access statements. */
export type AccessBucket = GrantableBucket & BucketPolicyOwner;

/** What ModelCdn serves from: both policies, and the regional domain name (never the website endpoint). */
export interface CdnOrigin extends BucketPolicyOwner, KeyPolicyOwner {
  regionalDomainName: pulumi.Input<string>;
}
