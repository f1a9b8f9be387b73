// The workflow, PENDING -> APPROVED -> ACTIVE -> ENDED with DENIED, EXPIRED and REVOKED, as pure
// functions: given a request, a command, who issues it, the config and the time, either a
// Transition (what to write, conditional on the request's version) or a JitError saying why not.
// No AWS import: the store applies transitions with one conditional write each.
import type { JitConfig } from "../config/jit";
import type { Caller, EventKind, HistoryEntry, JitRequest, Status } from "./types";
import { TERMINAL } from "./types";
import { JitError } from "./errors";
import { matches } from "./principals";
import { roleSessionName, sessionDurationSeconds } from "./sts-params";
import type { NewRequest } from "./validate";

export type Command =
  | { kind: "approve"; reason?: string }
  | { kind: "deny"; reason: string }
  | { kind: "revoke"; reason?: string }
  | { kind: "claim" }
  | { kind: "expire" }
  | { kind: "end" };

/** The broker itself, for time-driven transitions. */
export const SYSTEM: Caller = { arn: "system", principalId: "system", person: { key: "system:broker", name: "broker", kind: "system" } };

/** Fields a transition sets; history gets `entry` appended, version is bumped. */
export type Patch = Partial<Pick<JitRequest, "approvals" | "approvedAt" | "windowEnd" | "claims" | "endedAt" | "ttl" | "breakGlass">>;

export interface Transition {
  from: Status;
  to: Status;
  patch: Patch;
  entry: HistoryEntry;
}

const MINUTE = 60_000;

function actorFields(c: Caller): Pick<HistoryEntry, "by" | "byPerson" | "byArn" | "byPrincipalId"> {
  return { by: c.person.name, byPerson: c.person.key, byArn: c.arn, byPrincipalId: c.principalId };
}

/**
 * Acting as the requester (claim, withdraw) takes the requester's person AND the very principal
 * that requested (a person's other roles or permission sets do not qualify), and the caller must
 * still be a requester under the config in force now. Why not, when not; undefined when yes.
 */
function notTheRequester(req: JitRequest, actor: Caller, cfg: JitConfig): string | undefined {
  if (actor.person.key !== req.requesterPerson) return `request ${req.id} is not yours`;
  if (actor.principalId !== req.requesterPrincipalId || actor.arn !== req.requesterArn)
    return `request ${req.id} was made by another principal of yours (${req.requesterArn}); use that principal`;
  if (!matches(cfg.requesters, actor)) return `${actor.person.name} (${actor.arn}) is no longer a requester (jit.requesters)`;
  return undefined;
}

export function openRequest(input: NewRequest, caller: Caller, cfg: JitConfig, now: Date, id: string): JitRequest {
  if (!cfg.enabled) throw new JitError("forbidden", "the broker is disabled in this stack's config");
  if (!matches(cfg.requesters, caller)) throw new JitError("forbidden", `${caller.person.name} (${caller.arn}) may not request elevated access`);
  if (!cfg.prefixes.some((p) => input.prefix.startsWith(p)))
    throw new JitError("forbidden", `prefix ${input.prefix} is outside the allowed prefixes (${cfg.prefixes.join(", ")})`);
  const denied = input.actions.filter((a) => !cfg.actions.includes(a));
  if (denied.length) throw new JitError("forbidden", `action(s) ${denied.join(", ")} not allowed (allowed: ${cfg.actions.join(", ")})`);
  if (input.minutes > cfg.maxWindowMinutes)
    throw new JitError("bad-request", `--minutes ${input.minutes} is over the maximum window of ${cfg.maxWindowMinutes}`);
  if (cfg.ticketPattern !== null) {
    if (!input.ticket) throw new JitError("bad-request", `a ticket is required (pattern ${cfg.ticketPattern})`);
    if (!new RegExp(cfg.ticketPattern).test(input.ticket))
      throw new JitError("bad-request", `ticket ${input.ticket} does not match ${cfg.ticketPattern}`);
  }
  const at = now.toISOString();
  return {
    id,
    status: "PENDING",
    requester: caller.person.name,
    requesterPerson: caller.person.key,
    requesterArn: caller.arn,
    requesterPrincipalId: caller.principalId,
    prefix: input.prefix,
    actions: [...new Set(input.actions)].sort(),
    minutes: input.minutes,
    reason: input.reason,
    ...(input.ticket ? { ticket: input.ticket } : {}),
    createdAt: at,
    pendingDeadline: new Date(now.getTime() + cfg.maxPendingMinutes * MINUTE).toISOString(),
    approvalsRequired: cfg.approvalsRequired,
    approvals: [],
    breakGlass: false,
    claims: 0,
    version: 1,
    history: [{ at, event: "request", ...actorFields(caller), from: null, to: "PENDING", reason: input.reason }],
  };
}

/** The time-driven transition now due, if any: a PENDING request past its deadline, or a window over. */
export function overdue(req: JitRequest, now: Date): "expire" | "end" | null {
  if (req.status === "PENDING" && now.getTime() >= Date.parse(req.pendingDeadline)) return "expire";
  if ((req.status === "APPROVED" || req.status === "ACTIVE") && req.windowEnd && now.getTime() >= Date.parse(req.windowEnd))
    return "end";
  return null;
}

function stateError(req: JitRequest, wanted: string): JitError {
  if (req.status === "EXPIRED") return new JitError("expired", `request ${req.id} expired: not approved before ${req.pendingDeadline}`);
  if (req.status === "ENDED") return new JitError("expired", `request ${req.id} ended: its window closed at ${req.windowEnd}`);
  return new JitError("conflict", `request ${req.id} is ${req.status}; ${wanted}`);
}

export function decide(req: JitRequest, cmd: Command, actor: Caller, cfg: JitConfig, now: Date): Transition {
  const at = now.toISOString();
  const due = overdue(req, now);
  const entry = (event: EventKind, to: Status, extra: Partial<HistoryEntry> = {}): HistoryEntry => ({
    at,
    event,
    ...actorFields(actor),
    from: req.status,
    to,
    ...extra,
  });
  const terminal = (): Patch => ({ endedAt: at, ttl: Math.floor(now.getTime() / 1000) + cfg.historyRetentionDays * 86_400 });

  // Commands from people never act on a request whose time has run out: the caller first
  // records the expiry/end (see handlers), then the command is refused.
  if (due && cmd.kind !== "expire" && cmd.kind !== "end") {
    throw due === "expire"
      ? new JitError("expired", `request ${req.id} expired: not approved within ${cfg.maxPendingMinutes} minutes`)
      : new JitError("expired", `request ${req.id}: window over at ${req.windowEnd}`);
  }

  switch (cmd.kind) {
    case "approve": {
      if (req.status === "APPROVED" || req.status === "ACTIVE") throw new JitError("conflict", `request ${req.id} is already approved`);
      if (req.status !== "PENDING") throw stateError(req, "only a PENDING request can be approved");
      // Persons, not names: the same person under another role or permission set is still self.
      const self = actor.person.key === req.requesterPerson;
      let breakGlass = false;
      if (self) {
        if (!matches(cfg.breakGlass, actor)) throw new JitError("forbidden", "no self-approval: another approver must approve");
        if (!cmd.reason?.trim()) throw new JitError("bad-request", "break-glass self-approval needs a reason");
        breakGlass = true;
      } else if (!matches(cfg.approvers, actor)) {
        throw new JitError("forbidden", `${actor.person.name} (${actor.arn}) is not an approver`);
      }
      if (req.approvals.some((a) => a.byPerson === actor.person.key))
        throw new JitError("conflict", `${actor.person.name} (${actor.person.key}) already approved request ${req.id}`);
      const approvals = [...req.approvals, { ...actorFields(actor), at, breakGlass }];
      // Break-glass stands in for every approval: it exists for when approvers are unreachable,
      // and is paid for with a notification to all approvers and a flag in the audit.
      const done = breakGlass || approvals.length >= req.approvalsRequired;
      if (!done) return { from: "PENDING", to: "PENDING", patch: { approvals }, entry: entry("approve", "PENDING", { reason: cmd.reason }) };
      const windowEnd = new Date(now.getTime() + req.minutes * MINUTE).toISOString();
      return {
        from: "PENDING",
        to: "APPROVED",
        patch: { approvals, approvedAt: at, windowEnd, ...(breakGlass ? { breakGlass: true } : {}) },
        entry: entry("approve", "APPROVED", { ...(cmd.reason ? { reason: cmd.reason } : {}), ...(breakGlass ? { breakGlass: true } : {}) }),
      };
    }
    case "deny": {
      if (!cmd.reason.trim()) throw new JitError("bad-request", "a denial needs a reason");
      if (!matches(cfg.approvers, actor)) throw new JitError("forbidden", `${actor.person.name} (${actor.arn}) is not an approver`);
      if (actor.person.key === req.requesterPerson) throw new JitError("forbidden", "requesters withdraw their own requests with revoke, not deny");
      if (req.status !== "PENDING") throw stateError(req, "only a PENDING request can be denied");
      return { from: "PENDING", to: "DENIED", patch: terminal(), entry: entry("deny", "DENIED", { reason: cmd.reason }) };
    }
    case "revoke": {
      const mayRevoke = notTheRequester(req, actor, cfg) === undefined || matches(cfg.approvers, actor) || matches(cfg.breakGlass, actor);
      if (!mayRevoke) throw new JitError("forbidden", `only the requester or an approver may revoke request ${req.id}`);
      if (TERMINAL.has(req.status)) throw stateError(req, "it cannot be revoked");
      return {
        from: req.status,
        to: "REVOKED",
        patch: terminal(),
        entry: entry("revoke", "REVOKED", cmd.reason ? { reason: cmd.reason } : {}),
      };
    }
    case "claim": {
      const why = notTheRequester(req, actor, cfg);
      if (why) throw new JitError("forbidden", why);
      if (req.status === "PENDING")
        throw new JitError("conflict", `request ${req.id} is not approved yet (${req.approvals.length}/${req.approvalsRequired} approvals)`);
      if (req.status !== "APPROVED" && req.status !== "ACTIVE") throw stateError(req, "no credentials can be issued");
      const windowEnd = req.windowEnd as string;
      return {
        from: req.status,
        to: "ACTIVE",
        patch: { claims: req.claims + 1 },
        entry: entry("claim", "ACTIVE", {
          session: { roleSessionName: roleSessionName(req.id), sourceIdentity: req.requester, durationSeconds: sessionDurationSeconds(windowEnd, now) },
        }),
      };
    }
    case "expire":
      if (due !== "expire") throw new JitError("conflict", `request ${req.id} is not an overdue PENDING request`);
      return { from: "PENDING", to: "EXPIRED", patch: terminal(), entry: entry("expire", "EXPIRED") };
    case "end":
      if (due !== "end") throw new JitError("conflict", `request ${req.id} has no window that is over`);
      return { from: req.status, to: "ENDED", patch: terminal(), entry: entry("end", "ENDED") };
  }
}

/** The request after a transition: what the store's conditional write produces. */
export function applyTransition(req: JitRequest, t: Transition): JitRequest {
  return { ...req, ...t.patch, status: t.to, version: req.version + 1, history: [...req.history, t.entry] };
}
