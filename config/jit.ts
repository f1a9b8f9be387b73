// The `jit` section of a stack's config: who may ask for elevated access, who approves, and the
// limits of what may be granted. Pure (zod only) so the broker, the component and the plan share it.
import { z } from "zod";
import { classifyEntry, PERSON_ENTRY_PREFIX, PERSON_NAME, personPrincipalProblem, samePrincipal } from "../jit/principals";

export type JitEnvironment = "dev" | "prod";

/** Role chaining caps an STS session at one hour, so no window may be longer. */
export const MAX_WINDOW_MINUTES = 60;
/** Keeps the session policy under STS's 2,048-character limit (see jit/session-policy.ts). */
export const MAX_PREFIX_LENGTH = 200;

export const JIT_ACTIONS = ["write", "delete"] as const;
export type JitAction = (typeof JIT_ACTIONS)[number];

// A principal entry (jit/README.md "Identity model"): an ARN glob matched against the
// SigV4-authenticated caller ARN (Identity Center role sessions, IAM users), `person:NAME` for a
// person of `jit.people`, or, refused in prod and warned in dev because the caller picks it, a
// bare name, "*", or a session pattern of an ordinary role (jit/principals.ts classifyEntry).
const principal = z
  .string()
  .min(1)
  .refine((s) => s === "*" || s.startsWith("arn:") || s.startsWith(PERSON_ENTRY_PREFIX) || PERSON_NAME.test(s), {
    message: "expected an ARN pattern (arn:...), person:NAME, \"*\" or a name of 2-64 characters [A-Za-z0-9_+=,.@-]",
  });

// One person and the principals only they can use: IAM users, or roles whose trust admits that
// person alone. Every session of a mapped role is that person, whatever its session name.
const person = z.strictObject({
  name: z.string().regex(PERSON_NAME, "expected 2-64 characters [A-Za-z0-9_+=,.@-] (it becomes the STS source identity)"),
  principals: z.array(z.string()).min(1, "expected at least one IAM role or user ARN"),
});
export type JitPersonConfig = z.infer<typeof person>;

const prefix = z
  .string()
  .min(1)
  .max(MAX_PREFIX_LENGTH)
  .refine((p) => /^[A-Za-z0-9][A-Za-z0-9._\-/]*\/$/.test(p) && !p.split("/").includes(".."), {
    message: "expected an S3 key prefix ending in '/', without wildcards, '..' or a leading '/'",
  });

/** Raw section as written in Pulumi.<stack>.yaml. Every key is optional; defaults come from resolveJitConfig. */
export const jitConfigSchema = z.strictObject({
  enabled: z.boolean().optional(),
  people: z.array(person).optional(),
  requesters: z.array(principal).optional(),
  approvers: z.array(principal).optional(),
  approvalsRequired: z.number().int().min(1).max(5).optional(),
  maxWindowMinutes: z.number().int().min(15).max(MAX_WINDOW_MINUTES).optional(),
  maxPendingMinutes: z.number().int().min(5).max(7 * 24 * 60).optional(),
  prefixes: z.array(prefix).min(1).optional(),
  actions: z.array(z.enum(JIT_ACTIONS)).min(1).optional(),
  ticketPattern: z
    .string()
    .refine(
      (s) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      },
      { message: "expected a valid regular expression" },
    )
    .optional(),
  breakGlass: z.array(principal).optional(),
  historyRetentionDays: z.number().int().min(30).max(3650).optional(),
});

export type JitConfigInput = z.infer<typeof jitConfigSchema>;

/** The resolved section: every key present. */
export interface JitConfig {
  enabled: boolean;
  /** Mapped persons (`jit.people`). */
  people: JitPersonConfig[];
  requesters: string[];
  approvers: string[];
  approvalsRequired: number;
  maxWindowMinutes: number;
  maxPendingMinutes: number;
  prefixes: string[];
  actions: JitAction[];
  ticketPattern: string | null;
  breakGlass: string[];
  historyRetentionDays: number;
}

/** Defaults per environment, in one visible place. prod needs two approvers and a ticket. */
export const JIT_DEFAULTS: Record<JitEnvironment, JitConfig> = {
  dev: {
    enabled: false,
    people: [],
    requesters: [],
    approvers: [],
    approvalsRequired: 1,
    maxWindowMinutes: 60,
    maxPendingMinutes: 24 * 60,
    prefixes: ["models/"],
    actions: ["write"],
    ticketPattern: null,
    breakGlass: [],
    historyRetentionDays: 400,
  },
  prod: {
    enabled: false,
    people: [],
    requesters: [],
    approvers: [],
    approvalsRequired: 2,
    maxWindowMinutes: 30,
    maxPendingMinutes: 4 * 60,
    prefixes: ["models/"],
    actions: ["write"],
    ticketPattern: "^[A-Z][A-Z0-9]+-[0-9]+$",
    breakGlass: [],
    historyRetentionDays: 400,
  },
};

export class JitConfigError extends Error {}

/**
 * Validates and fills in the `jit` section. `raw` undefined means "no section": the broker is off.
 * Throws JitConfigError naming the key path (the caller prefixes it with the stack file).
 */
export function resolveJitConfig(raw: unknown, env: JitEnvironment): JitConfig {
  const parsed = jitConfigSchema.safeParse(raw ?? {});
  if (!parsed.success) {
    const msg = parsed.error.issues
      .map((i) => `jit${i.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("")}: ${i.message}`)
      .join("; ");
    throw new JitConfigError(msg);
  }
  const d = JIT_DEFAULTS[env];
  const v = parsed.data;
  const cfg: JitConfig = {
    enabled: v.enabled ?? d.enabled,
    people: v.people ?? d.people,
    requesters: v.requesters ?? d.requesters,
    approvers: v.approvers ?? d.approvers,
    approvalsRequired: v.approvalsRequired ?? d.approvalsRequired,
    maxWindowMinutes: v.maxWindowMinutes ?? d.maxWindowMinutes,
    maxPendingMinutes: v.maxPendingMinutes ?? d.maxPendingMinutes,
    prefixes: v.prefixes ?? d.prefixes,
    actions: [...new Set(v.actions ?? d.actions)],
    ticketPattern: v.ticketPattern ?? d.ticketPattern,
    breakGlass: v.breakGlass ?? d.breakGlass,
    historyRetentionDays: v.historyRetentionDays ?? d.historyRetentionDays,
  };
  const problems: string[] = [];
  if (cfg.enabled && cfg.requesters.length === 0) problems.push("jit.requesters: expected at least one requester when jit.enabled is true");
  if (env === "prod" && cfg.approvalsRequired < 2) problems.push("jit.approvalsRequired: prod requires at least 2 distinct approvals");
  problems.push(...checkJitIdentity(cfg, env).problems);
  if (problems.length > 0) throw new JitConfigError(problems.join("; "));
  return cfg;
}

const LISTS = ["requesters", "approvers", "breakGlass"] as const;

/**
 * The identity rules of the section (jit/README.md "Identity model"), every problem at once:
 * - `jit.people`: unique names, exact role/user ARNs, no principal under two people, no
 *   Identity Center role (shared by a whole permission set);
 * - entries: well-formed; no duplicate, nor two entries denoting the same person; entries a caller
 *   can match under a name it chooses are errors in prod and warnings in dev;
 * - `approvalsRequired` (when enabled): the approvers must be able to denote that many distinct
 *   persons. A pattern over Identity Center users or IAM users counts as many; an exact entry or
 *   a mapped person counts one; all sessions of one unmapped ordinary role count one.
 */
export function checkJitIdentity(cfg: JitConfig, env: JitEnvironment): { problems: string[]; warnings: string[] } {
  const problems: string[] = [];
  const warnings: string[] = [];
  cfg.people.forEach((p, i) => {
    const first = cfg.people.findIndex((q) => q.name === p.name);
    if (first !== i) problems.push(`jit.people[${i}].name: '${p.name}' is already jit.people[${first}]`);
    p.principals.forEach((arn, j) => {
      const where = `jit.people[${i}].principals[${j}]`;
      const bad = personPrincipalProblem(arn);
      if (bad) {
        problems.push(`${where}: ${bad}`);
        return;
      }
      cfg.people.forEach((q, k) =>
        q.principals.forEach((other, l) => {
          if ((k < i || (k === i && l < j)) && samePrincipal(arn, other)) problems.push(`${where}: ${arn} is already jit.people[${k}].principals[${l}] (${q.name}); a principal belongs to one person`);
        }),
      );
    });
  });
  for (const list of LISTS) {
    const classes = cfg[list].map((e) => classifyEntry(e, cfg.people));
    cfg[list].forEach((entry, i) => {
      const where = `jit.${list}[${i}]`;
      const c = classes[i];
      const dup = cfg[list].indexOf(entry);
      const same = c.personKey === undefined ? -1 : classes.findIndex((o) => o.personKey === c.personKey);
      if (c.problem) problems.push(`${where}: ${entry}: ${c.problem}`);
      else if (dup !== i) problems.push(`${where}: ${entry} is a duplicate of jit.${list}[${dup}]`);
      else if (same !== -1 && same !== i) problems.push(`${where}: ${entry} denotes the same person as jit.${list}[${same}] (${c.personKey}): one person counts once`);
      else if (c.selfChosen) (env === "prod" ? problems : warnings).push(`${where}: ${entry}: ${c.selfChosen}${env === "prod" ? " (refused in prod)" : ""}`);
    });
  }
  if (cfg.enabled) {
    const classes = cfg.approvers.map((e) => classifyEntry(e, cfg.people)).filter((c) => !c.problem);
    const reach = classes.some((c) => c.persons === Infinity) ? Infinity : new Set(classes.map((c) => c.personKey)).size;
    if (reach < cfg.approvalsRequired)
      problems.push(
        `jit.approvalsRequired: ${cfg.approvalsRequired} approvals need ${cfg.approvalsRequired} distinct persons among jit.approvers, which can denote ${reach} (an exact entry or mapped person counts one; all sessions of an unmapped role count one)`,
      );
  }
  return { problems, warnings };
}
