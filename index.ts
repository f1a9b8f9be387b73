// model-vault: one stack = one environment's model bucket and everything that guards it.
// Read top to bottom: configuration -> components -> outputs.
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { AccountGuardrails } from "./components/AccountGuardrails";
import { ModelBucket } from "./components/ModelBucket";
import { AccessRoles } from "./components/AccessRoles";
import { OrgGuardrails } from "./components/OrgGuardrails";
import { ModelCdn, cdnLogTarget } from "./components/ModelCdn";
import { servedPrefixes } from "./config/cdn";
import { AuditTrail, defaultTrailName } from "./components/AuditTrail";
import { Monitoring } from "./components/Monitoring";
import { JitBroker } from "./components/JitBroker";
import { auditBucketName, JIT_NAME_PREFIX } from "./iam/arns";
import { publisherBoundaryName } from "./iam/publisher";
import { brokerFunctionNames } from "./jit/trust";
import { sagemakerModelDataSources } from "./models/sagemaker";
import { isEksConsumer, k8sDelivery } from "./models/k8s";

export = async () => {
  // 1. Configuration: validated whole before any resource is registered.
  const cfg = loadStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());

  // The management-account stack (Pulumi.org.yaml) builds only the Organizations SCP guardrails.
  if (cfg.organization) {
    const org = new OrgGuardrails("org", { organization: cfg.organization, tags: cfg.tags, protect: cfg.protect });
    return { scpPolicyIds: org.policyIds, scpSizes: org.sizes, scpTargets: cfg.organization.targets };
  }

  // Fixed names built from the stack name (the broker's functions, the publisher's boundary): checked before anything is registered.
  const brokerFunctions = cfg.jit.enabled ? brokerFunctionNames(JIT_NAME_PREFIX, pulumi.getStack()) : undefined;
  const publisherBoundary = publisherBoundaryName(pulumi.getStack());

  // 2. Account-wide guardrails.
  new AccountGuardrails("account", { accountId: cfg.accountId, protect: cfg.protect, publicAccessBlock: cfg.publicAccessBlock });

  // 3. The model bucket, its key and its access-log bucket.
  const models = new ModelBucket("models", {
    storage: cfg.storage,
    accountId: cfg.accountId,
    region: cfg.region,
    protect: cfg.protect,
    tags: cfg.tags,
  });

  // The just-in-time broker, when enabled (jit/README.md): the publisher role then trusts only its issuer.
  // The broker needs the publisher's ARN and the publisher's trust needs the broker: a deferred output ties the knot.
  const [publisherArn, resolvePublisherArn] = pulumi.deferredOutput<string>();
  const jit = brokerFunctions
    ? new JitBroker(JIT_NAME_PREFIX, {
        jit: cfg.jit,
        functionNames: brokerFunctions,
        elevatedRoleArn: publisherArn,
        modelBucketName: models.bucketName,
        modelBucketKeyArn: models.keyArn,
        accountId: cfg.accountId,
        region: cfg.region,
        tags: cfg.tags,
        protect: cfg.protect,
      })
    : undefined;

  // Read-only consumer roles, the elevated publisher role, and their bucket/key policy statements.
  const access = new AccessRoles("access", {
    modelBucket: models,
    access: cfg.access,
    accountId: cfg.accountId,
    tags: cfg.tags,
    publisherBoundaryName: publisherBoundary,
    publisherBrokerTrust: jit?.elevatedTrustStatements,
  });
  resolvePublisherArn(access.publisherRoleArn.apply((arn) => arn ?? ""));

  // CloudFront with Origin Access Control and signed URLs, when the stack enables it (docs/cdn.md).
  const cdn = cfg.cdn.enabled
    ? new ModelCdn("cdn", { origin: models, logs: cdnLogTarget(models), cdn: cfg.cdn, servedPrefixes: servedPrefixes(cfg.access), tags: cfg.tags })
    : undefined;

  // CloudTrail: management events + S3 data events on the model bucket, into a locked-down log bucket (docs/audit.md).
  const audit = new AuditTrail("audit", {
    audit: cfg.audit,
    modelBucketArn: models.bucketArn,
    // readDataEvents "unexpected" leaves the declared consumers' reads out of the trail (docs/audit.md).
    expectedReaderRoleArns: Object.values(access.consumers).map((c) => c.roleArn),
    logBucketName: auditBucketName(cfg.storage.bucketName),
    accountId: cfg.accountId,
    region: cfg.region,
    protect: cfg.protect,
    tags: cfg.tags,
  });

  // Tampering alarms (docs/audit.md "Alarms"): EventBridge rules on the trail's events -> encrypted SNS topic.
  const monitoring = cfg.audit.monitoring.enabled
    ? new Monitoring("monitoring", {
        email: cfg.audit.monitoring.email,
        accountId: cfg.accountId,
        region: cfg.region,
        tags: cfg.tags,
        trailName: defaultTrailName(pulumi.getStack(), "audit"),
        trailArn: audit.trailArn,
        modelBucketName: models.bucketName,
        logBucketNames: [models.logBucketName, audit.logBucketName],
        keyArns: [models.keyArn, audit.keyArn],
        roleNames: [...Object.values(access.consumers).map((c) => c.roleName), ...(access.publisher ? [access.publisher.roleName] : [])],
        publisherRoleArn: access.publisher?.roleArn,
        broker: jit ? { issuerRoleArn: jit.issuerRoleArn, noticesTopicArn: jit.topicArn } : undefined,
      })
    : undefined;

  // 4. Every component has contributed its bucket- and key-policy statements: register them.
  models.finalize();

  // 5. Outputs.
  return {
    environment: cfg.environment,
    bucketName: models.bucketName,
    bucketArn: models.bucketArn,
    keyArn: models.keyArn,
    accessLogBucketName: models.logBucketName,
    consumerRoleArns: access.consumerRoleArns,
    publisherRoleArn: access.publisherRoleArn,
    // Ready ModelDataSource values (uncompressed S3Prefix) per SageMaker consumer: docs/models.md.
    sagemakerModelDataSources: sagemakerModelDataSources(cfg.access.consumers, cfg.storage.bucketName),
    // PV, PVC and ServiceAccount per EKS consumer (Mountpoint for S3 CSI v2, read-only, pod credentials): docs/models.md.
    kubernetesManifests: access.consumerRoleArns.apply((arns) =>
      Object.fromEntries(
        cfg.access.consumers
          .filter(isEksConsumer)
          .map((c) => [c.name, k8sDelivery({ consumer: c, roleArn: arns[c.name], bucketName: cfg.storage.bucketName, region: cfg.region })]),
      ),
    ),
    auditTrailArn: audit.trailArn,
    auditLogBucketName: audit.logBucketName,
    auditKeyArn: audit.keyArn,
    ...(monitoring ? { alarmTopicArn: monitoring.topicArn } : {}),
    ...(jit ? { jitEndpoint: jit.endpoint, jitIssuerRoleArn: jit.issuerRoleArn, jitTableName: jit.tableName, jitTopicArn: jit.topicArn } : {}),
    ...(cdn ? { cdnDomainName: cdn.domainName, cdnDistributionArn: cdn.distributionArn, cdnKeyPairIds: cdn.keyPairIds } : {}),
  };
};
