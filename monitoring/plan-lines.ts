// The plan's view of the alarms, as lines for the plan's text renderer to place (review-ux owns the layout):
// each rule, its state and what it fires on, then where alarms go.
import type { PlanResource } from "../plan/types";

const RULE = "aws:cloudwatch/eventRule:EventRule";

type Pattern = { source?: string[]; "detail-type"?: string[]; detail?: { eventName?: string[]; userIdentity?: { type?: string[] } } };

export function monitoringLines(resources: PlanResource[]): string[] {
  const mine = resources.filter((r) => r.urn.includes("model-vault:audit:Monitoring"));
  const rules = mine.filter((r) => r.type === RULE).sort((a, b) => String(a.inputs.name).localeCompare(String(b.inputs.name)));
  if (!rules.length) return ["Alarms: off (audit.monitoring.enabled)"];
  const lines = [`Alarms: ${rules.length} EventBridge rule(s) -> encrypted SNS topic`];
  for (const r of rules) {
    const p = JSON.parse(String(r.inputs.eventPattern)) as Pattern;
    const what = p.detail?.eventName?.join(", ") ?? (p.detail?.userIdentity?.type ? `any call by ${p.detail.userIdentity.type.join(", ")}` : "?");
    const state = r.inputs.state === "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS" ? " (read-only events too)" : "";
    lines.push(`  ${String(r.inputs.name)}${state}: ${what}`);
  }
  // The alarm topic's own subscribers first, then the break-glass filters on the broker's notices.
  const subs = mine.filter((r) => r.type === "aws:sns/topicSubscription:TopicSubscription").sort((a, b) => Number(Boolean(a.inputs.filterPolicy)) - Number(Boolean(b.inputs.filterPolicy)) || a.name.localeCompare(b.name));
  lines.push(`  subscribers: ${subs.map((s) => `${String(s.inputs.endpoint)}${s.inputs.filterPolicy ? " (break-glass notices)" : ""}`).join(", ") || "none (subscribe a Chatbot channel to alarmTopicArn)"}`);
  return lines;
}
