// What every model-vault bucket gets whatever it holds: ACLs off, all four Block Public Access
// flags, versioning. One place, so the model bucket and both log buckets cannot drift apart.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface PrivateBucketControls {
  ownership: aws.s3.BucketOwnershipControls;
  publicAccessBlock: aws.s3.BucketPublicAccessBlock;
  versioning: aws.s3.BucketVersioning;
}

/** Registers `<prefix>-ownership`, `<prefix>-public-access-block` and `<prefix>-versioning` for `bucket`. */
export function lockDownBucket(prefix: string, bucket: pulumi.Input<string>, parent: pulumi.Resource): PrivateBucketControls {
  return {
    ownership: new aws.s3.BucketOwnershipControls(`${prefix}-ownership`, { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent }),
    publicAccessBlock: new aws.s3.BucketPublicAccessBlock(
      `${prefix}-public-access-block`,
      { bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent },
    ),
    versioning: new aws.s3.BucketVersioning(`${prefix}-versioning`, { bucket, versioningConfiguration: { status: "Enabled" } }, { parent }),
  };
}
