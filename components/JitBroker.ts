// The just-in-time elevation broker (jit/README.md): a requests table, two Lambda functions each
// with its own least-privileged role (the API function's role is the issuer role, the only
// principal the elevated role trusts), an IAM-authenticated function URL, an SNS topic, and the
// EventBridge Scheduler group + role that end each approved window on time.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { JitConfig } from "../config/jit";
import { ROLE_PATH } from "../iam/arns";
import { policyDocument, toJson, type Statement } from "../iam/types";
import { bundleLambda, type LambdaEntry } from "../jit/bundle";
import { ENV } from "../jit/lambda/env";
import { STATUS_INDEX, REQUESTER_INDEX, TABLE_ATTRIBUTES, TABLE_INDEXES, TABLE_KEY, TTL_ATTRIBUTE } from "../jit/table";
import { MAX_SESSION_SECONDS } from "../jit/sts-params";
import {
  type BrokerFunctionNames,
  elevatedTrustStatements,
  issuerPolicy,
  lambdaFunctionArn,
  lambdaTrust,
  revokerPolicy,
  schedulerPolicy,
  schedulerTrust,
  type BrokerArns,
} from "../jit/trust";
import { dataBearing } from "./options";
import { DATA_TAG, JIT_AUDIT_DATA, ROLE_TAG, jitRoleTag, type JitRolePart } from "../iam/tags";

export const JIT_LAMBDA_RUNTIME = "nodejs22.x";

export interface JitBrokerArgs {
  /** The resolved `jit` section (config/jit.ts, resolveJitConfig). */
  jit: JitConfig;
  /** The elevated publisher role the broker issues sessions for. Its ARN may be a deferred output (see jit/README.md). */
  elevatedRoleArn: pulumi.Input<string>;
  modelBucketName: pulumi.Input<string>;
  /** The bucket's KMS key: the session policy lets uploads use it (via S3 only). */
  modelBucketKeyArn?: pulumi.Input<string>;
  accountId: string;
  region: string;
  /** The functions' fixed names (jit/trust.ts brokerFunctionNames): their roles are pinned to their ARNs. */
  functionNames: BrokerFunctionNames;
  tags: Record<string, string>;
  /** prod: protect + retain the requests table (the audit history) and turn on deletion protection. */
  protect: boolean;
  /** CloudWatch Logs retention of the functions. Default 365. */
  logRetentionDays?: number;
}

export class JitBroker extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;
  readonly topic: aws.sns.Topic;
  readonly apiFunction: aws.lambda.Function;
  readonly revokerFunction: aws.lambda.Function;
  readonly url: aws.lambda.FunctionUrl;
  /** The only principal the elevated role may trust while the broker is on. */
  readonly issuerRoleArn: pulumi.Output<string>;
  /** Ready-made statements for the elevated role's trust policy (the issuer, with source identity and the request tag). */
  readonly elevatedTrustStatements: pulumi.Output<Statement[]>;
  readonly endpoint: pulumi.Output<string>;
  readonly tableName: pulumi.Output<string>;
  readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: JitBrokerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:access:JitBroker", name, {}, opts);
    const { accountId, region, tags } = args;
    const child = { parent: this };
    const lambdaRoleTrust = toJson(policyDocument(lambdaTrust(accountId)));
    const functionNames = args.functionNames;
    const functionArn = (entry: LambdaEntry) => lambdaFunctionArn(region, accountId, functionNames[entry]);

    this.table = new aws.dynamodb.Table(
      `${name}-requests`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: TABLE_KEY,
        attributes: TABLE_ATTRIBUTES.map((a) => ({ name: a.name, type: a.type })),
        globalSecondaryIndexes: TABLE_INDEXES.map((i) => ({ name: i.name, hashKey: i.hashKey, rangeKey: i.rangeKey, projectionType: "ALL" })),
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true },
        ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
        // The revoker reacts to REVOKED items within seconds through the stream.
        streamEnabled: true,
        streamViewType: "NEW_IMAGE",
        deletionProtectionEnabled: args.protect,
        tags: { ...tags, [DATA_TAG]: JIT_AUDIT_DATA },
      },
      dataBearing(args.protect, this),
    );

    this.topic = new aws.sns.Topic(`${name}-notices`, { kmsMasterKeyId: "alias/aws/sns", tags }, child);

    const scheduleGroup = new aws.scheduler.ScheduleGroup(`${name}-windows`, { tags }, child);

    const logGroup = (fn: LambdaEntry): aws.cloudwatch.LogGroup =>
      new aws.cloudwatch.LogGroup(`${name}-${fn}-logs`, { retentionInDays: args.logRetentionDays ?? 365, tags }, child);
    const apiLogs = logGroup("api");
    const revokerLogs = logGroup("revoker");

    // Every broker role: under ROLE_PATH (what the org SCPs name), one-hour sessions, tagged jit-<part>.
    const brokerRole = (part: JitRolePart, description: string, assumeRolePolicy: pulumi.Input<string>) =>
      new aws.iam.Role(
        `${name}-${part}`,
        { description, assumeRolePolicy, path: ROLE_PATH, maxSessionDuration: 3600, tags: { ...tags, [ROLE_TAG]: jitRoleTag(part) } },
        child,
      );
    // The API function's role is the issuer: it alone can assume the elevated role.
    const issuer = brokerRole("issuer", "model-vault JIT broker API and issuer: the only principal the elevated role trusts", lambdaRoleTrust);
    const revokerRole = brokerRole("revoker", "model-vault JIT broker revoker: writes the elevated role's revocation deny, ends windows", lambdaRoleTrust);
    const schedulerRole = brokerRole(
      "scheduler",
      "model-vault JIT broker: EventBridge Scheduler invokes the revoker at each window's end",
      scheduleGroup.arn.apply((g) => toJson(policyDocument(schedulerTrust(accountId, g)))),
    );

    const arns = (entry: LambdaEntry, logGroupArn: pulumi.Output<string>): pulumi.Output<BrokerArns> =>
      pulumi
        .all([this.table.arn, this.table.streamArn, this.topic.arn, pulumi.output(args.elevatedRoleArn), scheduleGroup.name, schedulerRole.arn, logGroupArn])
        .apply(([tableArn, streamArn, topicArn, elevatedRoleArn, scheduleGroupName, schedulerRoleArn, lg]) => ({
          accountId,
          region,
          tableArn,
          streamArn,
          topicArn,
          elevatedRoleArn,
          scheduleGroupName,
          schedulerRoleArn,
          logGroupArn: lg,
          functionArn: functionArn(entry),
        }));

    const issuerPolicyRes = new aws.iam.RolePolicy(
      `${name}-issuer-policy`,
      { role: issuer.id, policy: arns("api", apiLogs.arn).apply((a) => toJson(policyDocument(issuerPolicy(a)))) },
      child,
    );
    const revokerPolicyRes = new aws.iam.RolePolicy(
      `${name}-revoker-policy`,
      { role: revokerRole.id, policy: arns("revoker", revokerLogs.arn).apply((a) => toJson(policyDocument(revokerPolicy(a)))) },
      child,
    );

    const commonEnv = {
      [ENV.config]: JSON.stringify(args.jit),
      [ENV.table]: this.table.name,
      [ENV.elevatedRoleArn]: args.elevatedRoleArn,
      [ENV.bucketName]: args.modelBucketName,
      [ENV.accountId]: accountId,
      ...(args.modelBucketKeyArn ? { [ENV.kmsKeyArn]: args.modelBucketKeyArn } : {}),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    };
    const fn = (entry: LambdaEntry, role: aws.iam.Role, logs: aws.cloudwatch.LogGroup, env: Record<string, pulumi.Input<string>>, dependsOn: pulumi.Resource[]) =>
      new aws.lambda.Function(
        `${name}-${entry}`,
        {
          name: functionNames[entry],
          description: `model-vault JIT broker ${entry}`,
          runtime: JIT_LAMBDA_RUNTIME,
          architectures: ["arm64"],
          handler: `${entry}.handler`,
          code: new pulumi.asset.AssetArchive({ [`${entry}.js`]: new pulumi.asset.StringAsset(bundleLambda(entry)) }),
          role: role.arn,
          memorySize: 256,
          timeout: 15,
          environment: { variables: env },
          loggingConfig: { logFormat: "JSON", logGroup: logs.name },
          tags: { ...tags, "model-vault:jit": entry },
        },
        // A fixed name cannot be created before the old function is gone.
        { parent: this, dependsOn, deleteBeforeReplace: true },
      );

    this.revokerFunction = fn("revoker", revokerRole, revokerLogs, commonEnv, [revokerPolicyRes]);

    new aws.iam.RolePolicy(
      `${name}-scheduler-policy`,
      { role: schedulerRole.id, policy: this.revokerFunction.arn.apply((a) => toJson(policyDocument(schedulerPolicy(a)))) },
      child,
    );

    this.apiFunction = fn(
      "api",
      issuer,
      apiLogs,
      {
        ...commonEnv,
        [ENV.topicArn]: this.topic.arn,
        [ENV.scheduleGroup]: scheduleGroup.name,
        [ENV.endFunctionArn]: this.revokerFunction.arn,
        [ENV.schedulerRoleArn]: schedulerRole.arn,
      },
      [issuerPolicyRes],
    );

    // Revocations reach the revoker within seconds: only REVOKED items pass the filter. The revoker
    // fails loudly when it cannot write the deny, so Lambda retries the batch, halving it on each
    // error to isolate a bad record (bisect). A batch still failing after the retries, or older than
    // the longest session it could cut (a session issued just before the revocation ends by then),
    // is not dropped silently: Lambda publishes a record of it (shard, sequence numbers, error) to
    // the notice topic, where approvers see that a revocation may not be in force. Every later
    // revoker run rebuilds the whole deny from the table, so the next revocation or window end
    // repairs it. https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html (SNS is a valid
    // destination for DynamoDB streams: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-lambda-eventsourcemapping-onfailure.html)
    new aws.lambda.EventSourceMapping(
      `${name}-revocations`,
      {
        eventSourceArn: this.table.streamArn,
        functionName: this.revokerFunction.arn,
        startingPosition: "LATEST",
        maximumRetryAttempts: 10,
        bisectBatchOnFunctionError: true,
        maximumRecordAgeInSeconds: MAX_SESSION_SECONDS,
        destinationConfig: { onFailure: { destinationArn: this.topic.arn } },
        filterCriteria: { filters: [{ pattern: JSON.stringify({ dynamodb: { NewImage: { status: { S: ["REVOKED"] } } } }) }] },
        tags,
      },
      { parent: this, dependsOn: [revokerPolicyRes] },
    );

    // SigV4 only: the caller's identity comes from IAM, never from the request.
    this.url = new aws.lambda.FunctionUrl(`${name}-url`, { functionName: this.apiFunction.name, authorizationType: "AWS_IAM" }, child);
    // Principals of this account still need lambda:InvokeFunctionUrl in their own policies.
    new aws.lambda.Permission(
      `${name}-url-invoke`,
      { function: this.apiFunction.name, action: "lambda:InvokeFunctionUrl", principal: accountId, functionUrlAuthType: "AWS_IAM" },
      child,
    );
    // Function URLs created since October 2025 also need lambda:InvokeFunction, limited to calls via the URL.
    new aws.lambda.Permission(
      `${name}-url-invoke-function`,
      { function: this.apiFunction.name, action: "lambda:InvokeFunction", principal: accountId, invokedViaFunctionUrl: true },
      child,
    );

    this.issuerRoleArn = issuer.arn;
    this.elevatedTrustStatements = issuer.arn.apply((a) => elevatedTrustStatements(a));
    this.endpoint = this.url.functionUrl;
    this.tableName = this.table.name;
    this.topicArn = this.topic.arn;
    this.registerOutputs({
      issuerRoleArn: this.issuerRoleArn,
      endpoint: this.endpoint,
      tableName: this.tableName,
      topicArn: this.topicArn,
      indexes: [STATUS_INDEX, REQUESTER_INDEX],
    });
  }
}
