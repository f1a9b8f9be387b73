// The function URL handler takes identity from the SigV4 authorizer context only.
import { strict as assert } from "assert";
import { handler, type FunctionUrlEvent } from "../jit/lambda/api";
import { callerFromArn } from "../jit/principals";
import { startSandbox, type Sandbox } from "../jit/local-server";
import { JitError } from "../jit/errors";
import { testConfig } from "./jit-fixtures";

const event = (method: string, path: string, body: unknown, userArn?: string, headers: Record<string, string> = {}): FunctionUrlEvent & { headers: Record<string, string> } => ({
  rawPath: path,
  body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)).toString("base64"),
  isBase64Encoded: true,
  headers,
  requestContext: { http: { method }, ...(userArn ? { authorizer: { iam: { userArn } } } : {}) },
});

describe("jit Lambda function URL handler", function () {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ config: testConfig({ requesters: ["arn:aws:sts::111111111111:assumed-role/Publishers/*"], approvers: ["bob", "carol"] }) });
  });
  after(async () => sb.close());

  const good = { prefix: "models/llama/", actions: ["write"], minutes: 10, reason: "publish" };

  it("refuses unsigned calls, whatever the headers say", async () => {
    const r = await handler(event("POST", "/requests", good, undefined, { "x-sandbox-caller": "alice" }), sb.broker);
    assert.equal(r.statusCode, 401);
  });

  it("takes the requester from requestContext.authorizer.iam and matches ARN patterns", async () => {
    const r = await handler(event("POST", "/requests", good, "arn:aws:sts::111111111111:assumed-role/Publishers/alice@example.com"), sb.broker);
    assert.equal(r.statusCode, 201, r.body);
    const req = JSON.parse(r.body) as { requester: string; requesterArn: string };
    assert.equal(req.requester, "alice@example.com");
    assert.equal(req.requesterArn, "arn:aws:sts::111111111111:assumed-role/Publishers/alice@example.com");
    const other = await handler(event("POST", "/requests", good, "arn:aws:sts::111111111111:assumed-role/Readers/alice@example.com"), sb.broker);
    assert.equal(other.statusCode, 403);
  });

  it("derives names from IAM users and role sessions, refusing others", () => {
    assert.equal(callerFromArn("arn:aws:iam::111111111111:user/ops/bob").name, "bob");
    assert.equal(callerFromArn("arn:aws:sts::111111111111:assumed-role/R/carol").name, "carol");
    assert.throws(() => callerFromArn("arn:aws:iam::111111111111:root"), JitError);
    assert.throws(() => callerFromArn("arn:aws:sts::111111111111:federated-user/x"), JitError);
  });
});
