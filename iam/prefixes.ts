// Prefix checks shared by the builders (the config schema checks the same rules with messages per key).

/** Throws when a prefix list is empty or a prefix is unsafe to put into an ARN/condition. */
export function assertPrefixes(prefixes: string[]): void {
  if (prefixes.length === 0) throw new Error("expected at least one prefix");
  for (const p of prefixes) {
    if (p.length === 0) throw new Error("expected a non-empty prefix");
    if (/[*?]/.test(p)) throw new Error(`prefix ${JSON.stringify(p)} may not contain wildcards (* or ?)`);
    if (p.startsWith("/")) throw new Error(`prefix ${JSON.stringify(p)} may not start with '/'`);
    if (!p.endsWith("/")) throw new Error(`prefix ${JSON.stringify(p)} must end with '/'`);
    if (p.split("/").includes("..")) throw new Error(`prefix ${JSON.stringify(p)} may not contain '..'`);
    if (/[\u0000-\u001f${}"\\]/.test(p)) throw new Error(`prefix ${JSON.stringify(p)} contains a forbidden character`);
  }
}

/** True when key lies under one of the prefixes. */
export function underAnyPrefix(key: string, prefixes: string[]): boolean {
  return prefixes.some((p) => key.startsWith(p));
}
