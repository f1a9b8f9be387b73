// Tampering alarms: one EventBridge rule per class of change that would blind the audit or open the weights
// (monitoring/patterns.ts), each routed to an SNS topic encrypted with its own key, whose policy lets only those
// rules and the JIT broker publish (iam/monitoringPolicies.ts). Break-glass approvals come from the broker's own
// notices, filtered on their `breakGlass` attribute. Costs per alarm: docs/audit.md "Alarms".
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { regionOf } from "../iam/arn";
import { alarmKeyPolicy, alarmTopicPolicy } from "../iam/monitoringPolicies";
import { toJson } from "../iam/types";
import { alarmRules, BREAK_GLASS_FILTER, type MonitoringScope } from "../monitoring/patterns";
import { ALARM_KEY_ROLE, ROLE_TAG } from "../iam/tags";
import { ALARM_RULE_IDS, alarmTopicName, eventRuleArn, eventRuleName } from "../monitoring/rule-names";

export interface MonitoringArgs {
  /** Email addresses subscribed to the alarm topic (config/audit.ts `monitoring.email`). */
  email: string[];
  accountId: string;
  region: string;
  tags: Record<string, string>;
  trailName: string;
  trailArn: pulumi.Input<string>;
  modelBucketName: pulumi.Input<string>;
  /** The server-access-log bucket and the CloudTrail log bucket. */
  logBucketNames: pulumi.Input<string>[];
  /** The model bucket's key and the trail's key. */
  keyArns: pulumi.Input<string>[];
  /** model-vault's roles by name (consumers, publisher). The broker's roles are matched by their name prefix. */
  roleNames: pulumi.Input<string>[];
  /** The elevated publisher role: every AssumeRole of it alarms. */
  publisherRoleArn?: pulumi.Input<string>;
  /** The JIT broker, when the stack has one: its issuer may publish; its break-glass notices reach the subscribers. */
  broker?: { issuerRoleArn: pulumi.Input<string>; noticesTopicArn: pulumi.Input<string> };
}

export class Monitoring extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly topicArn: pulumi.Output<string>;
  readonly key: aws.kms.Key;
  readonly ruleNames: string[];

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:audit:Monitoring", name, {}, opts);
    const parent = { parent: this };
    const tags = args.tags;
    const stack = pulumi.getStack();
    const brokerRole = args.broker ? pulumi.output(args.broker.issuerRoleArn) : pulumi.output<string | undefined>(undefined);

    this.key = new aws.kms.Key(
      `${name}-key`,
      {
        description: `Encrypts the model-vault alarm topic of stack ${stack}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: brokerRole.apply((b) => toJson(alarmKeyPolicy({ accountId: args.accountId, region: args.region, brokerRoleArn: b }))),
        // The org SCPs find the key by this tag (its ARN is random): only the deployer may disable it.
        tags: { ...tags, [ROLE_TAG]: ALARM_KEY_ROLE },
      },
      parent,
    );
    // A fixed name: the org SCPs reserve the topic to the deployer by it.
    this.topic = new aws.sns.Topic(`${name}-alarms`, { name: alarmTopicName(stack), kmsMasterKeyId: this.key.arn, tags }, parent);
    this.topicArn = this.topic.arn;

    const scope: pulumi.Output<MonitoringScope> = pulumi
      .all([
        pulumi.output(args.trailArn),
        pulumi.output(args.modelBucketName),
        pulumi.all(args.logBucketNames),
        pulumi.all(args.keyArns),
        pulumi.all(args.roleNames),
        pulumi.output(args.publisherRoleArn),
      ])
      .apply(([trailArn, modelBucket, logBuckets, keyArns, roleNames, publisherRoleArn]) => ({
        accountId: args.accountId,
        trailName: args.trailName,
        trailArn,
        modelBucket,
        logBuckets,
        keyArns,
        roleNames,
        ...(publisherRoleArn ? { publisherRoleArn } : {}),
      }));
    const rules = scope.apply(alarmRules);

    // Rule names are fixed (stack + rule id) so the topic policy can pin their ARNs before they exist.
    const ids = ALARM_RULE_IDS.filter((id) => id !== "publisher-assumed" || args.publisherRoleArn !== undefined);
    this.ruleNames = ids.map((id) => eventRuleName(stack, id));
    for (const id of ids) {
      const rule = rules.apply((rs) => {
        const r = rs.find((x) => x.id === id);
        if (!r) throw new Error(`monitoring: no alarm rule ${id}`);
        return r;
      });
      const eventRule = new aws.cloudwatch.EventRule(
        `${name}-${id}`,
        {
          name: eventRuleName(stack, id),
          description: rule.description,
          eventPattern: rule.apply((r) => JSON.stringify(r.pattern)),
          state: rule.state,
          tags,
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(`${name}-${id}-target`, { rule: eventRule.name, arn: this.topic.arn }, parent);
    }

    const ruleArns = this.ruleNames.map((n) => eventRuleArn(args, n));
    new aws.sns.TopicPolicy(
      `${name}-alarms-policy`,
      {
        arn: this.topic.arn,
        policy: pulumi.all([this.topic.arn, brokerRole]).apply(([topicArn, b]) => {
          if (regionOf(topicArn) !== args.region) throw new Error(`monitoring: alarm topic ${topicArn} is not in ${args.region}`);
          return toJson(alarmTopicPolicy({ accountId: args.accountId, topicArn, ruleArns, brokerRoleArn: b }));
        }),
      },
      parent,
    );

    for (const [i, email] of args.email.entries()) {
      new aws.sns.TopicSubscription(`${name}-email-${i}`, { topic: this.topic.arn, protocol: "email", endpoint: email }, parent);
      if (args.broker) {
        // Break-glass self-approvals live in the broker's table; the broker's notice is their record.
        new aws.sns.TopicSubscription(
          `${name}-break-glass-${i}`,
          { topic: args.broker.noticesTopicArn, protocol: "email", endpoint: email, filterPolicy: JSON.stringify(BREAK_GLASS_FILTER) },
          parent,
        );
      }
    }

    this.registerOutputs({ topicArn: this.topicArn, ruleNames: this.ruleNames });
  }
}
