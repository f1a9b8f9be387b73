// Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program:
// "namespace:key" -> string, structured values as JSON text.
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument, type YAMLError } from "yaml";
import { ConfigError } from "../config/errors";

export const PROJECT = "model-vault";
export const ROOT = path.resolve(__dirname, "..");

export class UnknownStackError extends Error {}

export function availableStacks(root = ROOT): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.([\w.-]+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

function yamlProblem(e: YAMLError, text: string): string {
  const pos = e.linePos?.[0];
  const what = e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
  if (!pos) return `YAML: ${what}`;
  const lines = text.split(/\r?\n/);
  const line = lines[pos.line - 1];
  return `line ${pos.line}, column ${pos.col}: ${what}: ${line === undefined || (line === "" && pos.line >= lines.length) ? "(end of file)" : JSON.stringify(line)}`;
}

export function readStackConfig(stack: string, root = ROOT): Record<string, string> {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(file)) {
    throw new UnknownStackError(`unknown stack "${stack}": no Pulumi.${stack}.yaml (stacks here: ${availableStacks(root).join(", ") || "none"})`);
  }
  const text = fs.readFileSync(file, "utf8");
  const parsed = parseDocument(text);
  // Every syntax error at once, each with its line, column and the line as written.
  if (parsed.errors.length > 0) throw new ConfigError(`Pulumi.${stack}.yaml`, parsed.errors.map((e) => yamlProblem(e, text)));
  const doc: unknown = parsed.toJS();
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new UnknownStackError(`Pulumi.${stack}.yaml: "config" must be a map of keys to values`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = k.includes(":") ? k : `${PROJECT}:${k}`;
    const value = typeof v === "string" ? v : JSON.stringify(v);
    // A bare key and its namespaced twin: keep both, config/load.ts refuses the pair.
    if (!k.includes(":") && Object.prototype.hasOwnProperty.call(config, key)) out[k] = value;
    else out[key] = value;
  }
  return out;
}
