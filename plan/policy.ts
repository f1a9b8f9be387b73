// Runs the CrossGuard pack over an offline plan, as `pulumi preview --policy-pack policypack` would.
//
// - Resource rules get each custom resource's `inputs` as `props` (the CLI's analyzer sees inputs).
// - Stack rules get every custom resource with `outputs` as `props` (the CLI's stack analyzer sees
//   outputs; the plan's outputs are merged over the inputs).
// - Enforcement levels: `policypack/config/<stack>.json`, the format `--policy-pack-config` takes.
//   A rule's own entry wins over `all`, which wins over the rule's default. "remediate" counts as
//   mandatory (our rules do not remediate) and "disabled" skips the rule.
// - A rule that throws becomes a mandatory violation naming the rule (the CLI would fail the
//   preview); `args.notApplicable()` ends the rule quietly, as in the CLI.

import * as fs from "fs";
import * as path from "path";
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { parseWaivers } from "../policypack/lib/waivers";
import { policies as packPolicies } from "../policypack/policies";
import type { PlanResource, PolicyLevel, PolicyViolation } from "./types";

/** One rule's entry in a pack config file: a level, or an object with one (plus rule settings). */
export type PolicyConfigEntry = EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>);
/** The JSON that `pulumi preview --policy-pack-config FILE` takes. */
export type PackConfig = Record<string, PolicyConfigEntry>;

export interface EvaluateOptions {
  /** Stack tags (`pulumi stack tag`), passed to rules as `stackTags`. */
  stackTags?: Record<string, string>;
  /** The policies to run; defaults to the pack's. */
  policies?: Policies;
}

const CONFIG_DIR = path.join(__dirname, "..", "policypack", "config");
const LEVELS: ReadonlySet<string> = new Set(["advisory", "mandatory", "remediate", "disabled"]);

/** The checked-in pack config for a stack (`policypack/config/<stack>.json`), or {} when absent. */
export function loadPackConfig(stack: string): PackConfig {
  const file = path.join(CONFIG_DIR, `${stack}.json`);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !fs.existsSync(file)) return {};
  const parsed: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${file}: a policy pack config must be a JSON object of rule name -> level or {"enforcementLevel": ...}`);
  }
  const problems: string[] = [];
  for (const [k, v] of Object.entries(parsed)) {
    const level = typeof v === "string" ? v : v && typeof v === "object" ? (v as { enforcementLevel?: unknown }).enforcementLevel : undefined;
    if (level !== undefined && (typeof level !== "string" || !LEVELS.has(level))) {
      problems.push(`"${k}" has enforcement level ${JSON.stringify(level)}; expected advisory, mandatory, remediate or disabled`);
    }
    // Waivers (policypack/lib/waivers.ts): the plan lists those in force as advisory findings.
    problems.push(...parseWaivers(k, v).errors);
  }
  if (problems.length > 0) throw new Error(`${file}: ${problems.join("; ")}`);
  return parsed as PackConfig;
}

function entryLevel(e: PolicyConfigEntry | undefined): EnforcementLevel | undefined {
  if (e === undefined) return undefined;
  return typeof e === "string" ? e : e.enforcementLevel;
}

export function levelOf(name: string, defaultLevel: EnforcementLevel | undefined, config: PackConfig): EnforcementLevel {
  return entryLevel(config[name]) ?? entryLevel(config["all"]) ?? defaultLevel ?? "advisory";
}

function ruleConfig(name: string, config: PackConfig): Record<string, unknown> {
  const e = config[name];
  if (e === undefined || typeof e === "string") return {};
  const { enforcementLevel: _level, ...rest } = e;
  return rest;
}

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason ?? "not applicable");
};

const OPTS: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

type ResourceClass = { new (...rest: never[]): unknown };
function classToken(cls: ResourceClass): string | undefined {
  const t = (cls as unknown as { __pulumiType?: unknown }).__pulumiType;
  return typeof t === "string" ? t : undefined;
}

function opts(r: PlanResource): PolicyResourceOptions {
  return r.parent ? { ...OPTS, protect: r.options.protect, parent: r.parent } : { ...OPTS, protect: r.options.protect };
}

/** The CrossGuard argument bag for one resource, built from @pulumi/policy 1.21's types. */
export function resourceArgs(r: PlanResource, config: Record<string, unknown>, stackTags: ReadonlyMap<string, string>): ResourceValidationArgs {
  const props = r.inputs as Record<string, never>;
  const args = {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: opts(r),
    stackTags,
    isType: (cls: ResourceClass) => classToken(cls) === r.type,
    asType: (cls: ResourceClass) => (classToken(cls) === r.type ? props : undefined),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
  return args as unknown as ResourceValidationArgs;
}

/** The CrossGuard argument bag for a stack rule. */
export function stackArgs(resources: PlanResource[], config: Record<string, unknown>, stackTags: ReadonlyMap<string, string>): StackValidationArgs {
  const byUrn = new Map<string, PolicyResource>();
  const list: PolicyResource[] = resources.map((r) => {
    const props = r.outputs as Record<string, never>;
    const pr = {
      type: r.type,
      props,
      urn: r.urn,
      name: r.name,
      opts: opts(r),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls: ResourceClass) => classToken(cls) === r.type,
      asType: (cls: ResourceClass) => (classToken(cls) === r.type ? props : undefined),
    } as unknown as PolicyResource;
    byUrn.set(r.urn, pr);
    return pr;
  });
  resources.forEach((r, i) => {
    const parent = r.parent ? byUrn.get(r.parent) : undefined;
    if (parent) list[i].parent = parent;
  });
  return { resources: list, stackTags, getConfig: <T extends object>() => config as T, notApplicable };
}

interface Running {
  p: { name: string; description: string };
  reported: PolicyLevel;
}

// Accepts the string form CrossGuard declares and the object form its server also honours
// (used by the pack for advisory "not known yet" notes).
function collector(rule: () => Running, defaultUrn: () => string, out: PolicyViolation[]): ReportViolation {
  return ((message: unknown, urn?: string): void => {
    const { p, reported } = rule();
    if (message !== null && typeof message === "object") {
      const m = message as { message?: string; enforcementLevel?: string; urn?: string };
      const l: PolicyLevel = m.enforcementLevel === "advisory" ? "advisory" : reported;
      out.push({ policy: p.name, level: l, urn: m.urn ?? urn ?? defaultUrn(), message: m.message ?? p.description });
    } else {
      out.push({ policy: p.name, level: reported, urn: urn ?? defaultUrn(), message: typeof message === "string" && message !== "" ? message : p.description });
    }
  }) as ReportViolation;
}

function isThenable(v: unknown): boolean {
  return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
}

function crashed(out: PolicyViolation[], name: string, urn: string, e: unknown): void {
  if (e instanceof NotApplicable) return;
  out.push({ policy: name, level: "mandatory", urn, message: `rule failed: ${e instanceof Error ? e.message : String(e)}` });
}

function isResourcePolicy(p: Policies[number]): p is ResourceValidationPolicy {
  return typeof (p as ResourceValidationPolicy).validateResource !== "undefined";
}

function isStackPolicy(p: Policies[number]): p is StackValidationPolicy {
  return typeof (p as StackValidationPolicy).validateStack === "function";
}

/**
 * Every resource rule on every custom resource and every stack rule on the whole set, with the
 * stack's pack config (defaults to `policypack/config/<stack>.json`). Synchronous: the pack's rules
 * are; a rule returning a promise is reported as a failure rather than silently ignored.
 */
export function evaluatePolicyPack(resources: PlanResource[], stack: string, packConfig?: PackConfig, options: EvaluateOptions = {}): PolicyViolation[] {
  const config = packConfig ?? loadPackConfig(stack);
  const policies = options.policies ?? packPolicies;
  const stackTags: ReadonlyMap<string, string> = new Map(Object.entries(options.stackTags ?? {}));
  const custom = resources.filter((r) => r.custom);
  const out: PolicyViolation[] = [];
  const stackUrn = resources.find((r) => r.type === "pulumi:pulumi:Stack")?.urn ?? `urn:pulumi:${stack}::model-vault::pulumi:pulumi:Stack::model-vault-${stack}`;

  // Resources outer, rules inner: one argument bag per resource, shared by every rule (only
  // getConfig differs, and it reads the rule being run). Keeps a 10,000-resource plan cheap.
  const active = policies
    .map((p) => ({ p, level: levelOf(p.name, p.enforcementLevel, config), cfg: ruleConfig(p.name, config) }))
    .filter((x) => x.level !== "disabled")
    .map((x) => ({ ...x, reported: (x.level === "advisory" ? "advisory" : "mandatory") as PolicyLevel }));
  const resourceRules = active.filter((x) => isResourcePolicy(x.p));
  let current = resourceRules[0];
  let currentUrn = "";
  const report = collector(() => current, () => currentUrn, out);
  for (const r of custom) {
    currentUrn = r.urn;
    const args = resourceArgs(r, {}, stackTags);
    args.getConfig = <T extends object>() => current.cfg as T;
    for (const x of resourceRules) {
      current = x;
      const vr = (x.p as ResourceValidationPolicy).validateResource;
      const validations = vr === undefined ? [] : Array.isArray(vr) ? vr : [vr];
      for (const v of validations) {
        try {
          const res = v(args, report);
          if (isThenable(res)) throw new Error("asynchronous rules are not supported by the offline plan");
        } catch (e) {
          crashed(out, x.p.name, r.urn, e);
          if (e instanceof NotApplicable) break;
        }
      }
    }
  }
  currentUrn = stackUrn;
  // One argument bag for every stack rule (only getConfig differs), as for resource rules.
  const sargs = stackArgs(custom, {}, stackTags);
  for (const x of active) {
    if (!isStackPolicy(x.p)) continue;
    current = x;
    sargs.getConfig = <T extends object>() => x.cfg as T;
    try {
      const res = x.p.validateStack(sargs, report);
      if (isThenable(res)) throw new Error("asynchronous rules are not supported by the offline plan");
    } catch (e) {
      crashed(out, x.p.name, stackUrn, e);
    }
  }
  return out;
}

/** Whether any violation blocks (the plan exits non-zero on these). */
export function hasMandatory(violations: readonly PolicyViolation[]): boolean {
  return violations.some((v) => v.level === "mandatory");
}
