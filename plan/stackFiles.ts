// Reads Pulumi.<stack>.yaml the way the Pulumi CLI hands config to a program:
// "namespace:key" -> string, structured values as JSON text.
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";

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

export function readStackConfig(stack: string, root = ROOT): Record<string, string> {
  const file = path.join(root, `Pulumi.${stack}.yaml`);
  if (!/^[\w.-]+$/.test(stack) || !fs.existsSync(file)) {
    throw new UnknownStackError(`unknown stack "${stack}": no Pulumi.${stack}.yaml (stacks here: ${availableStacks(root).join(", ") || "none"})`);
  }
  let doc: unknown;
  try {
    doc = parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UnknownStackError(`Pulumi.${stack}.yaml is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
  const config = (doc as { config?: unknown } | null)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new UnknownStackError(`Pulumi.${stack}.yaml: "config" must be a map of keys to values`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = k.includes(":") ? k : `${PROJECT}:${k}`;
    out[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}
