// What `claim` sends to sts:AssumeRole. Pure: the Lambda passes it to @aws-sdk/client-sts, the
// sandbox prints it. Field names are exactly AssumeRoleCommandInput's.
import type { JitRequest } from "./types";
import { buildSessionPolicy, type SessionTarget } from "./session-policy";
import { toJson } from "../iam/types";

export const REQUEST_TAG = "jit-request-id";
export const MIN_SESSION_SECONDS = 900; // STS floor
export const MAX_SESSION_SECONDS = 3600; // role chaining ceiling

export interface AssumeRoleParams {
  RoleArn: string;
  RoleSessionName: string;
  SourceIdentity: string;
  Tags: { Key: string; Value: string }[];
  DurationSeconds: number;
  Policy: string;
}

export function roleSessionName(id: string): string {
  return `jit-${id}`;
}

/**
 * The rest of the window, clamped to what STS accepts. A session may outlive a short window
 * (STS's 900 s floor); the session policy's DateLessThan still ends access at the window's end.
 */
export function sessionDurationSeconds(windowEnd: string, now: Date): number {
  const rest = Math.ceil((Date.parse(windowEnd) - now.getTime()) / 1000);
  return Math.min(MAX_SESSION_SECONDS, Math.max(MIN_SESSION_SECONDS, rest));
}

export function assumeRoleParams(req: JitRequest, target: SessionTarget & { elevatedRoleArn: string }, now: Date): AssumeRoleParams {
  if (!req.windowEnd) throw new Error(`request ${req.id} has no window`);
  return {
    RoleArn: target.elevatedRoleArn,
    RoleSessionName: roleSessionName(req.id),
    SourceIdentity: req.requester,
    Tags: [{ Key: REQUEST_TAG, Value: req.id }],
    DurationSeconds: sessionDurationSeconds(req.windowEnd, now),
    Policy: toJson(buildSessionPolicy(req, target)),
  };
}
