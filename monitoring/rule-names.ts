import { partitionOf } from "../iam/arn";

// The alarm rules' ids, physical names and ARNs. Names are fixed (not auto-named) so the alarm topic's policy can
// pin each rule's ARN (aws:SourceArn) before the rules exist, as the trail's policies pin the trail's ARN.

/** Every alarm rule monitoring/patterns.ts builds, in order ("publisher-assumed" only when the stack has a publisher). */
export const ALARM_RULE_IDS = [
  "trail-tampering",
  "bucket-tampering",
  "key-tampering",
  "role-tampering",
  "root-activity",
  "denied-model-writes",
  "publisher-assumed",
] as const;
export type AlarmRuleId = (typeof ALARM_RULE_IDS)[number];

/** EventBridge rule names: 1-64 of [.\-_A-Za-z0-9] (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html). */
export const RULE_NAME_MAX = 64;

/** Every alarm rule's name starts with it; the org SCPs reserve rules so named to the deployer. */
export const ALARM_RULE_PREFIX = "model-vault-";
/** The SCP's glob over the alarm rules' names (iam/scpStatements.ts DenyAlarmChangesExceptDeployer). */
export const ALARM_RULE_PATTERN = `${ALARM_RULE_PREFIX}*`;

export function eventRuleName(stack: string, id: AlarmRuleId): string {
  const suffix = `-${id}`;
  const head = `${ALARM_RULE_PREFIX}${stack}`.replace(/[^.\-_A-Za-z0-9]/g, "-").slice(0, RULE_NAME_MAX - suffix.length);
  return `${head}${suffix}`;
}

/** SNS topic names: 1-256 of [-_A-Za-z0-9] (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html). */
export const TOPIC_NAME_MAX = 256;
export const ALARM_TOPIC_PREFIX = "model-vault-alarms-";
/** The SCP's glob over the alarm topics' names. */
export const ALARM_TOPIC_PATTERN = `${ALARM_TOPIC_PREFIX}*`;

/** The alarm topic's name: fixed, so the org SCPs can reserve it to the deployer (its ARN carries no tag the SCP could read). */
export function alarmTopicName(stack: string): string {
  return `${ALARM_TOPIC_PREFIX}${stack}`.replace(/[^\-_A-Za-z0-9]/g, "-").slice(0, TOPIC_NAME_MAX);
}

/** A rule on the default event bus: arn:PARTITION:events:REGION:ACCOUNT:rule/NAME. */
export function eventRuleArn(s: { region: string; accountId: string }, name: string): string {
  return `arn:${partitionOf(s.region)}:events:${s.region}:${s.accountId}:rule/${name}`;
}
