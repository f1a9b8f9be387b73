// Small builders that turn a pure check into a CrossGuard policy object.
//
// A check sees a plain resource (raw props, no proxy) and a reporter. It reports real findings with
// `violation` (at the rule's configured level) and values it cannot judge yet with `unknown`, which
// is always advisory: an output not known at preview must not block a preview, and the same rule
// runs again at `pulumi up`, when inputs are resolved.

import type {
  EnforcementLevel,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { unwrapProps } from "./unknown";
import { expired, parseWaivers, ParsedWaivers, Waiver, WAIVER_CONFIG_SCHEMA, waiverFor } from "./waivers";

export interface PlainResource {
  type: string;
  urn: string;
  name: string;
  props: Record<string, unknown>;
}

export interface ResourceReporter {
  violation(message: string): void;
  /** `what` names the value, e.g. `.policy` or `Statement[0].Principal`. */
  unknown(what: string): void;
}

export interface StackReporter {
  violation(message: string, urn?: string): void;
  unknown(what: string, urn?: string): void;
}

interface RuleMeta {
  name: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  remediationSteps?: string;
}

export const UNKNOWN_PREFIX = "not known yet:";

// CrossGuard's reportViolation also accepts an object that overrides the level (server.js,
// makeReportViolationFun); its d.ts only declares the string form. Unknown-value notes use the
// object form so that they stay advisory under a mandatory rule.
type ObjectReport = (v: { message: string; enforcementLevel: EnforcementLevel; urn?: string }) => void;

function unknownMessage(what: string): string {
  return `${UNKNOWN_PREFIX} ${what} is not known during preview; it is checked again at \`pulumi up\``;
}

// Parsed once per config object (the plan and the CLI hand every resource the same one).
const parsedWaivers = new WeakMap<object, ParsedWaivers>();
const NO_WAIVERS: ParsedWaivers = { waivers: [], errors: [] };
// Config errors are reported once per config object, not on every resource.
const reportedErrors = new WeakSet<object>();

function waiversOf(rule: string, getConfig: (() => unknown) | undefined): { parsed: ParsedWaivers; config?: object } {
  const config = getConfig?.();
  if (config === null || typeof config !== "object") return { parsed: NO_WAIVERS };
  let hit = parsedWaivers.get(config);
  if (!hit) {
    hit = parseWaivers(rule, config);
    parsedWaivers.set(config, hit);
  }
  return { parsed: hit, config };
}

/** The message for a finding on a waived resource, and whether it still counts at the rule's level. */
function underWaiver(w: Waiver, message: string): { message: string; counts: boolean } {
  if (expired(w, new Date())) return { message: `${message} (waiver "${w.resource}" expired on ${w.expires}: ${w.reason})`, counts: true };
  return { message: `waived until ${w.expires} (${w.reason}): ${message}`, counts: false };
}

export function resourceRule(
  meta: RuleMeta & {
    /** Only these type tokens are checked; others return at once. */
    types: readonly string[];
    check: (r: PlainResource, report: ResourceReporter) => void;
  },
): ResourceValidationPolicy {
  const types = new Set(meta.types);
  const { types: _t, check, ...rest } = meta;
  return {
    ...rest,
    configSchema: WAIVER_CONFIG_SCHEMA,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
      if (!types.has(args.type)) return;
      const { parsed, config } = waiversOf(meta.name, args.getConfig);
      if (config && parsed.errors.length > 0 && !reportedErrors.has(config)) {
        reportedErrors.add(config);
        reportViolation(`the pack config's waivers for ${meta.name} are invalid, so none applies: ${parsed.errors.join("; ")}`);
      }
      const waiver = parsed.errors.length === 0 && parsed.waivers.length > 0 ? waiverFor(parsed.waivers, args.urn, args.name) : undefined;
      const r: PlainResource = { type: args.type, urn: args.urn, name: args.name, props: unwrapProps(args.props) };
      let seen: Set<string> | undefined; // allocated only when a value is unknown
      let found = false;
      check(r, {
        violation: (m) => {
          found = true;
          if (!waiver) return reportViolation(m);
          const u = underWaiver(waiver, m);
          if (u.counts) reportViolation(u.message);
          else (reportViolation as unknown as ObjectReport)({ message: u.message, enforcementLevel: "advisory" });
        },
        unknown: (what) => {
          seen ??= new Set<string>();
          if (seen.has(what)) return;
          seen.add(what);
          (reportViolation as unknown as ObjectReport)({ message: unknownMessage(what), enforcementLevel: "advisory" });
        },
      });
      // A stale waiver is a finding too: it would silently exempt the next mistake.
      if (waiver && !found && expired(waiver, new Date())) {
        reportViolation(`the waiver "${waiver.resource}" (${waiver.reason}) expired on ${waiver.expires}; remove it from the pack config.`);
      }
    },
  };
}

// Every stack rule of a run gets the same resources array (the plan shares one argument bag):
// unwrap it once.
const plainCache = new WeakMap<readonly unknown[], PlainResource[]>();
function plainResources(list: StackValidationArgs["resources"]): PlainResource[] {
  let hit = plainCache.get(list);
  if (!hit) {
    hit = list.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: unwrapProps(r.props) }));
    plainCache.set(list, hit);
  }
  return hit;
}

export function stackRule(
  meta: RuleMeta & { check: (resources: PlainResource[], report: StackReporter) => void },
): StackValidationPolicy {
  const { check, ...rest } = meta;
  return {
    ...rest,
    configSchema: WAIVER_CONFIG_SCHEMA,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation): void => {
      const resources = plainResources(args.resources);
      const { parsed } = waiversOf(meta.name, args.getConfig);
      if (parsed.errors.length > 0) reportViolation(`the pack config's waivers for ${meta.name} are invalid, so none applies: ${parsed.errors.join("; ")}`);
      const names = parsed.waivers.length > 0 ? new Map(resources.map((r) => [r.urn, r.name])) : undefined;
      check(resources, {
        violation: (m, urn) => {
          const waiver = urn && parsed.errors.length === 0 ? waiverFor(parsed.waivers, urn, names?.get(urn) ?? "") : undefined;
          if (!waiver) return reportViolation(m, urn);
          const u = underWaiver(waiver, m);
          if (u.counts) reportViolation(u.message, urn);
          else (reportViolation as unknown as ObjectReport)({ message: u.message, enforcementLevel: "advisory", urn });
        },
        unknown: (what, urn) =>
          (reportViolation as unknown as ObjectReport)({ message: unknownMessage(what), enforcementLevel: "advisory", urn }),
      });
    },
  };
}
