// The name patterns model-vault's SCPs match its roles and resources by, and the glob arithmetic that
// keeps the exemption lists short. Pure.
import { ROLE_PATH } from "./arns";

export type { Partition } from "./arn";
import type { Partition } from "./arn";

export interface ScpPatterns {
  /** Partition of the ARNs built (default "aws"). */
  partition?: Partition;
  /** S3 bucket-name pattern of the model buckets, e.g. "model-vault-*". */
  modelBucketPattern: string;
  /** Role path-or-name pattern (the part after "role/") of the elevated publisher role(s). */
  elevatedRolePattern: string;
  /** Role path-or-name pattern of the deployer role(s) (the role `pulumi up` runs as in member accounts). */
  deployerRolePattern: string;
  /** Role path-or-name pattern(s) covering model-vault's own roles (consumers, elevated, JIT issuer, deployer). */
  rolePathOrNamePattern: string | string[];
  /** CloudTrail trail-name pattern of the audit trail(s). */
  auditTrailPattern: string;
  /**
   * Name prefix of the JIT broker's functions, table and roles (iam/arns.ts JIT_NAME_PREFIX). When set,
   * only the deployer may change the broker's code and configuration, only the broker's roles may
   * write its request table, and the broker's revoker may write the elevated role's revocation
   * policy. Without it, the SCP leaves the broker alone (and denies the revoker that write).
   */
  jitNamePrefix?: string;
  /**
   * Role path-or-name patterns of the people's roles: the roles the broker's requesters, approvers
   * and break-glass callers sign in as, and the publisher's trusted principals. Only the deployer
   * may re-trust, re-policy or delete them (whoever re-trusts an approver's role approves as them).
   */
  humanRolePatterns?: string[];
  /** IAM user path-or-name patterns (the part after "user/") of the same people. */
  humanUserPatterns?: string[];
  /** Deny IAM users without MFA in the request any call to the broker's API (default on). */
  requireMfaForIamUsers?: boolean;
  /** Role path-or-name pattern of the consumer roles: only the deployer and consumerRolePassers may pass them. */
  consumerRolePattern?: string;
  /** Role path-or-name patterns of the pipelines that may pass consumer roles to compute (besides the deployer). */
  consumerRolePassers?: string[];
}

/**
 * What the SCPs match the JIT broker by (contract with components/JitBroker.ts): its roles under
 * ROLE_PATH, named <prefix>-<part>-<suffix>; its API and revoker functions, request table, schedule
 * group, notice topic and log groups, named <prefix>-<part>-...
 */
export function jitPatterns(prefix: string) {
  const path = ROLE_PATH.replace(/^\//, "");
  return {
    brokerRoles: `${path}${prefix}-*`,
    issuerRole: `${path}${prefix}-issuer-*`,
    revokerRole: `${path}${prefix}-revoker-*`,
    schedulerRole: `${path}${prefix}-scheduler-*`,
    /** Every broker resource that is not a role: functions, table, schedule group, topic, log groups. */
    names: `${prefix}-*`,
    apiFunction: `${prefix}-api-*`,
    revokerFunction: `${prefix}-revoker-*`,
  };
}

/** `arn:<partition>:iam::*:role/<pattern>`: what aws:PrincipalArn looks like for a role session. */
export function roleArnPattern(partition: Partition, pathOrName: string): string {
  return `arn:${partition}:iam::*:role/${pathOrName}`;
}

export function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

/**
 * Whether every name glob `b` matches is also matched by glob `a` (ARN-style `*` and `?`). Sound, not
 * complete: `a` is matched against `b`'s text with `a`'s `?` not allowed to stand for `b`'s `*`.
 */
export function patternCovers(a: string, b: string): boolean {
  const re = a.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, "[^*]");
  return new RegExp(`^${re}$`).test(b);
}

/** Drop patterns another pattern already covers (keeps the SCP short); order preserved. */
export function minimalPatterns(patterns: string[]): string[] {
  const u = unique(patterns);
  return u.filter((b, i) => !u.some((a, j) => j !== i && patternCovers(a, b) && !(patternCovers(b, a) && j > i)));
}
