// Resource type tokens of @pulumi/aws v7, verified against each class's `__pulumiType`.
// Rules match on these strings instead of importing @pulumi/aws: loading that package costs
// seconds and hundreds of MB, and a pack that only reads plain props does not need it.

export const T = {
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketPab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  accountPab: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketSse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketAcl: "aws:s3/bucketAcl:BucketAcl",
  accessPoint: "aws:s3/accessPoint:AccessPoint",
  accessPointPolicy: "aws:s3control/accessPointPolicy:AccessPointPolicy",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  userPolicy: "aws:iam/userPolicy:UserPolicy",
  groupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  managedPolicy: "aws:iam/policy:Policy",
  kmsKey: "aws:kms/key:Key",
  kmsKeyPolicy: "aws:kms/keyPolicy:KeyPolicy",
  trail: "aws:cloudtrail/trail:Trail",
  distribution: "aws:cloudfront/distribution:Distribution",
  orgPolicy: "aws:organizations/policy:Policy",
  lambdaPermission: "aws:lambda/permission:Permission",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
} as const;

export type AwsToken = (typeof T)[keyof typeof T];
