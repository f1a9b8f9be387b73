// The CLI end to end against the local sandbox, and bad input over HTTP.
import { strict as assert } from "assert";
import { spawn, type ChildProcess } from "child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { createServer as createNetServer } from "net";
import { tmpdir } from "os";
import { join } from "path";
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

describe("jit sandbox with a stack's rules (serve --local --config Pulumi.<stack>.yaml)", function () {
  const ROOT = join(__dirname, "..");
  const SSO = (ps: string, user: string): string => `arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_${ps}_0123456789abcdef/${user}`;

  async function serve(...args: string[]): Promise<{ sb: Sandbox; log: string }> {
    const log: string[] = [];
    const code = await runCli(["serve", "--local", "--port", "0", ...args], { out: (l) => log.push(l), err: (l) => log.push(l), env: {} });
    assert.equal(code, 0, log.join("\n"));
    return { sb: runningSandboxes.pop() as Sandbox, log: log.join("\n") };
  }
  async function jitAt(sb: Sandbox, ...argv: string[]): Promise<Run> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(["--endpoint", sb.url, ...argv], { out: (l) => out.push(l), err: (l) => err.push(l), env: {} });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }
  const request = ["request", "--prefix", "models/llama/", "--actions", "write", "--minutes", "20", "--reason", "publish llama 3"];
  const idIn = (r: Run): string => /: ([a-f0-9]{16}) /.exec(r.out)?.[1] ?? assert.fail(r.out + r.err);

  it("runs the dev stack's jit section: its ARN patterns, its people, --as-arn callers, and says state lives in memory", async () => {
    const { sb, log } = await serve("--config", join(ROOT, "Pulumi.dev.yaml"));
    try {
      assert.match(log, /state lives in memory/);
      assert.match(log, /dev rules from .*Pulumi\.dev\.yaml/);
      assert.match(log, /AWSReservedSSO_MLReleaseEngineers_\*/);
      const dave = SSO("MLReleaseEngineers", "dave");
      const req = await jitAt(sb, "--as-arn", dave, ...request);
      assert.equal(req.code, 0, req.err);
      const id = idIn(req);
      // The stack does not name ordinary roles: a self-named session is nobody here.
      const rogue = await jitAt(sb, "--as-arn", "arn:aws:sts::111111111111:assumed-role/ml-release-engineers/dave", ...request);
      assert.equal(rogue.code, 1);
      assert.match(rogue.err, /may not request/);
      const self = await jitAt(sb, "--as-arn", SSO("MLLeads", "dave"), "approve", id);
      assert.match(self.err, /no self-approval/, "the same Identity Center user under another permission set is the requester");
      assert.equal((await jitAt(sb, "--as-arn", "arn:aws:iam::111111111111:user/ml-lead-carol", "approve", id)).code, 0);
      const stolen = await jitAt(sb, "--as-arn", "arn:aws:iam::111111111111:user/dave", "claim", id);
      assert.deepEqual([stolen.code, stolen.err], [1, `jit: request ${id} is not yours`]);
      const forged = await jitAt(sb, "--as-arn", dave, "--principal-id", "AROAEXAMPLEOTHER0001:dave", "claim", id);
      assert.equal(forged.code, 1);
      assert.match(forged.err, /another principal/);
      const claim = await jitAt(sb, "--as-arn", dave, "claim", id);
      assert.equal(claim.code, 0, claim.err);
      assert.equal((JSON.parse(claim.out) as { SourceIdentity: string }).SourceIdentity, "dave");
      // A mapped person: any session of their own role is them, under their person name.
      const mapped = await jitAt(sb, "--as-arn", "arn:aws:sts::111111111111:assumed-role/dave-release/whatever", ...request);
      assert.equal(mapped.code, 0, mapped.err);
      assert.match(mapped.out, new RegExp(`${idIn(mapped)}\\s+PENDING\\s+dave `));
      const bad = await jitAt(sb, "--as-arn", dave, "--principal-id", "AIDAEXAMPLEUSER00001", "list");
      assert.equal(bad.code, 1);
      assert.match(bad.err, /principal id/);
    } finally {
      await sb.close();
    }
  });

  it("refuses a prod stack file's self-chosen-name entry at startup, naming the key", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jit-sandbox-"));
    const file = join(dir, "Pulumi.prod.yaml");
    writeFileSync(file, readFileSync(join(ROOT, "Pulumi.prod.yaml"), "utf8").replace("breakGlass: [", 'breakGlass: ["arn:aws:sts::222222222222:assumed-role/ml-oncall/*", '));
    const err: string[] = [];
    const code = await runCli(["serve", "--local", "--port", "0", "--config", file], { out: () => undefined, err: (l) => err.push(l), env: {} });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(code, 1);
    assert.match(err.join("\n"), /Pulumi\.prod\.yaml: .*jit\.breakGlass\[0\]: .*ml-oncall/);
  });

  it("--data-dir keeps requests across restarts", async () => {
    const dir = mkdtempSync(join(tmpdir(), "jit-data-"));
    const first = await serve("--config", join(ROOT, "Pulumi.dev.yaml"), "--data-dir", dir);
    let id: string;
    try {
      assert.match(first.log, /state is kept in \(--data-dir\)/);
      assert.ok(first.log.includes(dir), first.log);
      id = idIn(await jitAt(first.sb, "--as-arn", SSO("MLReleaseEngineers", "erin"), ...request));
    } finally {
      await first.sb.close();
    }
    const second = await serve("--config", join(ROOT, "Pulumi.dev.yaml"), "--data-dir", dir);
    try {
      const shown = await jitAt(second.sb, "--as-arn", SSO("MLLeads", "alice"), "show", id);
      assert.equal(shown.code, 0, shown.err);
      assert.match(shown.out, /PENDING\s+erin/);
    } finally {
      await second.sb.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("stopping the npm process stops the server (no orphan holds the port)", () => {
    const portFree = (port: number): Promise<boolean> =>
      new Promise((resolve) => {
        const s = createNetServer();
        s.once("error", () => resolve(false));
        s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
      });
    for (const [how, stop] of [
      ["SIGTERM to npm", (p: ChildProcess) => p.kill("SIGTERM")],
      ["SIGKILL to npm (nothing passed on)", (p: ChildProcess) => p.kill("SIGKILL")],
      ["Ctrl-C (SIGINT to the process group)", (p: ChildProcess) => process.kill(-(p.pid as number), "SIGINT")],
    ] as const) {
      it(`after ${how}`, async function () {
        this.timeout(60_000);
        const npm = spawn("npm", ["run", "--silent", "jit", "--", "serve", "--local", "--port", "0"], { cwd: ROOT, detached: true, stdio: ["ignore", "ignore", "pipe"] });
        try {
          const port = await new Promise<number>((resolve, reject) => {
            let text = "";
            npm.stderr?.on("data", (d: Buffer) => {
              text += d.toString();
              const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(text);
              if (m) resolve(Number(m[1]));
            });
            npm.once("exit", () => reject(new Error(`serve exited early: ${text}`)));
          });
          assert.equal(await portFree(port), false, "the sandbox holds its port");
          stop(npm);
          let free = false;
          for (let i = 0; i < 50 && !free; i++) {
            await new Promise((r) => setTimeout(r, 100));
            free = await portFree(port);
          }
          assert.ok(free, `port ${port} still held 5 s after ${how}`);
        } finally {
          // Whatever is left of the group we started (nothing, when the test passes).
          try {
            process.kill(-(npm.pid as number), "SIGKILL");
          } catch {
            // already gone
          }
        }
      });
    }
  });
});
