// The broker's operations, independent of transport: the Lambda function URL, the sandbox HTTP
// server and the tests all call these. Each mutation is read -> decide (pure) -> one conditional
// write; losing the condition means someone else changed the request, so decide again on fresh data.
import type { JitConfig } from "../config/jit";
import { JitError } from "./errors";
import { matches } from "./principals";
import { applyTransition, decide, openRequest, overdue, SYSTEM, type Command } from "./state-machine";
import type { RequestStore } from "./store";
import { assumeRoleParams, REQUEST_TAG, roleSessionName, type AssumeRoleParams } from "./sts-params";
import type { BrokerTarget, CredentialIssuer, IssuedCredentials, Notifier, RevocationSink, WindowScheduler } from "./ports";
import { idsToDeny, revocationPolicy } from "./revocation";
import type { PolicyDocument } from "../iam/types";
import type { Caller, HistoryEntry, JitRequest, Status } from "./types";
import type { NewRequest } from "./validate";
import { randomBytes } from "crypto";

export interface BrokerDeps {
  config: JitConfig;
  store: RequestStore;
  target: BrokerTarget;
  issuer: CredentialIssuer;
  notifier: Notifier;
  scheduler: WindowScheduler;
  /** Called after a revocation commits. Lambda: nothing (the table stream triggers the revoker); sandbox: syncRevocations. */
  onRevoked?: () => Promise<void>;
  clock?: () => Date;
  newId?: () => string;
  log?: (msg: string) => void;
}

export interface ClaimResult {
  request: JitRequest;
  assumeRole: AssumeRoleParams;
  /** Absent in the sandbox. */
  credentials?: IssuedCredentials;
}

export interface AuditView {
  id: string;
  status: Status;
  requester: string;
  breakGlass: boolean;
  /** What CloudTrail records for every call made with this request's credentials. */
  cloudTrail: {
    assumedRoleArn: string;
    sourceIdentity: string;
    roleSessionName: string;
    sessionTag: { key: string; value: string };
    lookup: string;
  };
  history: HistoryEntry[];
}

const MAX_ATTEMPTS = 100;

export class Broker {
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly log: (msg: string) => void;
  constructor(private readonly d: BrokerDeps) {
    this.clock = d.clock ?? (() => new Date());
    this.newId = d.newId ?? (() => randomBytes(8).toString("hex"));
    this.log = d.log ?? ((m) => console.error(m));
  }

  get config(): JitConfig {
    return this.d.config;
  }

  /** Reading requests is for the people the config names, nobody else. */
  private assertKnown(caller: Caller): void {
    const c = this.d.config;
    if (!matches(c.requesters, caller) && !matches(c.approvers, caller) && !matches(c.breakGlass, caller))
      throw new JitError("forbidden", `${caller.person.name} (${caller.arn}) is not a requester or approver of this broker`);
  }

  async request(caller: Caller, input: NewRequest): Promise<JitRequest> {
    const req = openRequest(input, caller, this.d.config, this.clock(), this.newId());
    await this.d.store.create(req);
    await this.notify({
      audience: "approvers",
      subject: `JIT request ${req.id} by ${req.requester}`,
      message: `${req.requester} asks for ${req.actions.join("+")} on ${req.prefix} for ${req.minutes} min: ${req.reason}${req.ticket ? ` (${req.ticket})` : ""}. Approve: jit approve ${req.id}`,
      requestId: req.id,
      breakGlass: false,
    });
    return req;
  }

  async get(caller: Caller, id: string): Promise<JitRequest> {
    this.assertKnown(caller);
    return this.load(id);
  }

  async list(caller: Caller, filter: { status?: Status; mine?: boolean }): Promise<JitRequest[]> {
    this.assertKnown(caller);
    const rs = await this.d.store.list({ status: filter.status, requester: filter.mine ? caller.person.name : undefined });
    // The index is keyed by name; "mine" means this person (another person may share the name).
    return filter.mine ? rs.filter((r) => r.requesterPerson === caller.person.key) : rs;
  }

  async approve(caller: Caller, id: string, reason?: string): Promise<JitRequest> {
    const after = await this.mutate(id, { kind: "approve", reason }, caller);
    if (after.status === "APPROVED") {
      await this.schedule(after);
      const bg = after.breakGlass;
      await this.notify({
        audience: bg ? "approvers" : "everyone",
        subject: `${bg ? "BREAK-GLASS " : ""}JIT request ${id} approved`,
        message: `${bg ? `BREAK-GLASS self-approval by ${caller.person.name}: ${reason}. ` : ""}${after.requester} may write ${after.prefix} until ${after.windowEnd}. Approvals: ${after.approvals.map((a) => a.by).join(", ")}`,
        requestId: id,
        breakGlass: bg,
      });
    }
    return after;
  }

  async deny(caller: Caller, id: string, reason: string): Promise<JitRequest> {
    const after = await this.mutate(id, { kind: "deny", reason }, caller);
    await this.notify({ audience: "everyone", subject: `JIT request ${id} denied`, message: `${caller.person.name} denied request ${id}: ${reason}`, requestId: id, breakGlass: false });
    return after;
  }

  async revoke(caller: Caller, id: string, reason?: string): Promise<JitRequest> {
    const after = await this.mutate(id, { kind: "revoke", reason }, caller);
    if (this.d.onRevoked) await this.d.onRevoked();
    await this.notify({ audience: "everyone", subject: `JIT request ${id} revoked`, message: `${caller.person.name} revoked request ${id}${reason ? `: ${reason}` : ""}`, requestId: id, breakGlass: false });
    return after;
  }

  /**
   * The write comes first: once it commits, a concurrent revoke is ordered after this claim and
   * its deny (keyed on the session tag) covers the session issued here.
   */
  async claim(caller: Caller, id: string): Promise<ClaimResult> {
    const after = await this.mutate(id, { kind: "claim" }, caller);
    const params = assumeRoleParams(after, this.d.target, this.clock());
    const credentials = await this.d.issuer.issue(params);
    return credentials ? { request: after, assumeRole: params, credentials } : { request: after, assumeRole: params };
  }

  async audit(caller: Caller, id: string): Promise<AuditView> {
    const r = await this.get(caller, id);
    const roleName = this.d.target.elevatedRoleArn.split("/").pop() ?? "";
    const account = this.d.target.elevatedRoleArn.split(":")[4] ?? "";
    const session = roleSessionName(r.id);
    return {
      id: r.id,
      status: r.status,
      requester: r.requester,
      breakGlass: r.breakGlass,
      cloudTrail: {
        assumedRoleArn: `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`,
        sourceIdentity: r.requester,
        roleSessionName: session,
        sessionTag: { key: REQUEST_TAG, value: r.id },
        lookup: `aws cloudtrail lookup-events --lookup-attributes AttributeKey=Username,AttributeValue=${session}`,
      },
      history: r.history,
    };
  }

  /** Scheduler target: ends (or expires) a request whose time is up; a no-op otherwise. */
  async closeIfDue(id: string): Promise<JitRequest | undefined> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const req = await this.d.store.get(id);
      if (!req) return undefined;
      const now = this.clock();
      const due = overdue(req, now);
      if (!due) return req;
      const t = decide(req, { kind: due }, SYSTEM, this.d.config, now);
      if (await this.d.store.transition(req, t)) return applyTransition(req, t);
    }
    throw new JitError("conflict", `request ${id}: too much contention, try again`);
  }

  /** Rebuilds the elevated role's deny from the store; idempotent, so concurrent runs converge. */
  async syncRevocations(sink: RevocationSink): Promise<PolicyDocument | null> {
    const revoked = await this.d.store.list({ status: "REVOKED", limit: 10_000 });
    const doc = revocationPolicy(idsToDeny(revoked, this.clock()));
    await sink.apply(doc);
    return doc;
  }

  private async load(id: string): Promise<JitRequest> {
    const r = await this.d.store.get(id);
    if (!r) throw new JitError("not-found", `no request ${id}`);
    return r;
  }

  private async mutate(id: string, cmd: Command, caller: Caller): Promise<JitRequest> {
    for (let i = 0; i < MAX_ATTEMPTS; i++) {
      const req = await this.load(id);
      const now = this.clock();
      const due = overdue(req, now);
      // Record the expiry/end first (so the history says why), then refuse on the next pass.
      const t = due ? decide(req, { kind: due }, SYSTEM, this.d.config, now) : decide(req, cmd, caller, this.d.config, now);
      if (await this.d.store.transition(req, t)) {
        if (!due) return applyTransition(req, t);
      }
    }
    throw new JitError("conflict", `request ${id}: too much contention, try again`);
  }

  private async schedule(req: JitRequest): Promise<void> {
    try {
      await this.d.scheduler.scheduleEnd(req);
    } catch (e) {
      // The session policy ends access on time regardless; the schedule only tidies the status.
      this.log(`jit: could not schedule the end of ${req.id}: ${(e as Error).message}`);
    }
  }

  private async notify(n: Parameters<Notifier["notify"]>[0]): Promise<void> {
    try {
      await this.d.notifier.notify(n);
    } catch (e) {
      this.log(`jit: notification for ${n.requestId} failed: ${(e as Error).message}`);
    }
  }
}
