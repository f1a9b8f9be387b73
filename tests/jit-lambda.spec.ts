// The function URL handler takes identity from the SigV4 authorizer context only (forged and
// inconsistent contexts: tests/jit-identity.spec.ts).
import { strict as assert } from "assert";
import { handler, type FunctionUrlEvent } from "../jit/lambda/api";
import { callerFromPrincipal, sandboxPrincipalId } from "../jit/principals";
import { startSandbox, type Sandbox } from "../jit/local-server";
import { JitError } from "../jit/errors";
import { testConfig } from "./jit-fixtures";

const event = (method: string, path: string, body: unknown, userArn?: string, headers: Record<string, string> = {}): FunctionUrlEvent & { headers: Record<string, string> } => ({
  rawPath: path,
  body: body === undefined ? undefined : Buffer.from(JSON.stringify(body)).toString("base64"),
  isBase64Encoded: true,
  headers,
  requestContext: { http: { method }, ...(userArn ? { authorizer: { iam: { userArn, userId: sandboxPrincipalId(userArn), accountId: userArn.split(":")[4] } } } : {}) },
});

describe("jit Lambda function URL handler", function () {
  let sb: Sandbox;
  before(async () => {
    sb = await startSandbox({ config: testConfig({ requesters: ["arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Publishers_*/*"] }) });
  });
  after(async () => sb.close());

  const good = { prefix: "models/llama/", actions: ["write"], minutes: 10, reason: "publish" };

  it("refuses unsigned calls, whatever the headers say", async () => {
    const r = await handler(event("POST", "/requests", good, undefined, { "x-sandbox-caller": "alice" }), sb.broker);
    assert.equal(r.statusCode, 401);
  });

  it("takes the requester from requestContext.authorizer.iam and matches ARN patterns", async () => {
    const r = await handler(event("POST", "/requests", good, "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Publishers_0123456789abcdef/alice@example.com"), sb.broker);
    assert.equal(r.statusCode, 201, r.body);
    const req = JSON.parse(r.body) as { requester: string; requesterArn: string };
    assert.equal(req.requester, "alice@example.com");
    assert.equal(req.requesterArn, "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Publishers_0123456789abcdef/alice@example.com");
    const other = await handler(event("POST", "/requests", good, "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Readers_0123456789abcdef/alice@example.com"), sb.broker);
    assert.equal(other.statusCode, 403);
  });

  it("derives persons from IAM users, Identity Center sessions, mapped principals and role sessions, refusing others", () => {
    const id = (arn: string): string => sandboxPrincipalId(arn);
    const u = "arn:aws:iam::111111111111:user/ops/bob";
    assert.deepEqual(callerFromPrincipal(u, "AIDAEXAMPLE000000001").person, { key: `iam-user:${u}#AIDAEXAMPLE000000001`, name: "bob", kind: "iam-user" });
    const sso1 = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_MLLeads_0123456789abcdef/Carol";
    const sso2 = "arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_MLAdmins_fedcba9876543210/Carol";
    assert.equal(callerFromPrincipal(sso1, id(sso1)).person.key, callerFromPrincipal(sso2, id(sso2)).person.key, "one person across permission sets");
    assert.notEqual(callerFromPrincipal(sso1, id(sso1)).principalId, callerFromPrincipal(sso2, id(sso2)).principalId, "two principals");
    const r1 = "arn:aws:sts::111111111111:assumed-role/R/carol";
    const r2 = "arn:aws:sts::111111111111:assumed-role/R/carol-alt";
    assert.deepEqual([callerFromPrincipal(r1, id(r1)).person.kind, callerFromPrincipal(r1, id(r1)).person.key], ["role-session", callerFromPrincipal(r2, id(r2)).person.key], "all sessions of an ordinary role: one person");
    const people = [{ name: "dave", principals: ["arn:aws:iam::111111111111:role/team/dave-admin", "arn:aws:iam::111111111111:user/dave"] }];
    const mapped = "arn:aws:sts::111111111111:assumed-role/dave-admin/anything";
    assert.deepEqual(callerFromPrincipal(mapped, id(mapped), people).person, { key: "person:dave", name: "dave", kind: "mapped" });
    assert.equal(callerFromPrincipal("arn:aws:iam::111111111111:user/dave", "AIDAEXAMPLE000000002", people).person.key, "person:dave");
    assert.throws(() => callerFromPrincipal("arn:aws:iam::111111111111:root", "111111111111"), JitError);
    assert.throws(() => callerFromPrincipal("arn:aws:sts::111111111111:federated-user/x", "111111111111:x"), JitError);
    const long = `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_MLLeads_0123456789abcdef/${"x".repeat(65)}`;
    assert.throws(() => callerFromPrincipal(long, id(long)), /source identity/);
  });
});
