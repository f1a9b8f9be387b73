// The exact array the pack enforces. Tests and the offline plan import it from here, so they
// evaluate what `pulumi preview --policy-pack policypack` enforces (index.ts only wraps it).

import type { Policies } from "@pulumi/policy";
import { cloudFrontHttpsOnly, cloudFrontOac, cloudFrontSignedUrls, cloudFrontTls } from "./rules/cloudfront";
import { knownActions, noAllowNotAction, noPassRoleStar, noStarResourceWrite, noWildcardActions } from "./rules/iam-actions";
import { documentReadable, documentSize } from "./rules/iam-documents";
import { noBroadManagedPolicy } from "./rules/iam-managed";
import { noPublicPrincipals, serviceTrustPinned } from "./rules/iam-principals";
import { accountPublicAccessBlock, bucketPublicAccessBlock, noPublicAcl } from "./rules/s3";
import { cloudTrailHardened, elevatedRoleSession, kmsKeyRotation, modelVaultRolePath } from "./rules/services";
import { cdnOriginPinned, modelBucketAudited, modelBucketComplete, roleInlinePoliciesSize } from "./rules/stack";

export const PACK_NAME = "model-vault";

export const policies: Policies = [
  // IAM documents (every resource type the reader knows)
  documentReadable,
  noWildcardActions,
  noAllowNotAction,
  noPublicPrincipals,
  knownActions,
  noStarResourceWrite,
  noPassRoleStar,
  serviceTrustPinned,
  documentSize,
  noBroadManagedPolicy,
  // S3
  bucketPublicAccessBlock,
  accountPublicAccessBlock,
  noPublicAcl,
  // KMS, CloudTrail, IAM roles
  kmsKeyRotation,
  cloudTrailHardened,
  elevatedRoleSession,
  modelVaultRolePath,
  // CloudFront
  cloudFrontHttpsOnly,
  cloudFrontTls,
  cloudFrontOac,
  cloudFrontSignedUrls,
  // Stack rules
  modelBucketComplete,
  modelBucketAudited,
  cdnOriginPinned,
  roleInlinePoliciesSize,
];
