// Trust and execution-role documents of the broker, pure so the component, the policy pack and
// tests share them.
import { asArray, type Statement } from "../iam/types";
import { REQUEST_TAG } from "./sts-params";
import { arn, partitionOf } from "../iam/arn";

/**
 * Lambda function names: 1-64 characters of letters, digits, '-' and '_'
 * (https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#lambda-CreateFunction-request-FunctionName).
 */
const LAMBDA_FUNCTION_NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;

export type BrokerFunctionNames = Record<"api" | "revoker", string>;

/**
 * The broker's functions are named `<prefix>-<entry>-<stack>` (`model-vault-jit-api-dev`), not
 * auto-named: each function's role pins its own calls to the function's ARN (pinnedToFunction), and
 * the role's policy must be written before the function exists. A fixed name makes the ARN known up
 * front, with no dependency cycle. The names still match the organization SCP's
 * `model-vault-jit-api-*` / `model-vault-jit-revoker-*` patterns. Throws, naming the stack, when
 * its name cannot make valid function names (index.ts asks before registering anything).
 */
export function brokerFunctionNames(prefix: string, stack: string): BrokerFunctionNames {
  const names = { api: `${prefix}-api-${stack}`, revoker: `${prefix}-revoker-${stack}` };
  const bad = Object.values(names).filter((n) => !LAMBDA_FUNCTION_NAME_RE.test(n));
  if (bad.length > 0) {
    throw new Error(
      `stack name ${JSON.stringify(stack)}: the JIT broker's functions would be named ${bad.map((n) => JSON.stringify(n)).join(", ")}; ` +
        "expected at most 64 characters of letters, digits, '-' and '_' (rename the stack, or set model-vault:jit.enabled to false)",
    );
  }
  return names;
}

/** A function of the broker, in the partition of its region. */
export function lambdaFunctionArn(region: string, accountId: string, name: string): string {
  return arn(partitionOf(region), "lambda", region, accountId, `function:${name}`);
}

/**
 * The statement the elevated role's trust policy must carry once the broker is on, and the only
 * one: the issuer may assume it only while setting a source identity and exactly the
 * `jit-request-id` session tag, under a `jit-` session name. sts:SetSourceIdentity and
 * sts:TagSession are separate permissions AWS checks on the same call.
 *
 * Which function may use the issuer is NOT decided here: AWS documents lambda:SourceFunctionArn for
 * identity-based policies and SCPs only, and says it cannot be used in resource-based policies
 * (https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html), which a role
 * trust policy is. The pin lives in the issuer's own identity policy instead (`pinnedToFunction`
 * in issuerPolicy): an explicit Deny there binds every session of the issuer role, whichever
 * function it was passed to, and the org SCPs keep anyone but the deployer from editing it.
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

/**
 * Refuses the role's own permissions to every session that does not run inside `functionArn`.
 * Lambda adds lambda:SourceFunctionArn to the requests a function's code makes with its execution
 * role's credentials (and to the CloudWatch Logs calls it makes for it), never to calls made
 * elsewhere with the same role: a function of the attacker's own, given this role by iam:PassRole,
 * sends its own ARN; credentials copied out of the function send none. ArnNotLike is true when the
 * key is absent, so both are denied (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Source: https://docs.aws.amazon.com/lambda/latest/dg/permissions-source-function-arn.html
 * An explicit Deny is needed because a trust policy that names a role ARN grants AssumeRole by
 * itself, without the caller's identity policy
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html);
 * a condition on the issuer's Allow would change nothing.
 * `unpinned` lists actions Lambda performs with the role outside the function (reading an event
 * source, delivering to an on-failure destination), which carry no source function ARN, and
 * iam:PassRole, an authorization check inside another call rather than a request of its own; the
 * call it belongs to (scheduler:CreateSchedule) is pinned.
 */
export function pinnedToFunction(allows: Statement[], functionArn: string, unpinned: readonly string[] = []): Statement {
  const actions = [...new Set(allows.filter((s) => s.Effect === "Allow").flatMap((s) => asArray(s.Action)))].filter((a) => !unpinned.includes(a)).sort();
  return {
    Sid: "OnlyInsideItsFunction",
    Effect: "Deny",
    Action: actions,
    Resource: "*",
    // The function's own ARN, or a version/alias of it (a function name cannot contain ':').
    Condition: { ArnNotLike: { "lambda:SourceFunctionArn": [functionArn, `${functionArn}:*`] } },
  };
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
  /** The function whose execution role this is (see pinnedToFunction). */
  functionArn: string;
}

const logs = (a: Pick<BrokerArns, "logGroupArn">): Statement => ({
  Sid: "Logs",
  Effect: "Allow",
  Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
  Resource: `${a.logGroupArn}:*`,
});

/** The API function's role, which is also the issuer role: usable only inside the API function. */
export function issuerPolicy(a: BrokerArns): Statement[] {
  const allows = issuerAllows(a);
  return [...allows, pinnedToFunction(allows, a.functionArn, ["iam:PassRole"])];
}

function issuerAllows(a: BrokerArns): Statement[] {
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
      Resource: arn(partitionOf(a.region), "scheduler", a.region, a.accountId, `schedule/${a.scheduleGroupName}/jit-*`),
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

/** Lambda's stream poller and failure delivery use the revoker's role outside the function. */
const REVOKER_UNPINNED = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams", "sns:Publish"];

/** The revoker: the only writer of the elevated role's (revocation) policy, usable only inside the revoker function. */
export function revokerPolicy(a: BrokerArns): Statement[] {
  const allows = revokerAllows(a);
  return [...allows, pinnedToFunction(allows, a.functionArn, REVOKER_UNPINNED)];
}

function revokerAllows(a: BrokerArns): Statement[] {
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
    // The revocation mapping's on-failure destination: Lambda publishes a record of a batch it gave
    // up on with this role (https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html).
    { Sid: "ReportUnwrittenRevocations", Effect: "Allow", Action: "sns:Publish", Resource: a.topicArn },
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
