// Pure builders for the alarm topic's policy and its KMS key's policy (components/Monitoring.ts wires them).
// Who may publish an alarm decides whether an alarm can be trusted: only EventBridge (for this stack's rules)
// and the JIT broker's issuer may; everyone else, administrators of the account included, is refused.
import { dnsSuffix, partitionOf, servicePrincipal } from "./arn";
import { keyAdministration } from "./bucketBaseline";
import { PolicyDocument, policyDocument } from "./types";

export const EVENTBRIDGE_SERVICE = servicePrincipal("events");

export interface AlarmTopicArgs {
  accountId: string;
  topicArn: string;
  /** The EventBridge rules that route to the topic (aws:SourceArn pins EventBridge to them). */
  ruleArns: string[];
  /** The broker's issuer role, which may publish break-glass notices itself. Absent when the stack has no broker. */
  brokerRoleArn?: string;
}

/**
 * The alarm topic's policy. EventBridge may publish only for this stack's rules (aws:SourceArn, the documented
 * confused-deputy pin for EventBridge targets: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-use-resource-based.html#eb-sns-permissions).
 * A Deny then refuses every other caller, including same-account principals whose identity policies allow
 * sns:Publish (a same-account identity grant would otherwise suffice): forged alarms are noise that hides real ones.
 * aws:PrincipalIsAWSService is true only for a service principal acting itself
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalisawsservice).
 */
export function alarmTopicPolicy(a: AlarmTopicArgs): PolicyDocument {
  if (a.ruleArns.length === 0) throw new Error("expected at least one EventBridge rule ARN for the alarm topic policy");
  const publishers = a.brokerRoleArn ? [a.brokerRoleArn] : [];
  return policyDocument(
    [
      {
        Sid: "EventBridgeRulesPublish",
        Effect: "Allow",
        Principal: { Service: EVENTBRIDGE_SERVICE },
        Action: "sns:Publish",
        Resource: a.topicArn,
        Condition: { ArnEquals: { "aws:SourceArn": a.ruleArns }, StringEquals: { "aws:SourceAccount": a.accountId } },
      },
      ...(a.brokerRoleArn
        ? [
            {
              Sid: "BrokerPublishesBreakGlass",
              Effect: "Allow" as const,
              Principal: { AWS: a.brokerRoleArn },
              Action: "sns:Publish",
              Resource: a.topicArn,
            },
          ]
        : []),
      {
        Sid: "NobodyElsePublishes",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: a.topicArn,
        Condition: {
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
          ...(publishers.length ? { ArnNotEquals: { "aws:PrincipalArn": publishers } } : {}),
        },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: a.topicArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
    "model-vault-alarm-topic",
  );
}

/**
 * The alarm key's policy: administration delegated to the account (explicit action list); EventBridge and the
 * broker may use it only through SNS (an encrypted topic needs its publishers to hold GenerateDataKey and
 * Decrypt: https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#sns-what-permissions-for-sse).
 */
export function alarmKeyPolicy(a: { accountId: string; region: string; brokerRoleArn?: string }): PolicyDocument {
  const viaSns = `sns.${a.region}.${dnsSuffix(partitionOf(a.region))}`;
  return policyDocument(
    [
      keyAdministration(partitionOf(a.region), a.accountId),
      {
        Sid: "EventBridgeEncryptsAlarms",
        Effect: "Allow",
        Principal: { Service: EVENTBRIDGE_SERVICE },
        Action: ["kms:GenerateDataKey", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": a.accountId } },
      },
      ...(a.brokerRoleArn
        ? [
            {
              Sid: "BrokerEncryptsAlarmsViaSns",
              Effect: "Allow" as const,
              Principal: { AWS: a.brokerRoleArn },
              Action: ["kms:GenerateDataKey", "kms:Decrypt"],
              Resource: "*",
              Condition: { StringEquals: { "kms:ViaService": viaSns } },
            },
          ]
        : []),
    ],
    "model-vault-alarm-key",
  );
}
