// Requests in DynamoDB. Every transition is ONE conditional UpdateItem: it succeeds only if the
// item still has the version and status the decision was made on, and it appends to `history`
// with list_append, so earlier entries are never rewritten. Concurrent writers lose the condition
// and re-decide on fresh data (see handlers.ts), which is what makes double approvals, approval
// after expiry and claims after revocation impossible rather than unlikely.
import { ConditionalCheckFailedException, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import type { JitRequest, Status } from "./types";
import type { Transition } from "./state-machine";
import { REQUESTER_INDEX, STATUS_INDEX } from "./table";

export interface RequestStore {
  create(req: JitRequest): Promise<void>;
  get(id: string): Promise<JitRequest | undefined>;
  /** Applies `t` if `req` is still current; false when another writer got there first. */
  transition(req: JitRequest, t: Transition): Promise<boolean>;
  list(filter: { status?: Status; requester?: string; limit?: number }): Promise<JitRequest[]>;
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
    return r.Item as JitRequest | undefined;
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
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { id: req.id },
          UpdateExpression: `SET ${sets.join(", ")}`,
          ConditionExpression: "#version = :expected AND #status = :from",
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (e) {
      if (e instanceof ConditionalCheckFailedException || (e as { name?: string }).name === "ConditionalCheckFailedException") return false;
      throw e;
    }
  }

  async list(filter: { status?: Status; requester?: string; limit?: number }): Promise<JitRequest[]> {
    const limit = filter.limit ?? 50;
    let items: JitRequest[];
    if (filter.requester) {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: REQUESTER_INDEX,
          KeyConditionExpression: "requester = :r",
          ExpressionAttributeValues: { ":r": filter.requester },
          ScanIndexForward: false,
        }),
      );
      items = (r.Items ?? []) as JitRequest[];
      if (filter.status) items = items.filter((i) => i.status === filter.status);
    } else if (filter.status) {
      const r = await this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: STATUS_INDEX,
          KeyConditionExpression: "#s = :s",
          ExpressionAttributeNames: { "#s": "status" },
          ExpressionAttributeValues: { ":s": filter.status },
          ScanIndexForward: false,
          Limit: limit,
        }),
      );
      items = (r.Items ?? []) as JitRequest[];
    } else {
      const r = await this.doc.send(new ScanCommand({ TableName: this.table }));
      items = ((r.Items ?? []) as JitRequest[]).sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    }
    return items.slice(0, limit);
  }
}
