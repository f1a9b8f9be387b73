// Lambda behind the function URL (AuthType AWS_IAM). The caller is the SigV4-verified identity
// Lambda puts in requestContext.authorizer.iam (ARN and principal id), never anything from the
// body or headers. That holds only for URL calls: a direct Invoke writes the whole event, so the
// caller policy and the org SCP require lambda:InvokedViaFunctionUrl (jit/README.md "Caller policy").
// Its execution role is the issuer role: the only principal the elevated role trusts.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { STSClient } from "@aws-sdk/client-sts";
import { SNSClient } from "@aws-sdk/client-sns";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { Broker } from "../handlers";
import { DynamoRequestStore } from "../store";
import { EventBridgeWindowScheduler, SnsNotifier, StsIssuer } from "../aws-adapters";
import { callerFromPrincipal } from "../principals";
import { errorResponse, route, type HttpResponse } from "../routes";
import { JitError } from "../errors";
import { MAX_BODY_BYTES } from "../validate";
import { configFromEnv, ENV, need, targetFromEnv } from "./env";

/** The part of a function URL event the broker reads. */
export interface FunctionUrlEvent {
  rawPath: string;
  rawQueryString?: string;
  body?: string;
  isBase64Encoded?: boolean;
  requestContext: {
    http: { method: string };
    // https://docs.aws.amazon.com/lambda/latest/dg/urls-invocation.html#urls-payloads
    authorizer?: { iam?: { userArn?: string; userId?: string; accountId?: string; callerId?: string; principalOrgId?: string | null } };
  };
}

export interface FunctionUrlResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

let broker: Broker | undefined;
function getBroker(): Broker {
  broker ??= new Broker({
    config: configFromEnv(),
    store: new DynamoRequestStore(new DynamoDBClient({}), need(ENV.table)),
    target: targetFromEnv(),
    issuer: new StsIssuer(new STSClient({})),
    notifier: new SnsNotifier(new SNSClient({}), need(ENV.topicArn)),
    scheduler: new EventBridgeWindowScheduler(new SchedulerClient({}), {
      groupName: need(ENV.scheduleGroup),
      targetArn: need(ENV.endFunctionArn),
      roleArn: need(ENV.schedulerRoleArn),
    }),
    // Revocations reach IAM through the table stream -> revoker function, which alone may write
    // the elevated role's policy.
  });
  return broker;
}

function reply(r: HttpResponse): FunctionUrlResult {
  return { statusCode: r.status, headers: { "content-type": "application/json" }, body: JSON.stringify(r.body) };
}

export async function handler(event: FunctionUrlEvent, injected?: Broker): Promise<FunctionUrlResult> {
  try {
    const iam = event.requestContext.authorizer?.iam;
    if (!iam?.userArn || !iam.userId) throw new JitError("unauthenticated", "the broker needs a SigV4-signed call (function URL AuthType AWS_IAM)");
    if (iam.accountId !== undefined && iam.accountId !== iam.userArn.split(":")[4])
      throw new JitError("forbidden", `caller ${iam.userArn}: authorizer account ${iam.accountId} is not the ARN's`);
    const b = injected ?? getBroker();
    const caller = callerFromPrincipal(iam.userArn, iam.userId, b.config.people);
    const raw = event.body ?? "";
    const body = event.isBase64Encoded ? Buffer.from(raw, "base64").toString("utf8") : raw;
    if (Buffer.byteLength(body) > MAX_BODY_BYTES) throw new JitError("too-large", `request body over ${MAX_BODY_BYTES} bytes`);
    const query = Object.fromEntries(new URLSearchParams(event.rawQueryString ?? ""));
    return reply(await route(b, caller, { method: event.requestContext.http.method, path: event.rawPath, query, body }));
  } catch (e) {
    return reply(errorResponse(e));
  }
}
