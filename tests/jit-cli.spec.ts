// The CLI end to end against the local sandbox, and bad input over HTTP.
import { strict as assert } from "assert";
import { runCli, runningSandboxes, type CliIo } from "../jit/cli-main";
import type { Sandbox } from "../jit/local-server";
import type { JitRequest } from "../jit/types";

interface Run {
  code: number;
  out: string;
  err: string;
}

describe("jit CLI against the local sandbox", function () {
  let sb: Sandbox;
  const serveLog: string[] = [];

  async function jit(...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), env: {} };
    const code = await runCli(["--endpoint", sb.url, ...argv], io);
    return { code, out: out.join("\n"), err: err.join("\n") };
  }
  const idOf = (r: Run): string => /: ([a-f0-9]{16}) /.exec(r.out)?.[1] ?? assert.fail(r.out + r.err);

  before(async () => {
    const io: CliIo = { out: (l) => serveLog.push(l), err: (l) => serveLog.push(l), env: {} };
    assert.equal(await runCli(["serve", "--local", "--port", "0"], io), 0);
    sb = runningSandboxes[runningSandboxes.length - 1];
  });
  after(async () => sb.close());

  it("announces itself loudly as a sandbox", () => {
    assert.match(serveLog.join("\n"), /LOCAL SANDBOX, NOT A REAL BROKER/);
  });

  it("runs request -> approve -> claim -> revoke -> audit", async () => {
    const req = await jit("--as", "dave", "request", "--prefix", "models/llama/", "--actions", "write", "--minutes", "20", "--reason", "publish llama 3");
    assert.equal(req.code, 0, req.err);
    const id = idOf(req);
    assert.match(req.out, /PENDING/);

    const early = await jit("--as", "dave", "claim", id);
    assert.deepEqual([early.code, early.err], [1, `jit: request ${id} is not approved yet (0/1 approvals)`]);
    const self = await jit("--as", "dave", "approve", id);
    assert.equal(self.code, 1);
    assert.match(self.err, /^jit: .*not an approver|no self-approval/);

    const ok = await jit("--as", "bob", "approve", id);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /APPROVED/);

    const notYours = await jit("--as", "bob", "claim", id);
    assert.deepEqual([notYours.code, notYours.err], [1, `jit: request ${id} is not yours`]);

    const claim = await jit("--as", "dave", "claim", id);
    assert.equal(claim.code, 0, claim.err);
    assert.match(claim.err, /SANDBOX: no STS/);
    const params = JSON.parse(claim.out) as { RoleSessionName: string; SourceIdentity: string; Tags: unknown; DurationSeconds: number; Policy: { Statement: { Resource: string }[] } };
    assert.equal(params.RoleSessionName, `jit-${id}`);
    assert.equal(params.SourceIdentity, "dave");
    assert.deepEqual(params.Tags, [{ Key: "jit-request-id", Value: id }]);
    assert.ok(params.DurationSeconds >= 900 && params.DurationSeconds <= 1200);
    assert.equal(params.Policy.Statement[0].Resource, "arn:aws:s3:::model-vault-sandbox/models/llama/*");

    const cp = await jit("--as", "dave", "claim", id, "--credential-process");
    assert.equal(cp.code, 1);
    assert.match(cp.err, /^jit: the sandbox issues no credentials/);

    const list = await jit("--as", "carol", "list", "--status", "ACTIVE");
    assert.match(list.out, new RegExp(`${id}\\s+ACTIVE`));

    const rv = await jit("--as", "carol", "revoke", id, "--reason", "wrong weights");
    assert.equal(rv.code, 0, rv.err);
    assert.deepEqual(sb.revocations.current?.Statement[0].Condition, { StringEquals: { "aws:PrincipalTag/jit-request-id": [id] } });
    const after = await jit("--as", "dave", "claim", id);
    assert.deepEqual([after.code, after.err], [1, `jit: request ${id} is REVOKED; no credentials can be issued`]);

    const audit = await jit("--as", "dave", "audit", id);
    assert.equal(audit.code, 0, audit.err);
    assert.match(audit.out, new RegExp(`assumed-role/model-vault-sandbox-elevated/jit-${id}`));
    assert.match(audit.out, /sourceIdentity dave/);
    for (const ev of ["request", "approve", "claim", "revoke"]) assert.match(audit.out, new RegExp(`\\b${ev}\\b`));

    const show = await jit("--as", "dave", "show", id);
    assert.match(show.out, /REVOKED/);
    assert.match(show.out, /"wrong weights"/);
  });

  it("deny needs a reason; errors are one line with a non-zero exit", async () => {
    const req = await jit("--as", "dave", "request", "--prefix", "models/x/", "--actions", "write,delete", "--minutes", "10", "--reason", "cleanup");
    const id = idOf(req);
    const noReason = await jit("--as", "bob", "deny", id);
    assert.deepEqual([noReason.code, noReason.err], [1, "jit: deny needs --reason"]);
    const d = await jit("--as", "bob", "deny", id, "--reason", "use the pipeline");
    assert.match(d.out, /DENIED/);
    const missing = await jit("--as", "bob", "show", "0000000000000000");
    assert.deepEqual([missing.code, missing.err], [1, "jit: no request 0000000000000000"]);
    const remote = await runCli(["--endpoint", "https://abc.lambda-url.eu-west-1.on.aws", "--as", "bob", "list"], { out: () => undefined, err: () => undefined, env: {} });
    assert.equal(remote, 1, "--as is refused against a non-loopback endpoint");
  });

  describe("bad input gets a clear 4xx and changes nothing", () => {
    const good = { prefix: "models/llama/", actions: ["write"], minutes: 10, reason: "publish" };
    async function post(body: string, as: string | null = "dave"): Promise<{ status: number; message: string }> {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (as) headers["x-sandbox-caller"] = as;
      const res = await fetch(`${sb.url}/requests`, { method: "POST", headers, body });
      return { status: res.status, message: ((await res.json()) as { message: string }).message };
    }
    async function count(): Promise<number> {
      const res = await fetch(`${sb.url}/requests`, { headers: { "x-sandbox-caller": "bob" } });
      return ((await res.json()) as JitRequest[]).length;
    }
    const cases: [string, string, number, RegExp][] = [
      ["a wildcard prefix", JSON.stringify({ ...good, prefix: "models/*" }), 400, /wildcards/],
      ["'..' in a prefix", JSON.stringify({ ...good, prefix: "models/../secrets/" }), 400, /'\.\.'/],
      ["a prefix outside the allowed ones", JSON.stringify({ ...good, prefix: "datasets/" }), 403, /outside the allowed prefixes/],
      ["a window over the maximum", JSON.stringify({ ...good, minutes: 90 }), 400, /at most 60/],
      ["a missing reason", JSON.stringify({ ...good, reason: undefined }), 400, /reason/],
      ["a blank reason", JSON.stringify({ ...good, reason: "  " }), 400, /reason/],
      ["unknown fields", JSON.stringify({ ...good, requester: "bob" }), 400, /unknown field\(s\) requester/],
      ["an unknown action", JSON.stringify({ ...good, actions: ["admin"] }), 400, /actions/],
      ["invalid JSON", "{nope", 400, /not valid JSON/],
      ["an oversized body", JSON.stringify({ ...good, reason: "x".repeat(20_000) }), 413, /over 8192 bytes/],
    ];
    for (const [what, body, status, re] of cases) {
      it(`refuses ${what}`, async () => {
        const before = await count();
        const r = await post(body);
        assert.equal(r.status, status, r.message);
        assert.match(r.message, re);
        assert.equal(await count(), before);
      });
    }
    it("refuses a call without a caller (401) and unknown routes (404)", async () => {
      assert.equal((await post(JSON.stringify(good), null)).status, 401);
      const res = await fetch(`${sb.url}/admin`, { headers: { "x-sandbox-caller": "bob" } });
      assert.equal(res.status, 404);
      const claimBody = await fetch(`${sb.url}/requests/0000000000000000/claim`, { method: "POST", headers: { "x-sandbox-caller": "bob" }, body: JSON.stringify({ duration: 99999 }) });
      assert.equal(claimBody.status, 400);
    });
  });
});
