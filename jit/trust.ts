// Trust and execution-role documents of the broker, pure so the component, the policy pack and
// tests share them.
import type { Statement } from "../iam/types";
import { REQUEST_TAG } from "./sts-params";

/**
 * The statement the elevated role's trust policy must carry once the broker is on, and the only
 * one: the issuer may assume it only while setting a source identity and exactly the
 * `jit-request-id` session tag, under a `jit-` session name. sts:SetSourceIdentity and
 * sts:TagSession are separate permissions AWS checks on the same call.
 */
export function elevatedTrustStatements(issuerRoleArn: string): Statement[] {
  return [
    {
      Sid: "JitIssuerOnly",
      Effect: "Allow",
      Principal: { AWS: issuerRoleArn },
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
      Condition: {
        Null: { "sts:SourceIdentity": "false", [`aws:RequestTag/${REQUEST_TAG}`]: "false" },
        "ForAllValues:StringEquals": { "aws:TagKeys": [REQUEST_TAG] },
        StringLike: { "sts:RoleSessionName": "jit-*" },
      },
    },
  ];
}

/** A Lambda execution role's trust, pinned to this account against the confused deputy. */
export function lambdaTrust(accountId: string): Statement[] {
  return [
    {
      Effect: "Allow",
      Principal: { Service: "lambda.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    },
  ];
}

export function schedulerTrust(accountId: string, scheduleGroupArn: string): Statement[] {
  return [
    {
      Effect: "Allow",
      Principal: { Service: "scheduler.amazonaws.com" },
      Action: "sts:AssumeRole",
      Condition: { StringEquals: { "aws:SourceAccount": accountId, "aws:SourceArn": scheduleGroupArn } },
    },
  ];
}

export interface BrokerArns {
  accountId: string;
  region: string;
  tableArn: string;
  topicArn: string;
  elevatedRoleArn: string;
  scheduleGroupName: string;
  schedulerRoleArn: string;
  logGroupArn: string;
  streamArn: string;
}

const logs = (a: Pick<BrokerArns, "logGroupArn">): Statement => ({
  Sid: "Logs",
  Effect: "Allow",
  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: `${a.logGroupArn}:*`,
});

/** The API function's role, which is also the issuer role. */
export function issuerPolicy(a: BrokerArns): Statement[] {
  return [
    logs(a),
    {
      Sid: "Requests",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query", "dynamodb:Scan"],
      Resource: [a.tableArn, `${a.tableArn}/index/*`],
    },
    { Sid: "Notify", Effect: "Allow", Action: "sns:Publish", Resource: a.topicArn },
    {
      Sid: "ScheduleWindowEnds",
      Effect: "Allow",
      Action: "scheduler:CreateSchedule",
      Resource: `arn:aws:scheduler:${a.region}:${a.accountId}:schedule/${a.scheduleGroupName}/jit-*`,
    },
    {
      Sid: "PassSchedulerRole",
      Effect: "Allow",
      Action: "iam:PassRole",
      Resource: a.schedulerRoleArn,
      Condition: { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } },
    },
    {
      Sid: "IssueElevatedSessions",
      Effect: "Allow",
      Action: ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"],
      Resource: a.elevatedRoleArn,
    },
  ];
}

/** The revoker: the only writer of the elevated role's (revocation) policy. */
export function revokerPolicy(a: BrokerArns): Statement[] {
  return [
    logs(a),
    {
      Sid: "Requests",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"],
      Resource: [a.tableArn, `${a.tableArn}/index/*`],
    },
    {
      Sid: "RevocationStream",
      Effect: "Allow",
      Action: ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator"],
      Resource: a.streamArn,
    },
    // dynamodb:ListStreams supports no resource type: "*" is the only valid Resource.
    { Sid: "ListStreams", Effect: "Allow", Action: "dynamodb:ListStreams", Resource: "*" },
    {
      Sid: "WriteRevocationDeny",
      Effect: "Allow",
      Action: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"],
      Resource: a.elevatedRoleArn,
    },
  ];
}

export function schedulerPolicy(endFunctionArn: string): Statement[] {
  return [{ Sid: "EndWindows", Effect: "Allow", Action: "lambda:InvokeFunction", Resource: [endFunctionArn, `${endFunctionArn}:*`] }];
}
