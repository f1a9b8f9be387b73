// The store and the broker against a DynamoDB-compatible server: real conditional writes.
import { strict as assert } from "assert";
import { startLocalDynamo, type LocalDynamo } from "../jit/local-dynamo";
import { DynamoRequestStore } from "../jit/store";
import { Broker } from "../jit/handlers";
import { JitError } from "../jit/errors";
import { MemoryNotifier, MemoryRevocationSink, SandboxIssuer, TimerScheduler } from "../jit/sandbox-adapters";
import type { JitConfig } from "../config/jit";
import { alice, at, bob, carol, mallory, ssoArn, ssoCaller, testConfig, T0 } from "./jit-fixtures";

const target = { elevatedRoleArn: "arn:aws:iam::111111111111:role/model-vault-elevated", bucketName: "mv-models", region: "eu-west-1", accountId: "111111111111" };
const input = { prefix: "models/llama/", actions: ["write" as const], minutes: 30, reason: "publish llama weights" };

describe("jit store on dynalite", function () {
  let db: LocalDynamo;
  let seq = 0;
  let now = T0;
  const sink = new MemoryRevocationSink();

  before(async () => {
    db = await startLocalDynamo();
  });
  after(async () => db.close());

  function broker(config: JitConfig, notifier = new MemoryNotifier()): Broker {
    const store = new DynamoRequestStore(db.client, db.table);
    const b: Broker = new Broker({
      config,
      store,
      target,
      issuer: new SandboxIssuer(),
      notifier,
      scheduler: new TimerScheduler(),
      onRevoked: async () => {
        await b.syncRevocations(sink);
      },
      clock: () => now,
      newId: () => `req${String(++seq).padStart(8, "0")}`,
      log: () => undefined,
    });
    return b;
  }

  async function rejects(p: Promise<unknown>, code: string, re?: RegExp): Promise<void> {
    await assert.rejects(p, (e: unknown) => e instanceof JitError && e.code === code && (!re || re.test(e.message)));
  }

  beforeEach(() => {
    now = T0;
  });

  it("50 concurrent approvals by distinct approvers yield exactly the needed approvals and one transition", async () => {
    const approvers = Array.from({ length: 50 }, (_, i) => `approver${i}`);
    const b = broker(testConfig({ approvers: approvers.map((n) => ssoArn(n)), approvalsRequired: 2, ticketPattern: "^OPS-[0-9]+$" }, "prod"));
    const r = await b.request(alice, { ...input, ticket: "OPS-7" });
    const results = await Promise.allSettled(approvers.map((n) => b.approve(ssoCaller(n), r.id)));
    const fresh = await b.get(bob, r.id).catch(() => b.get(ssoCaller("approver0"), r.id));
    assert.equal(fresh.status, "APPROVED");
    assert.equal(fresh.approvals.length, 2);
    assert.equal(fresh.history.filter((h) => h.to === "APPROVED").length, 1);
    assert.equal(fresh.history.length, 3);
    assert.equal(results.filter((x) => x.status === "fulfilled").length, 2);
    const reasons = results.filter((x): x is PromiseRejectedResult => x.status === "rejected").map((x) => (x.reason as JitError).code);
    assert.deepEqual([...new Set(reasons)], ["conflict"]);
  });

  it("50 concurrent approvals by the same approver count once", async () => {
    const b = broker(testConfig({ approvalsRequired: 2 }));
    const r = await b.request(alice, input);
    await Promise.allSettled(Array.from({ length: 50 }, () => b.approve(bob, r.id)));
    const fresh = await b.get(bob, r.id);
    assert.deepEqual(fresh.approvals.map((a) => a.by), ["bob"]);
    assert.equal(fresh.status, "PENDING");
    assert.equal(fresh.version, 2);
  });

  it("refuses approval after expiry and records the expiry once", async () => {
    const b = broker(testConfig({ maxPendingMinutes: 10 }));
    const r = await b.request(alice, input);
    now = at(11);
    await rejects(b.approve(bob, r.id), "expired", /expired: not approved/);
    await rejects(b.approve(carol, r.id), "expired");
    const fresh = await b.get(bob, r.id);
    assert.equal(fresh.status, "EXPIRED");
    assert.deepEqual(fresh.history.map((h) => h.event), ["request", "expire"]);
  });

  it("refuses claims by others, before approval and after revocation; concurrent claim/revoke leave a revoked request", async () => {
    const b = broker(testConfig());
    const r = await b.request(alice, input);
    await rejects(b.claim(alice, r.id), "conflict", /not approved yet/);
    await b.approve(bob, r.id);
    await rejects(b.claim(bob, r.id), "forbidden", /not yours/);
    await rejects(b.claim(mallory, r.id), "forbidden");
    const ok = await b.claim(alice, r.id);
    assert.equal(ok.assumeRole.RoleSessionName, `jit-${r.id}`);
    const race = await Promise.allSettled([b.claim(alice, r.id), b.revoke(carol, r.id, "pulled"), b.claim(alice, r.id), b.claim(alice, r.id)]);
    assert.equal(race[1].status, "fulfilled");
    await rejects(b.claim(alice, r.id), "conflict", /REVOKED/);
    const fresh = await b.get(alice, r.id);
    assert.equal(fresh.status, "REVOKED");
    // No claim is recorded after the revocation.
    const idx = fresh.history.findIndex((h) => h.event === "revoke");
    assert.equal(idx, fresh.history.length - 1);
    assert.deepEqual(sink.current?.Statement[0].Condition, { StringEquals: { "aws:PrincipalTag/jit-request-id": [r.id] } });
  });

  it("the revocation deny lists only revoked requests whose window is still open", async () => {
    const b = broker(testConfig());
    const r = await b.request(alice, input);
    await b.approve(bob, r.id);
    await b.revoke(alice, r.id);
    assert.ok((sink.current?.Statement[0].Condition?.StringEquals["aws:PrincipalTag/jit-request-id"] as string[]).includes(r.id));
    now = at(31);
    const doc = await b.syncRevocations(sink);
    assert.equal(doc, null, "all revoked windows closed: the deny is removed");
  });

  it("ends an approved request at its window's end, and a claim after it is refused", async () => {
    const b = broker(testConfig());
    const r = await b.request(alice, input);
    await b.approve(bob, r.id);
    await b.claim(alice, r.id);
    now = at(29);
    assert.equal((await b.closeIfDue(r.id))?.status, "ACTIVE");
    now = at(30);
    assert.equal((await b.closeIfDue(r.id))?.status, "ENDED");
    await rejects(b.claim(alice, r.id), "expired", /ended/);
  });

  it("lists by status and by requester through the indexes; strangers see nothing", async () => {
    const b = broker(testConfig());
    const r = await b.request(bob, { ...input, prefix: "models/bob/" });
    const mine = await b.list(bob, { mine: true });
    assert.ok(mine.some((x) => x.id === r.id) && mine.every((x) => x.requester === "bob"));
    const pending = await b.list(carol, { status: "PENDING" });
    assert.ok(pending.some((x) => x.id === r.id) && pending.every((x) => x.status === "PENDING"));
    await rejects(b.list(mallory, {}), "forbidden");
    await rejects(b.get(alice, "doesnotexist1"), "not-found");
  });

  it("break-glass self-approval notifies every approver and is flagged", async () => {
    const notifier = new MemoryNotifier();
    const b = broker(testConfig(), notifier);
    const erin = ssoCaller("erin");
    const r = await b.request(erin, input);
    const a = await b.approve(erin, r.id, "outage, nobody reachable");
    assert.equal(a.breakGlass, true);
    const n = notifier.notices.at(-1);
    assert.deepEqual([n?.audience, n?.breakGlass], ["approvers", true]);
    assert.match(n?.subject ?? "", /BREAK-GLASS/);
    assert.equal((await b.audit(erin, r.id)).breakGlass, true);
  });
});
