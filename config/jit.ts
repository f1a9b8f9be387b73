// The `jit` section of a stack's config: who may ask for elevated access, who approves, and the
// limits of what may be granted. Pure (zod only) so the broker, the component and the plan share it.
import { z } from "zod";

export type JitEnvironment = "dev" | "prod";

/** Role chaining caps an STS session at one hour, so no window may be longer. */
export const MAX_WINDOW_MINUTES = 60;
/** Keeps the session policy under STS's 2,048-character limit (see jit/session-policy.ts). */
export const MAX_PREFIX_LENGTH = 200;

export const JIT_ACTIONS = ["write", "delete"] as const;
export type JitAction = (typeof JIT_ACTIONS)[number];

// A principal is either an ARN glob (`arn:aws:sts::123456789012:assumed-role/Publishers/*`) matched
// against the SigV4-authenticated caller ARN, or a bare name matched against the caller's name
// (IAM user name, or role session name). Bare names are weaker: anyone who may pick a session name
// on some role can claim one; prefer ARN patterns in prod. "*" means any authenticated caller
// (who must still hold lambda:InvokeFunctionUrl on the broker's URL).
const principal = z
  .string()
  .min(1)
  .refine((s) => s === "*" || s.startsWith("arn:") || /^[\w+=,.@-]{2,64}$/.test(s), {
    message: "expected \"*\", an ARN pattern (arn:...) or a name of 2-64 characters [A-Za-z0-9_+=,.@-]",
  });

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
  if (cfg.enabled) {
    if (cfg.requesters.length === 0) throw new JitConfigError("jit.requesters: expected at least one requester when jit.enabled is true");
    // Self-approval is forbidden, so n approvals need n approvers besides any requester.
    if (cfg.approvers.length < cfg.approvalsRequired)
      throw new JitConfigError(
        `jit.approvers: expected at least ${cfg.approvalsRequired} approvers (jit.approvalsRequired), got ${cfg.approvers.length}`,
      );
  }
  if (env === "prod" && cfg.approvalsRequired < 2)
    throw new JitConfigError("jit.approvalsRequired: prod requires at least 2 distinct approvals");
  return cfg;
}
