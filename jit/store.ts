// Requests in DynamoDB. Every transition is ONE conditional UpdateItem: it succeeds only if the
// item still has the version and status the decision was made on, and it appends to `history`
// with list_append, so earlier entries are never rewritten. Concurrent writers lose the condition
// and re-decide on fresh data (see handlers.ts), which is what makes double approvals, approval
// after expiry and claims after revocation impossible rather than unlikely.
//
// Claims are the exception that keeps them from serializing: a claim does not bump `version`; it
// is conditional on the status it was decided on, the window it was issued for and its
// idempotency key not being recorded yet, and it counts with ADD. So concurrent claims of one
// request do not fight each other, while every version-conditioned writer (revoke, end) still
// orders itself against them through `status`.
import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { JitRequest, Status } from "./types";
import type { Transition } from "./state-machine";
import type { ClaimCommit } from "./claims";
import { REQUESTER_INDEX, STATUS_INDEX } from "./table";

export interface ListFilter {
  status?: Status;
  requester?: string;
  /** At most this many, newest first; absent: every matching request, however many pages. */
  limit?: number;
}

export interface RequestStore {
  create(req: JitRequest): Promise<void>;
  get(id: string): Promise<JitRequest | undefined>;
  /** Applies `t` if `req` is still current; false when another writer got there first. */
  transition(req: JitRequest, t: Transition): Promise<boolean>;
  /** Records one claim (see ClaimCommit); false when the condition does not hold (re-read to learn why). */
  commitClaim(c: ClaimCommit): Promise<boolean>;
  list(filter: ListFilter): Promise<JitRequest[]>;
  /**
   * Marks a REVOKED request as needing its deny rebuilt (sets `denySyncRequestedAt`): the change
   * makes the table stream deliver the REVOKED item to the revoker again (a write that changes
   * nothing produces no stream record,
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Streams.html).
   */
  requestDenySync(id: string, at: string): Promise<void>;
}

function isConditionFailure(e: unknown): boolean {
  return e instanceof ConditionalCheckFailedException || (e as { name?: string }).name === "ConditionalCheckFailedException";
}

/** A string set comes back as a JS Set: the rest of the broker (and JSON) wants an array. */
function normalize(item: Record<string, unknown>): JitRequest {
  const keys = item.claimKeys;
  if (keys instanceof Set) return { ...item, claimKeys: [...(keys as Set<string>)].sort() } as unknown as JitRequest;
  return item as unknown as JitRequest;
}

export class DynamoRequestStore implements RequestStore {
  private readonly doc: DynamoDBDocumentClient;
  constructor(
    client: DynamoDBClient,
    private readonly table: string,
  ) {
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async create(req: JitRequest): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.table, Item: req, ConditionExpression: "attribute_not_exists(id)" }));
  }

  async get(id: string): Promise<JitRequest | undefined> {
    const r = await this.doc.send(new GetCommand({ TableName: this.table, Key: { id }, ConsistentRead: true }));
    return r.Item ? normalize(r.Item) : undefined;
  }

  async transition(req: JitRequest, t: Transition): Promise<boolean> {
    const names: Record<string, string> = { "#status": "status", "#version": "version", "#history": "history" };
    const values: Record<string, unknown> = { ":expected": req.version, ":from": t.from, ":to": t.to, ":next": req.version + 1, ":entry": [t.entry] };
    const sets = ["#status = :to", "#version = :next", "#history = list_append(#history, :entry)"];
    for (const [k, v] of Object.entries(t.patch)) {
      if (v === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      sets.push(`#${k} = :${k}`);
    }
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { id: req.id },
        UpdateExpression: `SET ${sets.join(", ")}`,
        ConditionExpression: "#version = :expected AND #status = :from",
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }),
    );
  }

  async commitClaim(c: ClaimCommit): Promise<boolean> {
    return this.conditional(
      new UpdateCommand({
        TableName: this.table,
        Key: { id: c.id },
        UpdateExpression: "SET #status = :active, #history = list_append(#history, :entry) ADD #claims :one, #claimKeys :keys",
        // Same status and window as decided, window still open, key not yet recorded. ISO
        // instants from toISOString() compare correctly as strings.
        ConditionExpression: "#status = :from AND #windowEnd = :windowEnd AND #windowEnd > :now AND NOT contains(#claimKeys, :key)",
        ExpressionAttributeNames: { "#status": "status", "#history": "history", "#claims": "claims", "#claimKeys": "claimKeys", "#windowEnd": "windowEnd" },
        ExpressionAttributeValues: {
          ":active": "ACTIVE",
          ":from": c.from,
          ":windowEnd": c.windowEnd,
          ":now": c.now,
          ":entry": [c.entry],
          ":one": 1,
          ":keys": new Set([c.key]),
          ":key": c.key,
        },
      }),
    );
  }

  async requestDenySync(id: string, at: string): Promise<void> {
    await this.doc.send(
      new UpdateCommand({
        TableName: this.table,
        Key: { id },
        UpdateExpression: "SET #sync = :at",
        ConditionExpression: "#status = :revoked",
        ExpressionAttributeNames: { "#sync": "denySyncRequestedAt", "#status": "status" },
        ExpressionAttributeValues: { ":at": at, ":revoked": "REVOKED" },
      }),
    );
  }

  async list(filter: ListFilter): Promise<JitRequest[]> {
    const limit = filter.limit ?? Infinity;
    let items: JitRequest[];
    if (filter.requester) {
      items = await this.pages(
        (start) =>
          new QueryCommand({
            TableName: this.table,
            IndexName: REQUESTER_INDEX,
            KeyConditionExpression: "requester = :r",
            ...(filter.status
              ? { FilterExpression: "#s = :s", ExpressionAttributeNames: { "#s": "status" }, ExpressionAttributeValues: { ":r": filter.requester, ":s": filter.status } }
              : { ExpressionAttributeValues: { ":r": filter.requester } }),
            ScanIndexForward: false,
            ExclusiveStartKey: start,
          }),
        limit,
      );
    } else if (filter.status) {
      items = await this.pages(
        (start) =>
          new QueryCommand({
            TableName: this.table,
            IndexName: STATUS_INDEX,
            KeyConditionExpression: "#s = :s",
            ExpressionAttributeNames: { "#s": "status" },
            ExpressionAttributeValues: { ":s": filter.status },
            ScanIndexForward: false,
            ExclusiveStartKey: start,
          }),
        limit,
      );
    } else {
      // A scan has no order: read it all, then sort.
      items = (await this.pages((start) => new ScanCommand({ TableName: this.table, ExclusiveStartKey: start }), Infinity)).sort((a, b) =>
        b.createdAt.localeCompare(a.createdAt),
      );
    }
    return items.slice(0, limit);
  }

  /**
   * Follows LastEvaluatedKey: a Query or Scan returns at most 1 MB per call
   * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Query.Pagination.html).
   */
  private async pages(command: (start: Record<string, unknown> | undefined) => QueryCommand | ScanCommand, limit: number): Promise<JitRequest[]> {
    const out: JitRequest[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const r = await this.doc.send(command(start) as QueryCommand);
      for (const i of r.Items ?? []) out.push(normalize(i));
      start = r.LastEvaluatedKey;
    } while (start && out.length < limit);
    return out;
  }

  private async conditional(cmd: UpdateCommand): Promise<boolean> {
    try {
      await this.doc.send(cmd);
      return true;
    } catch (e) {
      if (isConditionFailure(e)) return false;
      throw e;
    }
  }
}
