// An in-process DynamoDB-compatible server (dynalite: in memory, or in a LevelDB directory with
// `path`) with the broker's table, for the sandbox, the tests and the bench. Real conditional
// writes, no AWS account.
import type { Server } from "http";
import type { AddressInfo } from "net";
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { TABLE_ATTRIBUTES, TABLE_INDEXES, TABLE_KEY } from "./table";

// dynalite ships no types; this is the part of its API used here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (opts: { createTableMs: number; deleteTableMs: number; updateTableMs: number; path?: string }) => Server;

export interface LocalDynamo {
  client: DynamoDBClient;
  table: string;
  endpoint: string;
  close(): Promise<void>;
}

export async function startLocalDynamo(table = "jit-requests", opts: { path?: string } = {}): Promise<LocalDynamo> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, ...(opts.path ? { path: opts.path } : {}) });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: "us-east-1",
    // dynalite checks that requests are signed, not by whom.
    credentials: { accessKeyId: "sandbox", secretAccessKey: "sandbox" },
    maxAttempts: 1,
  });
  // A data directory from an earlier run already holds the table.
  const existing = await client.send(new DescribeTableCommand({ TableName: table })).catch(() => undefined);
  if (!existing) {
    await client.send(
      new CreateTableCommand({
      TableName: table,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: TABLE_ATTRIBUTES.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
      KeySchema: [{ AttributeName: TABLE_KEY, KeyType: "HASH" }],
      GlobalSecondaryIndexes: TABLE_INDEXES.map((i) => ({
        IndexName: i.name,
        KeySchema: [
          { AttributeName: i.hashKey, KeyType: "HASH" },
          { AttributeName: i.rangeKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "ALL" },
      })),
      }),
    );
  }
  for (;;) {
    const d = await client.send(new DescribeTableCommand({ TableName: table }));
    if (d.Table?.TableStatus === "ACTIVE") break;
    await new Promise((r) => setTimeout(r, 5));
  }
  return {
    client,
    table,
    endpoint,
    close: async () => {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
