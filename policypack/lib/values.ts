// Defensive readers for untyped props: they never throw and say when a value is unknown.

import { isUnknown } from "./unknown";

export type Read<T> = { kind: "value"; value: T } | { kind: "unknown" } | { kind: "absent" };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function readBool(v: unknown): Read<boolean> {
  if (isUnknown(v)) return { kind: "unknown" };
  if (typeof v === "boolean") return { kind: "value", value: v };
  // The engine may carry booleans as strings in some paths (e.g. config-derived values).
  if (v === "true" || v === "false") return { kind: "value", value: v === "true" };
  return { kind: "absent" };
}

export function readString(v: unknown): Read<string> {
  if (isUnknown(v)) return { kind: "unknown" };
  if (typeof v === "string") return { kind: "value", value: v };
  return { kind: "absent" };
}

export function readNumber(v: unknown): Read<number> {
  if (isUnknown(v)) return { kind: "unknown" };
  if (typeof v === "number" && Number.isFinite(v)) return { kind: "value", value: v };
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return { kind: "value", value: Number(v) };
  return { kind: "absent" };
}

/** An array of records (a nested block list); non-record entries are dropped. */
export function records(v: unknown): Record<string, unknown>[] {
  if (Array.isArray(v)) return v.filter(isRecord);
  if (isRecord(v)) return [v];
  return [];
}

export function strings(v: unknown): string[] {
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

/** model-vault marks resources with the tag `model-vault:role` (see README). */
export const ROLE_TAG = "model-vault:role";
export const SIGNED_URLS_TAG = "model-vault:signed-urls";

export function tag(props: Record<string, unknown>, key: string): string | undefined {
  for (const k of ["tags", "tagsAll"]) {
    const t = props[k];
    if (isRecord(t)) {
      const v = t[key];
      if (typeof v === "string" && !isUnknown(v)) return v;
    }
  }
  return undefined;
}
