// The broker's operations, independent of transport: the Lambda function URL, the sandbox HTTP
// server and the tests all call these. Each mutation is read -> decide (pure) -> one conditional
// write; losing the condition means someone else changed the request, so decide again on fresh data.
import type { JitConfig } from "../config/jit";
import { JitError } from "./errors";
import { matches } from "./principals";
import { applyTransition, decide, openRequest, overdue, SYSTEM, type Command, type Transition } from "./state-machine";
import type { RequestStore } from "./store";
import { assumeRoleParams, REQUEST_TAG, roleSessionName, type AssumeRoleParams } from "./sts-params";
import type { BrokerTarget, CredentialIssuer, IssuedCredentials, Notifier, RevocationSink, WindowScheduler } from "./ports";
import { fallbackDeny, revocationDeny, RevocationTooLarge, type RevocationDeny, type RevokedRecord } from "./revocation";
import type { PolicyDocument } from "../iam/types";
import type { Caller, HistoryEntry, JitRequest, Status } from "./types";
import type { NewRequest } from "./validate";
import { applyClaim, Backoff, claimKeysOf, newIdempotencyKey, RETRY, type ClaimCommit, type RetryPolicy } from "./claims";
import { randomBytes } from "crypto";

export interface BrokerDeps {
  config: JitConfig;
  store: RequestStore;
  target: BrokerTarget;
  issuer: CredentialIssuer;
  notifier: Notifier;
  scheduler: WindowScheduler;
  /**
   * Called after a revocation commits (and again when a revoke is retried). Lambda: nothing (the
   * table stream triggers the revoker); sandbox and tests: syncRevocations. A failure here is a
   * retryable 503: the request stays REVOKED and a retried revoke re-runs it.
   */
  onRevoked?: (revoked: JitRequest) => Promise<void>;
  /** Bound on retries of a conditional write that keeps losing (default RETRY). */
  retry?: RetryPolicy;
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

/** How many requests `list` returns to a person. */
const LIST_LIMIT = 50;


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
    const rs = await this.d.store.list({ status: filter.status, requester: filter.mine ? caller.person.name : undefined, limit: LIST_LIMIT });
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

  /**
   * Either the request ends REVOKED and the deny covers it, or the caller gets a retryable 503.
   * A revoke of an already REVOKED request (a retry after a 503, or a lost response) re-runs the
   * deny sync and succeeds instead of a 409, so retries converge.
   */
  async revoke(caller: Caller, id: string, reason?: string): Promise<JitRequest> {
    let after: JitRequest;
    let retried = false;
    try {
      after = await this.mutate(id, { kind: "revoke", reason }, caller);
    } catch (e) {
      const current = e instanceof JitError && e.code === "conflict" ? await this.load(id) : undefined;
      if (current?.status !== "REVOKED") throw e;
      // decide(revoke) refuses a caller who may not revoke (403) before it refuses a terminal
      // request (409), so this conflict means the caller may revoke it.
      after = current;
      retried = true;
    }
    if (retried && !this.d.onRevoked) {
      // Lambda: the deny is the revoker's job, triggered by the stream. An unchanged item yields
      // no stream record, so touch it: a retried revoke re-triggers the revoker even if the first
      // trigger's retries ran out.
      try {
        await this.d.store.requestDenySync(id, this.clock().toISOString());
      } catch (e) {
        throw this.unavailable(`re-triggering the deny of ${id}`, e);
      }
    }
    if (this.d.onRevoked) {
      try {
        await this.d.onRevoked(after);
      } catch (e) {
        this.log(`jit: the deny for ${id} could not be written: ${(e as Error)?.stack ?? String(e)}`);
        throw new JitError("unavailable", `request ${id} is REVOKED but its deny could not be written yet; run revoke again`);
      }
    }
    if (!retried)
      await this.notify({ audience: "everyone", subject: `JIT request ${id} revoked`, message: `${caller.person.name} revoked request ${id}${reason ? `: ${reason}` : ""}`, requestId: id, breakGlass: false });
    return after;
  }

  /**
   * Credentials first, record second: STS is called before anything is written, then the claim
   * is committed with one conditional write (status still APPROVED/ACTIVE as read, same window,
   * key not yet recorded). A client that never gets credentials therefore never shows a claim.
   *
   * Why a revoke racing this is safe: both writes are conditional on the item's status, so
   * DynamoDB orders them. If the revoke commits first, the claim's condition fails, the
   * credentials issued here are dropped inside this function and never returned (and the deny,
   * keyed on this request's session tag or on sessions issued before the revocation, covers them
   * anyway). If the claim commits first, the revoke is ordered after it and its deny covers the
   * session issued here. A replay of an already recorded key re-issues and then re-reads the
   * request (consistent read) before returning, so a revoke that committed meanwhile also wins.
   *
   * Claims do not bump `version`, so concurrent claims do not serialize on it; only the one
   * APPROVED -> ACTIVE step can lose to another claim, and then it retries once as ACTIVE.
   */
  async claim(caller: Caller, id: string, opts: { idempotencyKey?: string } = {}): Promise<ClaimResult> {
    const key = opts.idempotencyKey ?? newIdempotencyKey();
    let req = await this.current(id);
    const issuedAt = this.clock();
    const decided = decide(req, { kind: "claim" }, caller, this.d.config, issuedAt);
    const assumeRole = assumeRoleParams(req, this.d.target, issuedAt);
    let credentials: IssuedCredentials | null;
    try {
      credentials = await this.d.issuer.issue(assumeRole);
    } catch (e) {
      throw this.unavailable(`issuing credentials for ${id} (nothing was recorded)`, e);
    }
    const result = (request: JitRequest): ClaimResult => (credentials ? { request, assumeRole, credentials } : { request, assumeRole });
    const backoff = new Backoff(`claim of ${id}`, this.d.retry ?? RETRY);
    let confirmed = false; // read after the credentials were issued
    for (;;) {
      if (claimKeysOf(req).includes(key)) {
        if (confirmed) return result(req);
      } else {
        // Read APPROVED: most likely a concurrent first claim made it ACTIVE, so try that next
        // before re-reading. Either condition keeps the history's `from` exact.
        for (const from of req.status === "APPROVED" ? (["APPROVED", "ACTIVE"] as const) : [req.status]) {
          const commit: ClaimCommit = {
            id,
            from,
            windowEnd: req.windowEnd as string,
            now: this.clock().toISOString(),
            key,
            entry: { ...decided.entry, from, idempotencyKey: key },
          };
          let ok: boolean;
          try {
            ok = await this.d.store.commitClaim(commit);
          } catch (e) {
            // Possibly committed: a retry with the same key finds it and records nothing more.
            throw this.unavailable(`recording the claim of ${id}`, e);
          }
          if (ok) return result(applyClaim({ ...req, status: from }, commit));
        }
        await backoff.next();
      }
      req = await this.load(id);
      confirmed = true;
      // Revoked, ended or no longer ours: refused, and the credentials above go nowhere.
      decide(req, { kind: "claim" }, caller, this.d.config, this.clock());
    }
  }

  async audit(caller: Caller, id: string): Promise<AuditView> {
    const r = await this.get(caller, id);
    const roleName = this.d.target.elevatedRoleArn.split("/").pop() ?? "";
    const [, partition = "aws", , , account = ""] = this.d.target.elevatedRoleArn.split(":");
    const session = roleSessionName(r.id);
    return {
      id: r.id,
      status: r.status,
      requester: r.requester,
      breakGlass: r.breakGlass,
      cloudTrail: {
        assumedRoleArn: `arn:${partition}:sts::${account}:assumed-role/${roleName}/${session}`,
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
    const req = await this.d.store.get(id);
    return req ? this.settle(req) : undefined;
  }

  /** Rebuilds the elevated role's deny from the store; idempotent, so concurrent runs converge. */
  async syncRevocations(sink: RevocationSink, known: readonly RevokedRecord[] = []): Promise<PolicyDocument | null> {
    return (await this.applyRevocations(sink, known)).doc;
  }

  /**
   * Reads every REVOKED request (all pages), adds `known` ones (a stream record's image, the
   * request just revoked: the status index is eventually consistent and may not show it yet,
   * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GSI.html#GSI.Reads), and
   * writes the deny. If IAM refuses the id list for its size, writes the issued-before fallback:
   * the deny only ever widens. Any other failure propagates, so the caller retries.
   */
  async applyRevocations(sink: RevocationSink, known: readonly RevokedRecord[] = []): Promise<RevocationDeny> {
    const byId = new Map<string, RevokedRecord>((await this.d.store.list({ status: "REVOKED" })).map((r) => [r.id, r]));
    for (const r of known) if (r.status === "REVOKED") byId.set(r.id, r);
    const revoked = [...byId.values()];
    const now = this.clock();
    const deny = revocationDeny(revoked, now);
    try {
      await sink.apply(deny.doc);
      return deny;
    } catch (e) {
      if (!(e instanceof RevocationTooLarge) || deny.mode !== "ids") throw e;
      this.log("jit: the revocation list does not fit the elevated role's inline policies; denying every session issued before the latest revocation");
      const wide = fallbackDeny(revoked, now);
      await sink.apply(wide.doc);
      return wide;
    }
  }

  private async load(id: string): Promise<JitRequest> {
    let r: JitRequest | undefined;
    try {
      r = await this.d.store.get(id);
    } catch (e) {
      throw this.unavailable(`reading request ${id}`, e);
    }
    if (!r) throw new JitError("not-found", `no request ${id}`);
    return r;
  }

  /** The request with any overdue expiry/end recorded first (so the history says why). */
  private async current(id: string): Promise<JitRequest> {
    return this.settle(await this.load(id));
  }

  private async settle(req: JitRequest): Promise<JitRequest> {
    const backoff = new Backoff(`request ${req.id}`, this.d.retry ?? RETRY);
    for (;;) {
      const now = this.clock();
      const due = overdue(req, now);
      if (!due) return req;
      const t = decide(req, { kind: due }, SYSTEM, this.d.config, now);
      if (await this.write(req, t)) return applyTransition(req, t);
      await backoff.next();
      req = await this.load(req.id);
    }
  }

  private async mutate(id: string, cmd: Command, caller: Caller): Promise<JitRequest> {
    const backoff = new Backoff(`request ${id}`, this.d.retry ?? RETRY);
    for (;;) {
      const req = await this.current(id);
      const t = decide(req, cmd, caller, this.d.config, this.clock());
      if (await this.write(req, t)) return applyTransition(req, t);
      await backoff.next();
    }
  }

  /** One conditional transition; a store failure is a retryable 503 (a retry re-decides on fresh data). */
  private async write(req: JitRequest, t: Transition): Promise<boolean> {
    try {
      return await this.d.store.transition(req, t);
    } catch (e) {
      throw this.unavailable(`writing request ${req.id}`, e);
    }
  }

  /**
   * A store or AWS call that failed without a decision: retryable, and every retry converges. The
   * caller learns which step failed; the AWS message (ARNs, account details) goes to the log only.
   */
  private unavailable(what: string, e: unknown): JitError {
    if (e instanceof JitError) return e;
    this.log(`jit: ${what} failed: ${(e as Error)?.stack ?? String(e)}`);
    return new JitError("unavailable", `${what} failed (${(e as Error)?.name ?? "error"}); try again`);
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
