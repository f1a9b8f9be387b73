import { strict as assert } from "assert";
import { applyTransition, decide, openRequest, overdue, SYSTEM, type Command } from "../jit/state-machine";
import { JitError } from "../jit/errors";
import type { Caller, JitRequest } from "../jit/types";
import { resolveJitConfig, JitConfigError } from "../config/jit";
import { alice, at, bob, carol, erin, mallory, ssoArn, ssoCaller, testConfig, T0 } from "./jit-fixtures";

const cfg = testConfig();
const input = { prefix: "models/llama/", actions: ["write" as const], minutes: 30, reason: "publish llama 3 weights" };

function open(c = cfg, who: Caller = alice): JitRequest {
  return openRequest(input, who, c, T0, "abcdef0123456789");
}
function step(r: JitRequest, cmd: Command, who: Caller, when = at(1), c = cfg): JitRequest {
  return applyTransition(r, decide(r, cmd, who, c, when));
}
function refused(fn: () => unknown, code: string, re?: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof JitError && e.code === code && (!re || re.test(e.message)));
}

describe("jit state machine", () => {
  it("opens a PENDING request with a history line and a deadline", () => {
    const r = open();
    assert.equal(r.status, "PENDING");
    assert.equal(r.version, 1);
    assert.deepEqual(r.history.map((h) => [h.event, h.from, h.to, h.by]), [["request", null, "PENDING", "alice"]]);
    assert.equal(r.pendingDeadline, at(24 * 60).toISOString());
  });

  it("refuses requests from non-requesters, outside prefixes, disallowed actions, over-long windows, missing tickets", () => {
    refused(() => open(cfg, mallory), "forbidden", /may not request/);
    refused(() => openRequest({ ...input, prefix: "datasets/x/" }, alice, cfg, T0, "id1234567"), "forbidden", /outside/);
    refused(() => openRequest({ ...input, actions: ["delete"] }, alice, testConfig({ actions: ["write"] }), T0, "id1234567"), "forbidden", /delete/);
    refused(() => openRequest({ ...input, minutes: 45 }, alice, testConfig({ maxWindowMinutes: 30 }), T0, "id1234567"), "bad-request", /maximum/);
    const prod = testConfig({}, "prod");
    refused(() => openRequest(input, alice, prod, T0, "id1234567"), "bad-request", /ticket is required/);
    refused(() => openRequest({ ...input, minutes: 10, ticket: "nope" }, alice, prod, T0, "id1234567"), "bad-request", /does not match/);
    assert.equal(openRequest({ ...input, minutes: 10, ticket: "OPS-42" }, alice, prod, T0, "id1234567").ticket, "OPS-42");
    refused(() => open(testConfig({ enabled: false })), "forbidden", /disabled/);
  });

  it("PENDING -> APPROVED with one approval in dev, window from approval", () => {
    const r = step(open(), { kind: "approve" }, bob, at(5));
    assert.equal(r.status, "APPROVED");
    assert.equal(r.windowEnd, at(35).toISOString());
    assert.equal(r.history.at(-1)?.to, "APPROVED");
  });

  it("needs two distinct approvers in prod; the same approver twice is refused", () => {
    const prod = testConfig({}, "prod");
    let r = openRequest({ ...input, ticket: "OPS-1" }, alice, prod, T0, "abcdef0123456789");
    r = step(r, { kind: "approve" }, bob, at(1), prod);
    assert.equal(r.status, "PENDING");
    assert.equal(r.approvals.length, 1);
    refused(() => decide(r, { kind: "approve" }, bob, prod, at(2)), "conflict", /already approved/);
    r = step(r, { kind: "approve" }, carol, at(2), prod);
    assert.equal(r.status, "APPROVED");
    assert.deepEqual(r.history.map((h) => h.to), ["PENDING", "PENDING", "APPROVED"]);
    refused(() => decide(r, { kind: "approve" }, bob, prod, at(3)), "conflict", /already approved/);
  });

  it("counts persons: an approver's second approval under another permission set is refused; history records person and principal", () => {
    const prod = testConfig({ approvers: [ssoArn("*", "MLTeam"), ssoArn("*", "MLAdmins")] }, "prod");
    let r = openRequest({ ...input, ticket: "OPS-1" }, alice, prod, T0, "abcdef0123456789");
    r = step(r, { kind: "approve" }, bob, at(1), prod);
    refused(() => decide(r, { kind: "approve" }, ssoCaller("bob", "MLAdmins"), prod, at(2)), "conflict", /already approved/);
    refused(() => decide(r, { kind: "approve" }, ssoCaller("alice", "MLAdmins"), prod, at(2)), "forbidden", /no self-approval/);
    const h = r.history.at(-1);
    assert.deepEqual([h?.by, h?.byPerson, h?.byArn, h?.byPrincipalId], ["bob", bob.person.key, bob.arn, bob.principalId]);
    assert.deepEqual([r.requesterPerson, r.requesterPrincipalId], [alice.person.key, alice.principalId]);
  });

  it("forbids self-approval and approval by non-approvers", () => {
    const bobs = openRequest(input, bob, cfg, T0, "abcdef0123456789");
    refused(() => decide(bobs, { kind: "approve" }, bob, cfg, at(1)), "forbidden", /no self-approval/);
    refused(() => decide(open(), { kind: "approve" }, mallory, cfg, at(1)), "forbidden", /not an approver/);
    refused(() => decide(open(), { kind: "approve" }, alice, cfg, at(1)), "forbidden", /no self-approval/);
  });

  it("lets break-glass requesters self-approve only with a reason, flagged", () => {
    const r = open(cfg, erin);
    refused(() => decide(r, { kind: "approve" }, erin, cfg, at(1)), "bad-request", /reason/);
    const ok = step(r, { kind: "approve", reason: "prod outage, approvers asleep" }, erin, at(1), testConfig({}, "dev"));
    assert.equal(ok.status, "APPROVED");
    assert.equal(ok.breakGlass, true);
    assert.equal(ok.history.at(-1)?.breakGlass, true);
  });

  it("APPROVED -> ACTIVE on claim by the requester only; re-claims stay ACTIVE", () => {
    let r = step(open(), { kind: "approve" }, bob, at(0));
    refused(() => decide(r, { kind: "claim" }, bob, cfg, at(1)), "forbidden", /not yours/);
    r = step(r, { kind: "claim" }, alice, at(1));
    assert.equal(r.status, "ACTIVE");
    assert.deepEqual(r.history.at(-1)?.session, { roleSessionName: "jit-abcdef0123456789", sourceIdentity: "alice", durationSeconds: 1740 });
    r = step(r, { kind: "claim" }, alice, at(20));
    assert.equal(r.claims, 2);
    assert.equal(r.history.at(-1)?.session?.durationSeconds, 900, "clamped to STS's floor");
  });

  it("refuses a claim before approval, after denial, after revocation and after the window", () => {
    refused(() => decide(open(), { kind: "claim" }, alice, cfg, at(1)), "conflict", /not approved yet \(0\/1/);
    const denied = step(open(), { kind: "deny", reason: "wrong prefix" }, bob);
    refused(() => decide(denied, { kind: "claim" }, alice, cfg, at(2)), "conflict", /DENIED/);
    const approved = step(open(), { kind: "approve" }, bob, at(0));
    const revoked = step(approved, { kind: "revoke", reason: "done early" }, alice, at(2));
    assert.equal(revoked.status, "REVOKED");
    assert.ok(revoked.ttl && revoked.endedAt);
    refused(() => decide(revoked, { kind: "claim" }, alice, cfg, at(3)), "conflict", /REVOKED/);
    refused(() => decide(approved, { kind: "claim" }, alice, cfg, at(30)), "expired", /window over/);
  });

  it("PENDING -> DENIED by an approver with a reason only", () => {
    refused(() => decide(open(), { kind: "deny", reason: " " }, bob, cfg, at(1)), "bad-request", /reason/);
    refused(() => decide(open(), { kind: "deny", reason: "no" }, mallory, cfg, at(1)), "forbidden", /not an approver/);
    const approved = step(open(), { kind: "approve" }, bob);
    refused(() => decide(approved, { kind: "deny", reason: "late" }, carol, cfg, at(2)), "conflict", /APPROVED/);
  });

  it("revokes from PENDING, APPROVED and ACTIVE by requester or approver, never twice or by others", () => {
    const p = open();
    assert.equal(step(p, { kind: "revoke" }, alice).status, "REVOKED");
    const a = step(p, { kind: "approve" }, bob, at(0));
    assert.equal(step(a, { kind: "revoke" }, carol).status, "REVOKED");
    const act = step(a, { kind: "claim" }, alice);
    const rv = step(act, { kind: "revoke" }, bob, at(2));
    assert.deepEqual([rv.history.at(-1)?.from, rv.status], ["ACTIVE", "REVOKED"]);
    refused(() => decide(act, { kind: "revoke" }, mallory, cfg, at(2)), "forbidden");
    refused(() => decide(rv, { kind: "revoke" }, bob, cfg, at(3)), "conflict", /REVOKED/);
  });

  it("PENDING -> EXPIRED after the deadline; approval after expiry is refused", () => {
    const r = open();
    const late = at(24 * 60 + 1);
    assert.equal(overdue(r, late), "expire");
    refused(() => decide(r, { kind: "approve" }, bob, cfg, late), "expired", /not approved within/);
    const e = step(r, { kind: "expire" }, SYSTEM, late);
    assert.equal(e.status, "EXPIRED");
    refused(() => decide(e, { kind: "approve" }, bob, cfg, late), "expired", /expired/);
    refused(() => decide(r, { kind: "expire" }, SYSTEM, cfg, at(1)), "conflict");
  });

  it("APPROVED/ACTIVE -> ENDED at the window's end, not before", () => {
    const a = step(open(), { kind: "approve" }, bob, at(0));
    refused(() => decide(a, { kind: "end" }, SYSTEM, cfg, at(29)), "conflict");
    assert.equal(step(a, { kind: "end" }, SYSTEM, at(30)).status, "ENDED");
    const act = step(a, { kind: "claim" }, alice, at(1));
    const ended = step(act, { kind: "end" }, SYSTEM, at(31));
    assert.deepEqual([ended.history.at(-1)?.from, ended.status, ended.history.at(-1)?.by], ["ACTIVE", "ENDED", "broker"]);
    refused(() => decide(ended, { kind: "revoke" }, alice, cfg, at(32)), "expired", /ended/);
  });

  it("history is append-only: every transition keeps earlier entries untouched", () => {
    const r0 = open();
    const r1 = step(r0, { kind: "approve" }, bob, at(0));
    const r2 = step(r1, { kind: "claim" }, alice, at(1));
    assert.deepEqual(r2.history.slice(0, r1.history.length), r1.history);
    assert.deepEqual(r1.history.slice(0, r0.history.length), r0.history);
    assert.deepEqual([r0.version, r1.version, r2.version], [1, 2, 3]);
  });
});

describe("jit config", () => {
  it("defaults differ by environment and the broker is off unless enabled", () => {
    const dev = resolveJitConfig(undefined, "dev");
    assert.equal(dev.enabled, false);
    assert.equal(dev.approvalsRequired, 1);
    assert.equal(resolveJitConfig({}, "prod").approvalsRequired, 2);
  });
  it("rejects unknown keys, windows over 60 minutes, wildcard prefixes and too few approvers, naming the key", () => {
    assert.throws(() => resolveJitConfig({ approverz: [] }, "dev"), (e: Error) => e instanceof JitConfigError && /approverz/.test(e.message));
    assert.throws(() => resolveJitConfig({ maxWindowMinutes: 90 }, "dev"), /jit\.maxWindowMinutes/);
    assert.throws(() => resolveJitConfig({ prefixes: ["models/*"] }, "dev"), /jit\.prefixes\[0\]/);
    assert.throws(() => resolveJitConfig({ prefixes: ["models/../x/"] }, "dev"), /jit\.prefixes\[0\]/);
    assert.throws(() => resolveJitConfig({ enabled: true, requesters: [ssoArn("a1")], approvers: [ssoArn("b1")] }, "prod"), /2 distinct persons/);
    assert.throws(() => resolveJitConfig({ approvalsRequired: 1 }, "prod"), /prod requires/);
    assert.throws(() => resolveJitConfig({ ticketPattern: "([" }, "dev"), /regular expression/);
  });
});
