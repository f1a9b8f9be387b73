// Shared test fixtures for the JIT broker specs (not a spec itself).
import { resolveJitConfig, type JitConfig } from "../config/jit";
import type { Caller } from "../jit/types";
import { sandboxCaller } from "../jit/principals";

export const alice: Caller = sandboxCaller("alice"); // requester
export const bob: Caller = sandboxCaller("bob"); // approver
export const carol: Caller = sandboxCaller("carol"); // approver
export const mallory: Caller = sandboxCaller("mallory"); // nobody
export const erin: Caller = sandboxCaller("erin"); // break-glass requester

export function testConfig(over: Partial<Record<keyof JitConfig, unknown>> = {}, env: "dev" | "prod" = "dev"): JitConfig {
  return resolveJitConfig(
    {
      enabled: true,
      requesters: ["alice", "erin", "bob"],
      approvers: ["bob", "carol", "dave"],
      prefixes: ["models/"],
      actions: ["write", "delete"],
      breakGlass: ["erin"],
      ...over,
    },
    env,
  );
}

export const T0 = new Date("2030-01-01T10:00:00.000Z");
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
