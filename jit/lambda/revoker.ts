// Lambda with the only permission to write the elevated role's policy. Invoked by:
//  - the table's stream (filtered to REVOKED items): rebuild the revocation deny at once;
//  - the one-time EventBridge schedule of each approved request ({kind:"end", id}): end it at
//    its window's end, then rebuild the deny (pruning closed windows, and re-trying any deny an
//    earlier stream invocation failed to write).
// It fails loudly: any error propagates, so Lambda retries the stream batch (the work is
// idempotent: every run rebuilds the whole deny from the table) instead of dropping a revocation.
// https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { IAMClient } from "@aws-sdk/client-iam";
import { Broker } from "../handlers";
import { DynamoRequestStore } from "../store";
import { IamRevocationSink } from "../aws-adapters";
import type { CredentialIssuer, Notifier, RevocationSink, WindowScheduler } from "../ports";
import type { RevokedRecord } from "../revocation";
import { STATUSES, type Status } from "../types";
import { configFromEnv, ENV, need, targetFromEnv } from "./env";

/** The part of a DynamoDB stream record (view type NEW_IMAGE) the revoker reads. */
export interface StreamRecord {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, { S?: string }> };
}

export type RevokerEvent = { kind: "end"; id: string } | { Records: StreamRecord[] };

export interface RevokerResult {
  ended?: string;
  mode: "none" | "ids" | "issued-before";
  denied: number;
}

// The revoker never issues credentials, notifies or schedules: these refuse if ever reached.
const none: CredentialIssuer & Notifier & WindowScheduler = {
  issue: async () => {
    throw new Error("the revoker issues no credentials");
  },
  notify: async () => undefined,
  scheduleEnd: async () => undefined,
};

/**
 * The revoked requests a stream batch names. The status index the revoker reads is eventually
 * consistent, so the records' own images are added to what it returns. An image that cannot be
 * read is an error, not a skip: the batch is retried.
 */
export function revokedFromStream(records: readonly StreamRecord[]): RevokedRecord[] {
  return records.map((r, i) => {
    const img = r.dynamodb?.NewImage;
    const id = img?.id?.S;
    const status = img?.status?.S;
    if (!id || !status || !(STATUSES as readonly string[]).includes(status)) throw new Error(`stream record ${i} has no readable NewImage (id, status)`);
    return { id, status: status as Status, windowEnd: img.windowEnd?.S, endedAt: img.endedAt?.S };
  });
}

let deps: { broker: Broker; sink: RevocationSink } | undefined;

export async function handler(event: RevokerEvent, injected?: { broker: Broker; sink: RevocationSink }): Promise<RevokerResult> {
  const { broker, sink } = injected ?? (deps ??= {
    broker: new Broker({
      config: configFromEnv(),
      store: new DynamoRequestStore(new DynamoDBClient({}), need(ENV.table)),
      target: targetFromEnv(),
      issuer: none,
      notifier: none,
      scheduler: none,
    }),
    sink: new IamRevocationSink(new IAMClient({}), need(ENV.elevatedRoleArn).split("/").pop() as string),
  });
  let ended: string | undefined;
  let known: RevokedRecord[] = [];
  if ("kind" in event && event.kind === "end") {
    const r = await broker.closeIfDue(event.id);
    ended = r?.status;
  } else if ("Records" in event && Array.isArray(event.Records)) {
    known = revokedFromStream(event.Records);
  } else {
    throw new Error(`unexpected revoker event: ${JSON.stringify(event).slice(0, 200)}`);
  }
  const deny = await broker.applyRevocations(sink, known);
  return { ...(ended ? { ended } : {}), mode: deny.mode, denied: deny.ids.length };
}
