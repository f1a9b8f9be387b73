// CloudTrail records of the shape AWS writes them (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
// and the EventBridge envelope they arrive in (detail = the record). Shared by the alarm tests and the sample logs.
import { createHash } from "node:crypto";

export type CtRecord = Record<string, unknown>;

export interface Who {
  type: "AssumedRole" | "IAMUser" | "Root" | "AWSService";
  /** For AssumedRole: the role ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME). */
  roleArn?: string;
  sessionName?: string;
  sourceIdentity?: string;
  /** For IAMUser: arn:aws:iam::ACCOUNT:user/NAME. */
  userArn?: string;
  accountId?: string;
  invokedBy?: string;
}

/** The userIdentity block CloudTrail writes for a caller. */
export function userIdentity(w: Who): Record<string, unknown> {
  if (w.type === "AssumedRole") {
    const role = w.roleArn as string;
    const account = role.split(":")[4];
    const roleName = role.split("/").pop() as string;
    return {
      type: "AssumedRole",
      principalId: `AROAEXAMPLE${roleName.length}:${w.sessionName}`,
      arn: `arn:aws:sts::${account}:assumed-role/${roleName}/${w.sessionName}`,
      accountId: account,
      accessKeyId: "ASIAEXAMPLEKEY",
      sessionContext: {
        sessionIssuer: { type: "Role", principalId: `AROAEXAMPLE${roleName.length}`, arn: role, accountId: account, userName: roleName },
        attributes: { creationDate: "2026-11-30T09:00:00Z", mfaAuthenticated: "false" },
        ...(w.sourceIdentity ? { sourceIdentity: w.sourceIdentity } : {}),
      },
      ...(w.invokedBy ? { invokedBy: w.invokedBy } : {}),
    };
  }
  if (w.type === "IAMUser") {
    const account = (w.userArn as string).split(":")[4];
    return { type: "IAMUser", principalId: "AIDAEXAMPLE", arn: w.userArn, accountId: account, userName: (w.userArn as string).split("/").pop() };
  }
  if (w.type === "Root") {
    return { type: "Root", principalId: w.accountId, arn: `arn:aws:iam::${w.accountId}:root`, accountId: w.accountId };
  }
  return { type: "AWSService", invokedBy: w.invokedBy };
}

export interface RecordArgs {
  who: Who;
  eventSource: string;
  eventName: string;
  eventTime?: string;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  resources?: { ARN: string; accountId?: string; type: string }[];
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean;
  eventCategory?: "Management" | "Data";
  requestId?: string;
  region?: string;
  accountId?: string;
}

/** Ids derived from the record's content: the same args give the same record in any test order (the sample is committed). */
function idOf(a: RecordArgs): string {
  return createHash("sha256").update(JSON.stringify(a)).digest("hex");
}

export function ctRecord(a: RecordArgs): CtRecord {
  const h = idOf(a);
  return {
    eventVersion: "1.10",
    userIdentity: userIdentity(a.who),
    eventTime: a.eventTime ?? "2026-11-30T10:00:00Z",
    eventSource: a.eventSource,
    eventName: a.eventName,
    awsRegion: a.region ?? "us-east-1",
    sourceIPAddress: "198.51.100.7",
    userAgent: "aws-cli/2.17.0",
    ...(a.errorCode ? { errorCode: a.errorCode, errorMessage: a.errorMessage ?? "Access Denied" } : {}),
    requestParameters: a.requestParameters ?? null,
    responseElements: a.responseElements ?? null,
    requestID: a.requestId ?? h.slice(0, 16).toUpperCase(),
    eventID: `${h.slice(16, 24)}-${h.slice(24, 28)}-4${h.slice(29, 32)}-8${h.slice(33, 36)}-${h.slice(36, 48)}`,
    readOnly: a.readOnly ?? false,
    ...(a.resources ? { resources: a.resources } : {}),
    eventType: "AwsApiCall",
    managementEvent: (a.eventCategory ?? "Management") === "Management",
    recipientAccountId: a.accountId ?? "111111111111",
    eventCategory: a.eventCategory ?? "Management",
  };
}

/** The EventBridge event carrying a CloudTrail record (source aws.<service>, detail = the record). */
export function eventBridgeEvent(record: CtRecord, detailType = "AWS API Call via CloudTrail"): Record<string, unknown> {
  const service = String(record.eventSource).split(".")[0];
  return {
    version: "0",
    id: "6f4b6a5e-0000-4000-8000-000000000000",
    "detail-type": detailType,
    source: service === "signin" ? "aws.signin" : `aws.${service}`,
    account: record.recipientAccountId,
    time: record.eventTime,
    region: record.awsRegion,
    resources: [],
    detail: record,
  };
}
