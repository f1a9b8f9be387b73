// Lambda with the only permission to write the elevated role's policy. Invoked by:
//  - the table's stream (filtered to REVOKED items): rebuild the revocation deny at once;
//  - the one-time EventBridge schedule of each approved request ({kind:"end", id}): end it at
//    its window's end, then prune the deny of windows that have closed.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IAMClient } from "@aws-sdk/client-iam";
import { Broker } from "../handlers";
import { DynamoRequestStore } from "../store";
import { IamRevocationSink } from "../aws-adapters";
import type { CredentialIssuer, Notifier, WindowScheduler } from "../ports";
import { configFromEnv, ENV, need, targetFromEnv } from "./env";

export type RevokerEvent = { kind: "end"; id: string } | { Records: unknown[] };

// The revoker never issues credentials, notifies or schedules: these refuse if ever reached.
const none: CredentialIssuer & Notifier & WindowScheduler = {
  issue: async () => {
    throw new Error("the revoker issues no credentials");
  },
  notify: async () => undefined,
  scheduleEnd: async () => undefined,
};

let broker: Broker | undefined;
let sink: IamRevocationSink | undefined;

export async function handler(event: RevokerEvent): Promise<{ ended?: string; denied: number }> {
  broker ??= new Broker({
    config: configFromEnv(),
    store: new DynamoRequestStore(new DynamoDBClient({}), need(ENV.table)),
    target: targetFromEnv(),
    issuer: none,
    notifier: none,
    scheduler: none,
  });
  sink ??= new IamRevocationSink(new IAMClient({}), need(ENV.elevatedRoleArn).split("/").pop() as string);
  let ended: string | undefined;
  if ("kind" in event && event.kind === "end") {
    const r = await broker.closeIfDue(event.id);
    ended = r?.status;
  }
  const doc = await broker.syncRevocations(sink);
  const ids = doc?.Statement[0].Condition?.StringEquals?.["aws:PrincipalTag/jit-request-id"];
  return { ...(ended ? { ended } : {}), denied: Array.isArray(ids) ? ids.length : 0 };
}
