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

export function eventRuleName(stack: string, id: AlarmRuleId): string {
  const suffix = `-${id}`;
  const head = `model-vault-${stack}`.replace(/[^.\-_A-Za-z0-9]/g, "-").slice(0, RULE_NAME_MAX - suffix.length);
  return `${head}${suffix}`;
}

/** A rule on the default event bus: arn:PARTITION:events:REGION:ACCOUNT:rule/NAME. */
export function eventRuleArn(s: { region: string; accountId: string }, name: string): string {
  return `arn:${partitionOf(s.region)}:events:${s.region}:${s.accountId}:rule/${name}`;
}
