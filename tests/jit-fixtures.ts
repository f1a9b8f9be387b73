// Shared test fixtures for the JIT broker specs (not a spec itself).
import { resolveJitConfig, type JitConfig } from "../config/jit";
import type { Caller } from "../jit/types";
import { callerFromPrincipal, sandboxPrincipalId } from "../jit/principals";

export const ACCOUNT = "111111111111";

/** The session ARN of an IAM Identity Center user under a permission set (Identity Center names the session). */
export function ssoArn(user: string, permissionSet = "MLTeam", account = ACCOUNT): string {
  return `arn:aws:sts::${account}:assumed-role/AWSReservedSSO_${permissionSet}_0123456789abcdef/${user}`;
}

/** That user as the function URL's authorizer reports them (ARN + a stable principal id). */
export function ssoCaller(user: string, permissionSet = "MLTeam"): Caller {
  const arn = ssoArn(user, permissionSet);
  return callerFromPrincipal(arn, sandboxPrincipalId(arn));
}

export const alice: Caller = ssoCaller("alice"); // requester
export const bob: Caller = ssoCaller("bob"); // approver
export const carol: Caller = ssoCaller("carol"); // approver
export const mallory: Caller = ssoCaller("mallory"); // nobody
export const erin: Caller = ssoCaller("erin"); // break-glass requester

export function testConfig(over: Partial<Record<keyof JitConfig, unknown>> = {}, env: "dev" | "prod" = "dev"): JitConfig {
  return resolveJitConfig(
    {
      enabled: true,
      requesters: [ssoArn("alice"), ssoArn("erin"), ssoArn("bob")],
      approvers: [ssoArn("bob"), ssoArn("carol"), ssoArn("dave")],
      prefixes: ["models/"],
      actions: ["write", "delete"],
      breakGlass: [ssoArn("erin")],
      ...over,
    },
    env,
  );
}

export const T0 = new Date("2030-01-01T10:00:00.000Z");
export const at = (minutes: number): Date => new Date(T0.getTime() + minutes * 60_000);
