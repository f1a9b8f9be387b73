// The real outside world for the deployed broker: STS, SNS, EventBridge Scheduler and IAM.
// Clients are injected so tests can hand in mocked ones.
import { AssumeRoleCommand, type STSClient } from "@aws-sdk/client-sts";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { CreateScheduleCommand, type SchedulerClient } from "@aws-sdk/client-scheduler";
import { DeleteRolePolicyCommand, PutRolePolicyCommand, type IAMClient } from "@aws-sdk/client-iam";
import { toJson, type PolicyDocument } from "../iam/types";
import type { CredentialIssuer, IssuedCredentials, Notice, Notifier, RevocationSink, WindowScheduler } from "./ports";
import type { AssumeRoleParams } from "./sts-params";
import type { JitRequest } from "./types";
import { REVOCATION_POLICY_NAME, RevocationTooLarge } from "./revocation";

export class StsIssuer implements CredentialIssuer {
  constructor(private readonly sts: Pick<STSClient, "send">) {}
  async issue(params: AssumeRoleParams): Promise<IssuedCredentials> {
    const out = await this.sts.send(new AssumeRoleCommand(params));
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) throw new Error("STS returned no credentials");
    return { AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: new Date(c.Expiration).toISOString() };
  }
}

export class SnsNotifier implements Notifier {
  constructor(
    private readonly sns: Pick<SNSClient, "send">,
    private readonly topicArn: string,
  ) {}
  async notify(n: Notice): Promise<void> {
    // Subscribers filter on `audience`: approvers take both, everyone else only "everyone".
    await this.sns.send(
      new PublishCommand({
        TopicArn: this.topicArn,
        Subject: n.subject.slice(0, 100),
        Message: n.message,
        MessageAttributes: {
          audience: { DataType: "String", StringValue: n.audience },
          breakGlass: { DataType: "String", StringValue: String(n.breakGlass) },
          requestId: { DataType: "String", StringValue: n.requestId },
        },
      }),
    );
  }
}

/** `at()` takes whole seconds; round up so the schedule never fires before the window's end. */
export function atExpression(iso: string): string {
  const t = Math.ceil(Date.parse(iso) / 1000) * 1000;
  return `at(${new Date(t).toISOString().slice(0, 19)})`;
}

export class EventBridgeWindowScheduler implements WindowScheduler {
  constructor(
    private readonly scheduler: Pick<SchedulerClient, "send">,
    private readonly opts: { groupName: string; targetArn: string; roleArn: string },
  ) {}
  async scheduleEnd(req: JitRequest): Promise<void> {
    if (!req.windowEnd) return;
    await this.scheduler.send(
      new CreateScheduleCommand({
        Name: `jit-${req.id}`,
        GroupName: this.opts.groupName,
        ScheduleExpression: atExpression(req.windowEnd),
        ScheduleExpressionTimezone: "UTC",
        FlexibleTimeWindow: { Mode: "OFF" },
        ActionAfterCompletion: "DELETE",
        Target: { Arn: this.opts.targetArn, RoleArn: this.opts.roleArn, Input: JSON.stringify({ kind: "end", id: req.id }) },
      }),
    );
  }
}

export class IamRevocationSink implements RevocationSink {
  constructor(
    private readonly iam: Pick<IAMClient, "send">,
    private readonly roleName: string,
  ) {}
  async apply(doc: PolicyDocument | null): Promise<void> {
    if (doc) {
      try {
        await this.iam.send(new PutRolePolicyCommand({ RoleName: this.roleName, PolicyName: REVOCATION_POLICY_NAME, PolicyDocument: toJson(doc) }));
      } catch (e) {
        // PutRolePolicy answers LimitExceeded when the role's inline policies together would pass
        // their size quota (https://docs.aws.amazon.com/IAM/latest/APIReference/API_PutRolePolicy.html):
        // the broker then writes the smaller issued-before deny instead.
        if ((e as { name?: string }).name === "LimitExceededException") throw new RevocationTooLarge((e as Error).message);
        throw e;
      }
      return;
    }
    try {
      await this.iam.send(new DeleteRolePolicyCommand({ RoleName: this.roleName, PolicyName: REVOCATION_POLICY_NAME }));
    } catch (e) {
      if ((e as { name?: string }).name !== "NoSuchEntityException") throw e;
    }
  }
}
