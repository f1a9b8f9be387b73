// Every @pulumi/aws v7 resource type whose inputs hold an IAM-language document, and where.
//
// Found from the provider's types (every `…Args` input named policy / accessPolicies /
// assumeRolePolicy / inlinePolicy / policyDocument / resourcePolicy / content / accessPolicy),
// then kept only where the document is IAM policy language. Left out on purpose, because their
// documents are another language: IoT policies, OpenSearch Serverless access/security/lifecycle
// policies, CloudWatch Logs account/data-protection/index policies, SNS data-protection policies,
// Verified Access (Cedar), CloudFormation stack policies, Network Manager core-network policies,
// RAM permission templates, ECR lifecycle policies. VPC endpoint policies are left out too: they
// only narrow what passes through an endpoint, and `Principal: "*"` is their normal form.
// tests/policypack-reader.spec.ts re-scans the provider's types and fails on a new candidate that
// is neither here nor in NOT_IAM.

import type { DocKind } from "./document";

export interface Location {
  field: string;
  kind: DocKind;
  /**
   * Service prefixes a resource policy may name in Action (AWS rejects a policy naming another
   * service's actions, e.g. "Policy has invalid action" for a bucket policy with `sqs:SendMessage`).
   * Undefined: not checked.
   */
  services?: readonly string[];
}

const res = (field: string, ...services: string[]): Location => ({ field, kind: "resource", services: services.length ? services : undefined });
const identity = (field: string): Location => ({ field, kind: "identity" });

// S3 bucket policies: s3 actions only (S3 User Guide, "Policy actions for Amazon S3",
// https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
const S3 = ["s3", "s3express"];

export const LOCATIONS: Record<string, readonly Location[]> = {
  // IAM identity policies and trust
  "aws:iam/policy:Policy": [identity("policy")],
  "aws:iam/rolePolicy:RolePolicy": [identity("policy")],
  "aws:iam/userPolicy:UserPolicy": [identity("policy")],
  "aws:iam/groupPolicy:GroupPolicy": [identity("policy")],
  "aws:iam/role:Role": [{ field: "assumeRolePolicy", kind: "trust" }],
  // Session policies and permission sets are identity-policy language (no Principal).
  "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy": [identity("inlinePolicy")],
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": [identity("policy")],
  "aws:rolesanywhere/profile:Profile": [identity("sessionPolicy")],
  "aws:transfer/user:User": [identity("policy")],
  "aws:transfer/access:Access": [identity("policy")],
  // S3 and its relatives (deprecated BucketV2 included: still shipped in v7)
  "aws:s3/bucket:Bucket": [res("policy", ...S3)],
  "aws:s3/bucketV2:BucketV2": [res("policy", ...S3)],
  "aws:s3/bucketPolicy:BucketPolicy": [res("policy", ...S3)],
  "aws:s3/accessPoint:AccessPoint": [res("policy", ...S3)],
  "aws:s3control/accessPointPolicy:AccessPointPolicy": [res("policy", ...S3)],
  "aws:s3control/bucketPolicy:BucketPolicy": [res("policy", "s3-outposts")],
  "aws:s3control/objectLambdaAccessPointPolicy:ObjectLambdaAccessPointPolicy": [res("policy", "s3-object-lambda")],
  "aws:s3control/accessGrantsInstanceResourcePolicy:AccessGrantsInstanceResourcePolicy": [res("policy", "s3")],
  "aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy": [res("policy", "s3vectors")],
  "aws:s3/filesFileSystemPolicy:FilesFileSystemPolicy": [res("policy")],
  "aws:s3tables/tableBucketPolicy:TableBucketPolicy": [res("resourcePolicy", "s3tables")],
  "aws:s3tables/tablePolicy:TablePolicy": [res("resourcePolicy", "s3tables")],
  // KMS
  "aws:kms/key:Key": [res("policy", "kms")],
  "aws:kms/keyPolicy:KeyPolicy": [res("policy", "kms")],
  "aws:kms/externalKey:ExternalKey": [res("policy", "kms")],
  "aws:kms/replicaKey:ReplicaKey": [res("policy", "kms")],
  "aws:kms/replicaExternalKey:ReplicaExternalKey": [res("policy", "kms")],
  // Messaging
  "aws:sns/topic:Topic": [res("policy", "sns")],
  "aws:sns/topicPolicy:TopicPolicy": [res("policy", "sns")],
  "aws:sqs/queue:Queue": [res("policy", "sqs")],
  "aws:sqs/queuePolicy:QueuePolicy": [res("policy", "sqs")],
  "aws:cloudwatch/eventBusPolicy:EventBusPolicy": [res("policy", "events")],
  "aws:schemas/registryPolicy:RegistryPolicy": [res("policy", "schemas")],
  "aws:ses/identityPolicy:IdentityPolicy": [res("policy", "ses")],
  "aws:sesv2/emailIdentityPolicy:EmailIdentityPolicy": [res("policy", "ses")],
  "aws:pinpoint/smsvoicev2ResourcePolicy:Smsvoicev2ResourcePolicy": [res("policy", "sms-voice")],
  // Containers, code, artifacts
  "aws:ecr/repositoryPolicy:RepositoryPolicy": [res("policy", "ecr")],
  "aws:ecr/registryPolicy:RegistryPolicy": [res("policy", "ecr")],
  "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": [res("repositoryPolicy", "ecr")],
  "aws:ecrpublic/repositoryPolicy:RepositoryPolicy": [res("policy", "ecr-public")],
  // Domain policies grant sts:GetServiceBearerToken too, which CodeArtifact's auth needs
  // (https://docs.aws.amazon.com/codeartifact/latest/ug/domain-policies.html).
  "aws:codeartifact/domainPermissions:DomainPermissions": [res("policyDocument", "codeartifact", "sts")],
  "aws:codeartifact/repositoryPermissionsPolicy:RepositoryPermissionsPolicy": [res("policyDocument", "codeartifact")],
  "aws:codebuild/resourcePolicy:ResourcePolicy": [res("policy", "codebuild")],
  "aws:lambda/resourcePolicy:ResourcePolicy": [res("policy", "lambda")],
  "aws:sagemaker/modelPackageGroupPolicy:ModelPackageGroupPolicy": [res("resourcePolicy", "sagemaker")],
  "aws:bedrock/agentcoreResourcePolicy:AgentcoreResourcePolicy": [res("policy", "bedrock-agentcore")],
  // Secrets, certificates
  "aws:secretsmanager/secret:Secret": [res("policy", "secretsmanager")],
  "aws:secretsmanager/secretPolicy:SecretPolicy": [res("policy", "secretsmanager")],
  "aws:acmpca/policy:Policy": [res("policy", "acm-pca")],
  // Storage and data
  "aws:efs/fileSystemPolicy:FileSystemPolicy": [res("policy", "elasticfilesystem")],
  "aws:glacier/vault:Vault": [res("accessPolicy", "glacier")],
  "aws:glacier/vaultLock:VaultLock": [res("policy", "glacier")],
  "aws:backup/vaultPolicy:VaultPolicy": [res("policy", "backup")],
  "aws:dynamodb/resourcePolicy:ResourcePolicy": [res("policy", "dynamodb")],
  "aws:kinesis/resourcePolicy:ResourcePolicy": [res("policy", "kinesis")],
  "aws:glue/resourcePolicy:ResourcePolicy": [res("policy", "glue")],
  "aws:mediastore/containerPolicy:ContainerPolicy": [res("policy", "mediastore")],
  "aws:msk/clusterPolicy:ClusterPolicy": [res("policy", "kafka", "kafka-cluster")],
  "aws:dsql/clusterPolicy:ClusterPolicy": [res("policy", "dsql")],
  "aws:redshift/resourcePolicy:ResourcePolicy": [res("policy", "redshift")],
  "aws:redshiftserverless/resourcePolicy:ResourcePolicy": [res("policy", "redshift-serverless")],
  // Search and analytics
  "aws:opensearch/domain:Domain": [res("accessPolicies", "es")],
  "aws:opensearch/domainPolicy:DomainPolicy": [res("accessPolicies", "es")],
  "aws:elasticsearch/domain:Domain": [res("accessPolicies", "es")],
  "aws:elasticsearch/domainPolicy:DomainPolicy": [res("accessPolicies", "es")],
  "aws:opensearchingest/resourcePolicy:ResourcePolicy": [res("policy", "osis")],
  "aws:cloudsearch/domainServiceAccessPolicy:DomainServiceAccessPolicy": [res("accessPolicy", "cloudsearch")],
  // APIs, networking, observability
  "aws:apigateway/restApi:RestApi": [res("policy", "execute-api")],
  "aws:apigateway/restApiPolicy:RestApiPolicy": [res("policy", "execute-api")],
  "aws:apigateway/domainName:DomainName": [res("policy", "execute-api")],
  "aws:vpclattice/authPolicy:AuthPolicy": [res("policy", "vpc-lattice-svcs")],
  "aws:vpclattice/resourcePolicy:ResourcePolicy": [res("policy", "vpc-lattice")],
  "aws:networkfirewall/resourcePolicy:ResourcePolicy": [res("policy", "network-firewall")],
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": [res("policyDocument", "logs")],
  "aws:cloudwatch/logDestinationPolicy:LogDestinationPolicy": [res("accessPolicy", "logs")],
  "aws:cloudwatch/logDeliveryDestinationPolicy:LogDeliveryDestinationPolicy": [res("deliveryDestinationPolicy", "logs")],
  "aws:oam/sinkPolicy:SinkPolicy": [res("policy", "oam")],
  "aws:xray/resourcePolicy:ResourcePolicy": [res("policyDocument", "xray")],
  "aws:amp/resourcePolicy:ResourcePolicy": [res("policyDocument", "aps")],
  "aws:organizations/resourcePolicy:ResourcePolicy": [res("content", "organizations")],
};

/**
 * Policy-named inputs of @pulumi/aws v7 that are not IAM policy language (or handled elsewhere),
 * so the type scan in the tests can tell a new, unread type from one left out on purpose.
 */
export const NOT_IAM: readonly string[] = [
  "aws:iot/policy:Policy",
  "aws:iot/policyAttachment:PolicyAttachment", // names an IoT policy, holds no document
  "aws:opensearch/serverlessAccessPolicy:ServerlessAccessPolicy",
  "aws:opensearch/serverlessLifecyclePolicy:ServerlessLifecyclePolicy",
  "aws:opensearch/serverlessSecurityPolicy:ServerlessSecurityPolicy",
  "aws:cloudwatch/logAccountPolicy:LogAccountPolicy",
  "aws:cloudwatch/logDataProtectionPolicy:LogDataProtectionPolicy",
  "aws:cloudwatch/logIndexPolicy:LogIndexPolicy",
  "aws:sns/dataProtectionPolicy:DataProtectionPolicy",
  "aws:verifiedaccess/endpoint:Endpoint",
  "aws:verifiedaccess/group:Group",
  "aws:cloudformation/stack:Stack",
  "aws:networkmanager/coreNetwork:CoreNetwork",
  "aws:networkmanager/coreNetworkPolicyAttachment:CoreNetworkPolicyAttachment",
  "aws:ram/permission:Permission",
  "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  "aws:ec2/vpcEndpoint:VpcEndpoint",
  "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
  "aws:odb/network:Network",
  "aws:ses/receiptFilter:ReceiptFilter",
  "aws:cfg/organizationCustomPolicyRule:OrganizationCustomPolicyRule",
  // Organizations policies: read in reader.ts (the type decides SCP, RCP or not IAM).
  "aws:organizations/policy:Policy",
];
