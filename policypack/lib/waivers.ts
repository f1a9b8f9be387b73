// Waivers: one resource exempted from one rule, for a reason, until a date.
//
// They live in the pack config, under the rule they exempt from (the only place
// `--policy-pack-config` lets a rule read settings from):
//   "no-wildcard-actions": { "waivers": [
//     { "resource": "legacy-*", "reason": "INC-1234: vendor role, replaced in Q1", "expires": "2027-03-31" } ] }
// `resource` is a URN (exact) or a pattern on the resource's logical name (`*` any run of characters).
// A waived finding is still reported, as advisory, saying who waived it until when: that is how
// the preview and the offline plan list the waivers in force. From the day after `expires` the
// waiver is itself a violation, at the rule's level, and the findings count again.

import type { PolicyConfigSchema } from "@pulumi/policy";
import { isRecord } from "./values";

export interface Waiver {
  resource: string;
  reason: string;
  /** YYYY-MM-DD, the last day the waiver holds (UTC). */
  expires: string;
}

/** The JSON schema CrossGuard validates a rule's config against (it rejects unknown settings). */
export const WAIVER_CONFIG_SCHEMA: PolicyConfigSchema = {
  properties: {
    waivers: {
      type: "array",
      items: {
        type: "object",
        properties: {
          resource: { type: "string", minLength: 1 },
          reason: { type: "string", minLength: 1 },
          expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
        },
        required: ["resource", "reason", "expires"],
        additionalProperties: false,
      },
    },
  },
};

export interface ParsedWaivers {
  waivers: Waiver[];
  /** Every problem at once, naming the entry; a bad waiver waives nothing. */
  errors: string[];
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function validDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function parseWaivers(rule: string, config: unknown): ParsedWaivers {
  const out: ParsedWaivers = { waivers: [], errors: [] };
  const list = isRecord(config) ? config["waivers"] : undefined;
  if (list === undefined) return out;
  if (!Array.isArray(list)) {
    out.errors.push(`${rule}.waivers must be a list of { resource, reason, expires }`);
    return out;
  }
  for (const [i, w] of list.entries()) {
    const at = `${rule}.waivers[${i}]`;
    if (!isRecord(w)) {
      out.errors.push(`${at} must be an object { resource, reason, expires }`);
      continue;
    }
    const problems: string[] = [];
    if (typeof w["resource"] !== "string" || w["resource"].trim() === "") problems.push("resource (a URN or a logical-name pattern)");
    if (typeof w["reason"] !== "string" || w["reason"].trim() === "") problems.push("reason (why, and who decided)");
    if (typeof w["expires"] !== "string" || !validDate(w["expires"])) problems.push("expires (a date YYYY-MM-DD)");
    if (problems.length > 0) out.errors.push(`${at} needs ${problems.join(", ")}`);
    else out.waivers.push({ resource: w["resource"] as string, reason: w["reason"] as string, expires: w["expires"] as string });
  }
  return out;
}

function globMatch(pattern: string, s: string): boolean {
  const body = pattern.replace(/[.+^${}()|[\]\\?]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${body}$`).test(s);
}

export function waiverFor(waivers: readonly Waiver[], urn: string, name: string): Waiver | undefined {
  return waivers.find((w) => (w.resource.startsWith("urn:") ? w.resource === urn : globMatch(w.resource, name)));
}

/** Expired once the UTC day after `expires` has begun. */
export function expired(w: Waiver, now: Date): boolean {
  return now.toISOString().slice(0, 10) > w.expires;
}
