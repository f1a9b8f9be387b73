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
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation): void => {
      if (!types.has(args.type)) return;
      const r: PlainResource = { type: args.type, urn: args.urn, name: args.name, props: unwrapProps(args.props) };
      let seen: Set<string> | undefined; // allocated only when a value is unknown
      check(r, {
        violation: (m) => reportViolation(m),
        unknown: (what) => {
          seen ??= new Set<string>();
          if (seen.has(what)) return;
          seen.add(what);
          (reportViolation as unknown as ObjectReport)({ message: unknownMessage(what), enforcementLevel: "advisory" });
        },
      });
    },
  };
}

export function stackRule(
  meta: RuleMeta & { check: (resources: PlainResource[], report: StackReporter) => void },
): StackValidationPolicy {
  const { check, ...rest } = meta;
  return {
    ...rest,
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation): void => {
      const resources = args.resources.map((r) => ({ type: r.type, urn: r.urn, name: r.name, props: unwrapProps(r.props) }));
      check(resources, {
        violation: (m, urn) => reportViolation(m, urn),
        unknown: (what, urn) =>
          (reportViolation as unknown as ObjectReport)({ message: unknownMessage(what), enforcementLevel: "advisory", urn }),
      });
    },
  };
}
