// Revocation fails closed: the attacker opens (and has revoked) more requests than the deny can
// list, or pushes the live request off the status index's first page, then keeps using a
// session that was revoked. The deny the broker writes, evaluated by the IAM engine, must still
// cut that session. And a revoke that fails at any step leaves a consistent, retryable state.
import { strict as assert } from "assert";
import { BatchWriteCommand, DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startLocalDynamo, type LocalDynamo } from "../jit/local-dynamo";
import { DynamoRequestStore, type RequestStore } from "../jit/store";
import { Broker } from "../jit/handlers";
import { JitError } from "../jit/errors";
import { MemoryNotifier, MemoryRevocationSink, SandboxIssuer, TimerScheduler } from "../jit/sandbox-adapters";
import { buildSessionPolicy } from "../jit/session-policy";
import { revocationDeny, REVOCATION_POLICY_MAX_CHARS, RevocationTooLarge, TOKEN_ISSUE_MARGIN_SECONDS } from "../jit/revocation";
import { IamRevocationSink } from "../jit/aws-adapters";
import { handler as revoker } from "../jit/lambda/revoker";
import { policyDocument, toJson, type PolicyDocument } from "../iam/types";
import type { RevocationSink } from "../jit/ports";
import type { JitRequest } from "../jit/types";
import type { JitConfig } from "../config/jit";
import { alice, at, bob, carol, mallory, testConfig, T0 } from "./jit-fixtures";
import { decide as iamDecide } from "./support/iam";
import { delegating } from "./support/jit-store";

const ACCOUNT = "111111111111";
const target = { elevatedRoleArn: `arn:aws:iam::${ACCOUNT}:role/model-vault-elevated`, bucketName: "mv-models", region: "eu-west-1", accountId: ACCOUNT };
const input = { prefix: "models/llama/", actions: ["write" as const], minutes: 30, reason: "publish llama weights" };
const object = "arn:aws:s3:::mv-models/models/llama/w.safetensors";
/** What the elevated role itself allows (its own policy, before session policy and deny narrow it). */
const rolePolicy = policyDocument([{ Effect: "Allow", Action: ["s3:PutObject", "s3:DeleteObject"], Resource: "arn:aws:s3:::mv-models/*" }]);

/** A session of the elevated role for request `id`, issued at `issued`, calling PutObject at `now`. */
async function putObject(req: JitRequest, issued: Date, now: Date, deny: PolicyDocument | null): Promise<string> {
  return iamDecide({
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/model-vault-elevated/jit-${req.id}`,
    action: "s3:PutObject",
    resource: object,
    identityPolicies: deny ? [rolePolicy, deny] : [rolePolicy],
    sessionPolicy: buildSessionPolicy(req, target),
    context: {
      "aws:PrincipalTag/jit-request-id": req.id,
      "aws:TokenIssueTime": issued.toISOString(),
      "aws:CurrentTime": now.toISOString(),
      "aws:PrincipalArn": target.elevatedRoleArn,
    },
  });
}

/** Revoked requests as the table holds them, written in batches (what an attacker piles up alone). */
async function seedRevoked(db: LocalDynamo, n: number, opts: { prefix: string; createdAt: Date; windowEnd: Date; revokedAt: Date; padding?: number }): Promise<void> {
  const doc = DynamoDBDocumentClient.from(db.client);
  const items: JitRequest[] = Array.from({ length: n }, (_, i) => {
    const id = `${opts.prefix}${String(i).padStart(16 - opts.prefix.length, "0")}`;
    const when = opts.revokedAt.toISOString();
    return {
      id,
      status: "REVOKED",
      requester: "erin",
      requesterArn: "arn:sandbox:::user/erin",
      requesterPerson: "iam-user:arn:sandbox:::user/erin#AIDAERIN",
      requesterPrincipalId: "AIDAERIN",
      prefix: "models/spam/",
      actions: ["write"],
      minutes: 60,
      reason: "x".repeat(opts.padding ?? 20),
      createdAt: new Date(opts.createdAt.getTime() + i).toISOString(),
      pendingDeadline: opts.windowEnd.toISOString(),
      approvalsRequired: 1,
      approvals: [],
      breakGlass: true,
      windowEnd: opts.windowEnd.toISOString(),
      claims: 0,
      endedAt: when,
      version: 3,
      history: [{ at: when, event: "revoke", by: "erin", byArn: "arn:sandbox:::user/erin", byPerson: "iam-user:arn:sandbox:::user/erin#AIDAERIN", byPrincipalId: "AIDAERIN", from: "APPROVED", to: "REVOKED" }],
    };
  });
  for (let i = 0; i < items.length; i += 25)
    await doc.send(new BatchWriteCommand({ RequestItems: { [db.table]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
}

describe("jit revocation fails closed (dynalite + IAM engine)", function () {
  this.timeout(60_000);
  let db: LocalDynamo;
  let now = T0;
  let seq = 0;

  beforeEach(async () => {
    db = await startLocalDynamo();
    now = T0;
  });
  afterEach(async () => db.close());

  function broker(config: JitConfig, sink: RevocationSink, store: RequestStore = new DynamoRequestStore(db.client, db.table)): Broker {
    const b: Broker = new Broker({
      config,
      store,
      target,
      issuer: new SandboxIssuer(),
      notifier: new MemoryNotifier(),
      scheduler: new TimerScheduler(),
      onRevoked: async (r) => {
        await b.syncRevocations(sink, [r]);
      },
      clock: () => now,
      newId: () => `live${String(++seq).padStart(12, "0")}`,
      log: () => undefined,
    });
    return b;
  }

  async function approvedAndClaimed(b: Broker): Promise<JitRequest> {
    const r = await b.request(alice, input);
    await b.approve(bob, r.id);
    return (await b.claim(alice, r.id)).request;
  }

  it("1,200 open revoked windows: revoking a live request still denies its issued session (issued-before fallback)", async () => {
    const sink = new MemoryRevocationSink();
    const b = broker(testConfig(), sink);
    await seedRevoked(db, 1200, { prefix: "spam", createdAt: T0, windowEnd: at(60), revokedAt: at(1) });
    now = at(2);
    const live = await approvedAndClaimed(b);
    const issued = at(2);
    assert.equal(await putObject(live, issued, at(3), null), "Allowed", "without a deny the session writes: the test can fail");
    now = at(3);
    await b.revoke(carol, live.id, "pulled");
    const deny = sink.current;
    assert.ok(deny, "a deny is written");
    assert.ok(toJson(deny).length <= REVOCATION_POLICY_MAX_CHARS);
    assert.equal(await putObject(live, issued, at(4), deny), "ExplicitlyDenied");
    // A session of another request claimed after the revocation (margin included) keeps working.
    const after = new Date(at(3).getTime() + (TOKEN_ISSUE_MARGIN_SECONDS + 1) * 1000);
    now = after;
    const fresh = await approvedAndClaimed(b);
    assert.equal(await putObject(fresh, after, at(5), deny), "Allowed");
  });

  it("a live revoked request past the status index's first 1 MB page is still named by the deny", async () => {
    const sink = new MemoryRevocationSink();
    const b = broker(testConfig(), sink);
    // Created first (oldest in the index), revoked last: newest-first pages put it at the end.
    const live = await approvedAndClaimed(b);
    await seedRevoked(db, 2500, { prefix: "old", createdAt: at(1), windowEnd: at(-1), revokedAt: at(-2), padding: 500 });
    now = at(2);
    await b.revoke(carol, live.id);
    // Sync from the table alone (no stream image to help): pagination must find it.
    const doc = await b.syncRevocations(sink);
    assert.deepEqual(doc?.Statement[0].Condition, { StringEquals: { "aws:PrincipalTag/jit-request-id": [live.id] } });
    assert.equal(await putObject(live, T0, at(3), sink.current), "ExplicitlyDenied");
    const all = await new DynamoRequestStore(db.client, db.table).list({ status: "REVOKED" });
    assert.equal(all.length, 2501, "the store follows LastEvaluatedKey");
  });

  it("the deny only widens: tag list while it fits, issued-before past the budget, and when IAM refuses the list's size", async () => {
    const rec = (i: number, revokedMin: number) => ({ id: `r${String(i).padStart(15, "0")}`, status: "REVOKED" as const, windowEnd: at(60).toISOString(), endedAt: at(revokedMin).toISOString() });
    const few = revocationDeny([rec(1, 1), rec(2, 2)], at(3));
    assert.equal(few.mode, "ids");
    const many = revocationDeny(Array.from({ length: 1000 }, (_, i) => rec(i, i % 7)), at(10));
    assert.equal(many.mode, "issued-before");
    assert.deepEqual(many.doc?.Statement[0].Condition, { DateLessThan: { "aws:TokenIssueTime": `2030-01-01T10:06:0${TOKEN_ISSUE_MARGIN_SECONDS}Z` } });
    assert.equal(many.ids.length, 1000);
    // The role's other inline policies leave less room than the budget: IAM says LimitExceeded.
    const sent: { PolicyDocument?: string }[] = [];
    const iam = {
      send: async (cmd: { input: { PolicyDocument?: string } }) => {
        sent.push(cmd.input);
        if (cmd.input.PolicyDocument?.includes("PrincipalTag"))
          throw Object.assign(new Error("Maximum policy size of 10240 bytes exceeded for role"), { name: "LimitExceededException" });
        return {};
      },
    };
    const sink = new IamRevocationSink(iam as never, "model-vault-elevated");
    await assert.rejects(sink.apply(few.doc), RevocationTooLarge);
    const b = broker(testConfig(), sink);
    const live = await approvedAndClaimed(b);
    now = at(1);
    await b.revoke(carol, live.id);
    const last = JSON.parse(sent.at(-1)?.PolicyDocument ?? "{}") as PolicyDocument;
    assert.ok(last.Statement[0].Condition?.DateLessThan, "fell back to the issued-before deny");
    assert.equal(await putObject(live, T0, at(2), last), "ExplicitlyDenied");
  });

  describe("a revoke that fails midway", () => {
    async function rejects503(p: Promise<unknown>): Promise<void> {
      await assert.rejects(p, (e: unknown) => e instanceof JitError && e.status === 503);
    }

    it("the deny write fails: 503, the request is REVOKED, a retry writes the deny and succeeds", async () => {
      const sink = new MemoryRevocationSink();
      let fail = true;
      const flaky: RevocationSink = {
        apply: async (doc) => {
          if (fail) throw new Error("Throttling: Rate exceeded");
          await sink.apply(doc);
        },
      };
      const b = broker(testConfig(), flaky);
      const live = await approvedAndClaimed(b);
      await rejects503(b.revoke(carol, live.id));
      assert.equal((await b.get(bob, live.id)).status, "REVOKED");
      assert.equal(sink.current, null);
      fail = false;
      const again = await b.revoke(carol, live.id);
      assert.equal(again.status, "REVOKED");
      assert.equal(await putObject(live, T0, at(1), sink.current), "ExplicitlyDenied");
      assert.equal((await b.get(bob, live.id)).history.filter((h) => h.event === "revoke").length, 1, "the retry records nothing twice");
    });

    it("reading the revoked set fails: 503, and a retry converges", async () => {
      const sink = new MemoryRevocationSink();
      const real = new DynamoRequestStore(db.client, db.table);
      let fail = false;
      const store = delegating(real, {
        list: async (f) => {
          if (fail) throw new Error("ProvisionedThroughputExceededException");
          return real.list(f);
        },
      });
      const b = broker(testConfig(), sink, store);
      const live = await approvedAndClaimed(b);
      fail = true;
      await rejects503(b.revoke(carol, live.id));
      fail = false;
      await b.revoke(carol, live.id);
      assert.equal(await putObject(live, T0, at(1), sink.current), "ExplicitlyDenied");
    });

    it("the state write fails before or after applying: 503 with nothing changed, or REVOKED and a retry converges", async () => {
      const sink = new MemoryRevocationSink();
      const real = new DynamoRequestStore(db.client, db.table);
      let mode: "ok" | "before" | "after" = "ok";
      const store = delegating(real, {
        transition: async (r, t) => {
          if (mode === "before") throw new Error("socket hang up");
          const ok = await real.transition(r, t);
          if (mode === "after") throw new Error("socket hang up (after the write)");
          return ok;
        },
      });
      const b = broker(testConfig(), sink, store);
      const live = await approvedAndClaimed(b);
      mode = "before";
      await rejects503(b.revoke(carol, live.id));
      assert.equal((await b.get(bob, live.id)).status, "ACTIVE", "nothing changed");
      mode = "after";
      await rejects503(b.revoke(carol, live.id));
      assert.equal((await b.get(bob, live.id)).status, "REVOKED");
      assert.equal(sink.current, null, "the deny is not written yet: the caller was told to retry");
      mode = "ok";
      await b.revoke(alice, live.id);
      assert.equal(await putObject(live, T0, at(1), sink.current), "ExplicitlyDenied");
    });

    it("in AWS (no synchronous deny), re-revoking touches the item so the stream triggers the revoker again", async () => {
      const store = new DynamoRequestStore(db.client, db.table);
      const b = new Broker({ config: testConfig(), store, target, issuer: new SandboxIssuer(), notifier: new MemoryNotifier(), scheduler: new TimerScheduler(), clock: () => now, log: () => undefined, newId: () => `lambda${String(++seq).padStart(10, "0")}` });
      const live = await approvedAndClaimed(b);
      await b.revoke(carol, live.id);
      const first = (await store.get(live.id)) as JitRequest & { denySyncRequestedAt?: string };
      assert.equal(first.denySyncRequestedAt, undefined);
      now = at(1);
      const again = await b.revoke(carol, live.id);
      assert.equal(again.status, "REVOKED");
      const touched = (await store.get(live.id)) as JitRequest & { denySyncRequestedAt?: string };
      assert.equal(touched.denySyncRequestedAt, at(1).toISOString(), "the item changed: DynamoDB emits a stream record");
      assert.equal(touched.history.length, first.history.length, "history untouched");
    });

    it("re-revoking is idempotent only for those who may revoke", async () => {
      const sink = new MemoryRevocationSink();
      const b = broker(testConfig(), sink);
      const live = await approvedAndClaimed(b);
      await b.revoke(carol, live.id);
      await assert.rejects(b.revoke(mallory, live.id), (e: unknown) => e instanceof JitError && e.code === "forbidden");
      const ended = await approvedAndClaimed(b);
      now = at(31);
      await assert.rejects(b.revoke(carol, ended.id), (e: unknown) => e instanceof JitError && e.code === "expired");
    });
  });

  describe("the revoker Lambda", () => {
    it("adds the stream record's image to what the (lagging) status index returns", async () => {
      const sink = new MemoryRevocationSink();
      const real = new DynamoRequestStore(db.client, db.table);
      const lagging = delegating(real, { list: async () => [] });
      const b = broker(testConfig(), sink, lagging);
      const out = await revoker(
        { Records: [{ eventName: "MODIFY", dynamodb: { NewImage: { id: { S: "abcdef0123456789" }, status: { S: "REVOKED" }, windowEnd: { S: at(30).toISOString() }, endedAt: { S: at(1).toISOString() } } } }] },
        { broker: b, sink },
      );
      assert.deepEqual(out, { mode: "ids", denied: 1 });
      assert.deepEqual(sink.current?.Statement[0].Condition, { StringEquals: { "aws:PrincipalTag/jit-request-id": ["abcdef0123456789"] } });
    });

    it("fails loudly (so the stream retries) when the deny cannot be written or a record is unreadable", async () => {
      const b = broker(testConfig(), new MemoryRevocationSink());
      const broken: RevocationSink = {
        apply: async () => {
          throw new Error("AccessDenied");
        },
      };
      const record = { dynamodb: { NewImage: { id: { S: "abcdef0123456789" }, status: { S: "REVOKED" }, windowEnd: { S: at(30).toISOString() }, endedAt: { S: at(1).toISOString() } } } };
      await assert.rejects(revoker({ Records: [record] }, { broker: b, sink: broken }), /AccessDenied/);
      await assert.rejects(revoker({ Records: [{ dynamodb: {} }] }, { broker: b, sink: new MemoryRevocationSink() }), /no readable NewImage/);
    });

    it("the window-end schedule ends the request and re-syncs the deny", async () => {
      const sink = new MemoryRevocationSink();
      const b = broker(testConfig(), sink);
      const live = await approvedAndClaimed(b);
      await seedRevoked(db, 1, { prefix: "gone", createdAt: T0, windowEnd: at(20), revokedAt: at(1) });
      now = at(30);
      const out = await revoker({ kind: "end", id: live.id }, { broker: b, sink });
      assert.deepEqual(out, { ended: "ENDED", mode: "none", denied: 0 });
      assert.equal(sink.writes, 1);
    });
  });
});
