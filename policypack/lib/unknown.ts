// Values Pulumi cannot know at preview (outputs of resources not created yet).
//
// The CrossGuard server hands rules a Proxy that throws on the first unknown it meets, which would
// abort a rule half-way and hide what it could have checked. Rules here read the raw object behind
// the proxy instead and test for the sentinels themselves, so they check everything that is known
// and say which value is not known yet. The offline plan passes plain objects, where `undefined`
// plays the same part for values the fake cloud did not fill in.

// The sentinel strings of @pulumi/policy's deserializer (proxy.js); they are @internal there.
export const SENTINELS: ReadonlySet<string> = new Set([
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7", // boolean
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421", // number
  "04da6b54-80e4-46f7-96ec-b56ff0331ba9", // string
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2", // array
  "030794c1-ac77-496b-92df-f27374a8bd58", // asset
  "e48ece36-62e2-4504-bad9-02848725956a", // archive
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff", // object
]);

/** The string Pulumi uses for an unknown string at preview (exported for tests and the bench). */
export const UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isUnknown(v: unknown): boolean {
  return typeof v === "string" && v.length === 36 && SENTINELS.has(v);
}

/** Whether a string contains a sentinel anywhere (a JSON document built around an unknown). */
const ANY_SENTINEL = new RegExp([...SENTINELS].join("|"));

// Every sentinel is a version-4 UUID, so it contains "-4": a plain substring search rules out
// almost every document before the costlier pattern runs (tests hold the sentinels to this).
export function containsUnknown(s: string): boolean {
  return s.length >= 36 && s.includes("-4") && ANY_SENTINEL.test(s);
}

// Keys of @pulumi/policy's proxy (proxy.js) that return the proxied object itself.
const PROXY_TARGET = "__getSpecialProxyTarget";

/** The plain object behind CrossGuard's unknown-checking proxy, or the value itself. */
export function unwrapProps(props: unknown): Record<string, unknown> {
  if (props === null || typeof props !== "object") return {};
  try {
    const target = (props as Record<string, unknown>)[PROXY_TARGET];
    if (target !== null && typeof target === "object" && target !== props) return target as Record<string, unknown>;
  } catch {
    // A proxy that throws on this key: fall through and use it as it is.
  }
  return props as Record<string, unknown>;
}
