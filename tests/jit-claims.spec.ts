// Claims are idempotent and bounded, on dynalite: a retried claim (same idempotency key) records
// once; a client that never receives credentials shows no claim; a revoke racing a claim wins;
// 200 concurrent claims neither serialize nor wait long; contention ends in a clear 503 quickly.
import { strict as assert } from "assert";
import { startLocalDynamo, type LocalDynamo } from "../jit/local-dynamo";
import { DynamoRequestStore, type RequestStore } from "../jit/store";
import { Broker, type ClaimResult } from "../jit/handlers";
import { JitError } from "../jit/errors";
import { MemoryNotifier, MemoryRevocationSink, TimerScheduler } from "../jit/sandbox-adapters";
import { buildSessionPolicy } from "../jit/session-policy";
import { route } from "../jit/routes";
import { newIdempotencyKey, type ClaimEntry } from "../jit/claims";
import { claimWithRetries as cliClaim } from "../jit/claim-client";
import { ClientError } from "../jit/client";
import { toJson } from "../iam/types";
import type { CredentialIssuer, IssuedCredentials } from "../jit/ports";
import type { AssumeRoleParams } from "../jit/sts-params";
import type { JitRequest } from "../jit/types";
import type { JitConfig } from "../config/jit";
import { alice, at, bob, carol, testConfig, T0 } from "./jit-fixtures";
import { delegating } from "./support/jit-store";

const target = { elevatedRoleArn: "arn:aws:iam::111111111111:role/model-vault-elevated", bucketName: "mv-models", region: "eu-west-1", accountId: "111111111111" };
const input = { prefix: "models/llama/", actions: ["write" as const], minutes: 30, reason: "publish llama weights" };

/** Stands in for STS: hands out distinct credentials and remembers what it was asked. */
class CountingIssuer implements CredentialIssuer {
  readonly sent: AssumeRoleParams[] = [];
  gate?: Promise<void>;
  fail = false;
  async issue(params: AssumeRoleParams): Promise<IssuedCredentials> {
    this.sent.push(params);
    if (this.gate) await this.gate;
    if (this.fail) throw Object.assign(new Error("Rate exceeded"), { name: "Throttling" });
    const n = this.sent.length;
    return { AccessKeyId: `ASIA${String(n).padStart(12, "0")}`, SecretAccessKey: `secret${n}`, SessionToken: `token${n}`, Expiration: at(30).toISOString() };
  }
}

const claimsOf = (r: JitRequest): ClaimEntry[] => r.history.filter((h): h is ClaimEntry => h.event === "claim");

describe("jit claims: idempotent and bounded (dynalite)", function () {
  this.timeout(60_000);
  let db: LocalDynamo;
  let now = T0;
  let seq = 0;
  before(async () => {
    db = await startLocalDynamo();
  });
  after(async () => db.close());
  beforeEach(() => {
    now = T0;
  });

  function broker(issuer: CredentialIssuer, opts: { config?: JitConfig; store?: RequestStore; clock?: () => Date } = {}): Broker {
    const sink = new MemoryRevocationSink();
    const b: Broker = new Broker({
      config: opts.config ?? testConfig(),
      store: opts.store ?? new DynamoRequestStore(db.client, db.table),
      target,
      issuer,
      notifier: new MemoryNotifier(),
      scheduler: new TimerScheduler(),
      onRevoked: async (r) => {
        await b.syncRevocations(sink, [r]);
      },
      clock: opts.clock ?? (() => now),
      newId: () => `claim${String(++seq).padStart(11, "0")}`,
      log: () => undefined,
    });
    return b;
  }

  async function approved(b: Broker): Promise<JitRequest> {
    const r = await b.request(alice, input);
    return b.approve(bob, r.id);
  }

  /** What the CLI does: one key per invocation, reused on a retryable answer. */
  async function claimWithRetries(b: Broker, id: string, key: string, tries = 5): Promise<ClaimResult> {
    for (let i = 1; ; i++) {
      try {
        return await b.claim(alice, id, { idempotencyKey: key });
      } catch (e) {
        if (!(e instanceof JitError && e.status === 503) || i >= tries) throw e;
      }
    }
  }

  it("200 concurrent claims with retries all succeed, one history entry per key, scope and end unchanged", async () => {
    const issuer = new CountingIssuer();
    const b = broker(issuer, { clock: () => new Date(T0.getTime() + 60_000) });
    const r = await approved(b);
    const keys = Array.from({ length: 200 }, () => newIdempotencyKey());
    const started = Date.now();
    const slowest: number[] = [];
    const results = await Promise.allSettled(
      keys.map(async (k) => {
        const t = Date.now();
        const out = await claimWithRetries(b, r.id, k);
        slowest.push(Date.now() - t);
        return out;
      }),
    );
    const failed = results.filter((x): x is PromiseRejectedResult => x.status === "rejected");
    assert.deepEqual(failed.map((f) => String(f.reason)), [], "every claim succeeds");
    const fresh = await b.get(bob, r.id);
    const entries = claimsOf(fresh);
    assert.equal(entries.length, 200);
    assert.equal(fresh.claims, 200);
    assert.deepEqual(entries.map((e) => e.idempotencyKey).sort(), [...keys].sort(), "exactly one entry per key");
    assert.equal(entries.filter((e) => e.from === "APPROVED").length, 1, "one APPROVED -> ACTIVE step, every other claim from ACTIVE");
    assert.equal(fresh.status, "ACTIVE");
    assert.equal(fresh.version, r.version, "claims do not bump the version other writers condition on");
    const policy = toJson(buildSessionPolicy(r, target));
    for (const x of results) {
      const c = (x as PromiseFulfilledResult<ClaimResult>).value;
      assert.equal(c.assumeRole.Policy, policy, "session policy scope and end unchanged");
      assert.equal(c.assumeRole.DurationSeconds, 30 * 60, "the rest of the window, as before");
      assert.ok(c.credentials);
    }
    console.log(`      200 concurrent claims: ${Date.now() - started} ms in all, slowest ${Math.max(...slowest)} ms`);
  });

  it("a retried claim with the same key returns credentials again without a second recorded claim", async () => {
    const issuer = new CountingIssuer();
    const b = broker(issuer);
    const r = await approved(b);
    const key = newIdempotencyKey();
    const first = await b.claim(alice, r.id, { idempotencyKey: key });
    const again = await b.claim(alice, r.id, { idempotencyKey: key });
    const dupes = await Promise.all(Array.from({ length: 20 }, () => b.claim(alice, r.id, { idempotencyKey: key })));
    assert.ok(first.credentials && again.credentials && dupes.every((d) => d.credentials));
    const fresh = await b.get(bob, r.id);
    assert.equal(claimsOf(fresh).length, 1);
    assert.equal(fresh.claims, 1);
    assert.equal(again.request.claims, 1);
    // A different key is a different claim.
    await b.claim(alice, r.id, { idempotencyKey: newIdempotencyKey() });
    assert.equal(claimsOf(await b.get(bob, r.id)).length, 2);
  });

  it("records no claim when STS fails (503, retryable) or the record cannot be written", async () => {
    const issuer = new CountingIssuer();
    const real = new DynamoRequestStore(db.client, db.table);
    let commitFails = false;
    const store = delegating(real, {
      commitClaim: async (c) => {
        if (commitFails) throw new Error("socket hang up");
        return real.commitClaim(c);
      },
    });
    const b = broker(issuer, { store });
    const r = await approved(b);
    const key = newIdempotencyKey();
    issuer.fail = true;
    await assert.rejects(b.claim(alice, r.id, { idempotencyKey: key }), (e: unknown) => e instanceof JitError && e.status === 503);
    issuer.fail = false;
    commitFails = true;
    await assert.rejects(b.claim(alice, r.id, { idempotencyKey: key }), (e: unknown) => e instanceof JitError && e.status === 503);
    let fresh = await b.get(bob, r.id);
    assert.equal(claimsOf(fresh).length, 0, "no client received credentials, no claim recorded");
    assert.equal(fresh.status, "APPROVED");
    commitFails = false;
    const ok = await b.claim(alice, r.id, { idempotencyKey: key });
    assert.ok(ok.credentials);
    fresh = await b.get(bob, r.id);
    assert.equal(claimsOf(fresh).length, 1);
  });

  it("a revoke that commits while credentials are being issued wins: the claim is refused and its credentials never leave", async () => {
    const issuer = new CountingIssuer();
    const b = broker(issuer);
    const r = await approved(b);
    let release!: () => void;
    issuer.gate = new Promise<void>((res) => (release = res));
    const claim = b.claim(alice, r.id, { idempotencyKey: newIdempotencyKey() });
    while (issuer.sent.length === 0) await new Promise((res) => setTimeout(res, 1));
    await b.revoke(carol, r.id, "pulled"); // commits while STS is "answering"
    release();
    await assert.rejects(claim, (e: unknown) => e instanceof JitError && e.code === "conflict" && /REVOKED/.test(e.message));
    const fresh = await b.get(bob, r.id);
    assert.equal(claimsOf(fresh).length, 0);
    assert.equal(fresh.history.at(-1)?.event, "revoke");
    // And a replay of a key recorded before the revocation gets nothing either.
    issuer.gate = undefined;
    const r2 = await approved(b);
    const key = newIdempotencyKey();
    await b.claim(alice, r2.id, { idempotencyKey: key });
    await b.revoke(carol, r2.id);
    await assert.rejects(b.claim(alice, r2.id, { idempotencyKey: key }), (e: unknown) => e instanceof JitError && e.code === "conflict");
  });

  it("contention ends in a clear 503 within the bound, never a long wait", async () => {
    const real = new DynamoRequestStore(db.client, db.table);
    const losing = delegating(real, { transition: async () => false, commitClaim: async () => false });
    const setup = broker(new CountingIssuer());
    const r = await approved(setup);
    const b = broker(new CountingIssuer(), { store: losing });
    for (const attempt of [() => b.claim(alice, r.id, { idempotencyKey: newIdempotencyKey() }), () => b.revoke(carol, r.id)]) {
      const t = Date.now();
      await assert.rejects(attempt(), (e: unknown) => e instanceof JitError && e.status === 503 && /contention/.test(e.message));
      assert.ok(Date.now() - t < 1_500, `${Date.now() - t} ms`);
    }
  });

  it("the CLI's claim sends one key per invocation and reuses it when the answer is lost", async () => {
    const b = broker(new CountingIssuer());
    const r = await approved(b);
    const keys: string[] = [];
    let drop = 2;
    // The broker handles the call, then the answer is lost on the way back (twice), as a timeout would.
    const client = {
      call: async <T>(method: "GET" | "POST", path: string, body?: unknown): Promise<T> => {
        keys.push((body as { idempotencyKey: string }).idempotencyKey);
        const res = await route(b, alice, { method, path, query: {}, body: JSON.stringify(body) });
        if (drop-- > 0) throw new ClientError("cannot reach the broker: socket hang up");
        if (res.status !== 200) throw new ClientError(JSON.stringify(res.body), res.status);
        return res.body as T;
      },
    };
    const out = await cliClaim(client, r.id, { sleep: async () => undefined });
    assert.ok(out.credentials);
    assert.equal(keys.length, 3);
    assert.equal(new Set(keys).size, 1, "the same key on every retry");
    assert.equal(claimsOf(await b.get(bob, r.id)).length, 1, "three deliveries, one recorded claim");
    await cliClaim(client, r.id);
    assert.equal(claimsOf(await b.get(bob, r.id)).length, 2, "a new invocation is a new claim");
    // A refusal is final: no retry.
    await b.revoke(carol, r.id);
    keys.length = 0;
    await assert.rejects(cliClaim(client, r.id, { sleep: async () => undefined }), (e: unknown) => e instanceof ClientError && e.status === 409);
    assert.equal(keys.length, 1);
  });

  it("the route takes an idempotency key in the claim body and refuses malformed ones", async () => {
    const b = broker(new CountingIssuer());
    const r = await approved(b);
    const key = newIdempotencyKey();
    const body = JSON.stringify({ idempotencyKey: key });
    const one = await route(b, alice, { method: "POST", path: `/requests/${r.id}/claim`, query: {}, body });
    const two = await route(b, alice, { method: "POST", path: `/requests/${r.id}/claim`, query: {}, body });
    assert.deepEqual([one.status, two.status], [200, 200]);
    assert.equal(claimsOf(await b.get(bob, r.id)).length, 1);
    const bad = await route(b, alice, { method: "POST", path: `/requests/${r.id}/claim`, query: {}, body: JSON.stringify({ idempotencyKey: "short" }) });
    assert.equal(bad.status, 400);
  });
});
