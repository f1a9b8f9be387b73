// One clear message for a bad stack file: which file, which key, what was expected.
import type { z } from "zod";

export class ConfigError extends Error {
  constructor(
    readonly stackFile: string,
    readonly problems: string[],
  ) {
    super(`${stackFile}: invalid configuration\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

type Issue = z.core.$ZodIssue;

function keyPath(namespace: string, path: PropertyKey[]): string {
  if (path.length === 0) return `${namespace}:`;
  const [head, ...rest] = path;
  const tail = rest.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
  return `${namespace}:${String(head)}${tail}`;
}

/** For a union, report the branch that got furthest (not the one that merely had the wrong type). */
function flatten(issue: Issue, base: PropertyKey[]): Issue[] {
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    // The branch with the deepest issue is the one whose shape the input matched.
    const depth = (b: Issue[]) => Math.max(...b.map((i) => i.path.length));
    const best = issue.errors.filter((b) => b.length > 0).sort((a, b) => depth(b) - depth(a))[0];
    if (best && depth(best) > 0) return best.flatMap((i) => flatten(i, [...base, ...issue.path]));
  }
  return [{ ...issue, path: [...base, ...issue.path] } as Issue];
}

export function describeIssues(namespace: string, issues: readonly Issue[], validKeys: string[]): string[] {
  const seen = new Set<string>();
  return issues
    .flatMap((i) => flatten(i, []))
    // One problem per key: the first rule it broke is the one worth reading.
    .filter((i) => {
      const k = JSON.stringify(i.path.map(String)) + (i.code === "unrecognized_keys" ? "#keys" : "");
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .map((issue) => {
      if (issue.code === "unrecognized_keys") {
        const where = issue.path.length ? `${keyPath(namespace, issue.path)}: ` : "";
        const names = issue.keys.map((k) => (issue.path.length ? k : `${namespace}:${k}`)).join(", ");
        const valid = issue.path.length ? "" : `; valid keys are: ${validKeys.join(", ")}`;
        return `${where}unknown key ${names}${valid}`;
      }
      const at = keyPath(namespace, issue.path);
      if ((issue.code === "invalid_type" || issue.code === "invalid_value") && issue.input === undefined) return `${at}: is required (${issue.message})`;
      return `${at}: ${issue.message}`;
    });
}
