// Turns a validated stack file into the fully-resolved configuration the program uses:
// every default made explicit, dev and prod differing where users expect.
import type { RawStackConfig } from "./schema";
import { resolveAccessConfig, type AccessConfig } from "./access";
import type { ObjectLockConfig } from "./storage";
import { PUBLIC_ACCESS_BLOCK_DEFAULT, type OrgConfig } from "./org";
import type { PublicAccessBlockMode } from "../iam/orgS3Policy";
import { defaultCdnConfig, type CdnConfig } from "./cdn";
import { resolveAuditConfig, type AuditConfig } from "./audit";
import { resolveJitConfig, type JitConfig } from "./jit";
import { partitionOf, type Partition } from "../iam/arn";

export type Environment = "dev" | "prod";

export interface StorageConfig {
  bucketName: string;
  noncurrentVersionDays: number;
  abortIncompleteUploadDays: number;
  objectLock: ObjectLockConfig | false;
  immutableReleases: boolean;
  accessLogRetentionDays: number;
  kmsDeletionWindowDays: number;
}

export interface StackConfig {
  stack: string;
  /** The stack file the values came from, for messages. */
  stackFile: string;
  environment: Environment;
  accountId: string;
  region: string;
  /** The region's partition (aws, aws-cn, aws-us-gov): every ARN the stack builds names it (iam/arn.ts). */
  partition: Partition;
  protect: boolean;
  tags: Record<string, string>;
  storage: StorageConfig;
  /** Consumers, publisher, deployer role, permissions boundary (config/access.ts). */
  access: AccessConfig;
  /** Organizations SCP guardrails: set only in the management-account stack (config/org.ts). */
  organization: OrgConfig | null;
  /** Org stack whose SCPs the offline plan's access matrix includes (plan only). */
  scpStack: string | null;
  /** Account-wide S3 Block Public Access: set by the stack, or by the organization's S3 policy (config/org.ts). */
  publicAccessBlock: PublicAccessBlockMode;
  /** CloudFront distribution (config/cdn.ts); disabled unless the stack file enables it. */
  cdn: CdnConfig;
  /** CloudTrail audit trail (config/audit.ts); per-environment defaults resolved there. */
  audit: AuditConfig;
  /** Just-in-time elevation broker (config/jit.ts); disabled unless the stack file enables it. */
  jit: JitConfig;
}

export const DEFAULTS = {
  dev: { protect: false, noncurrentVersionDays: 7, objectLock: false as const, immutableReleases: false, accessLogRetentionDays: 30 },
  prod: {
    protect: true,
    noncurrentVersionDays: 90,
    objectLock: { mode: "GOVERNANCE", days: 30 } as ObjectLockConfig,
    immutableReleases: true,
    accessLogRetentionDays: 365,
  },
  abortIncompleteUploadDays: 7,
  kmsDeletionWindowDays: 30,
};

export function environmentFor(stack: string, declared?: Environment): Environment {
  return declared ?? (stack.startsWith("prod") ? "prod" : "dev");
}

export function resolveConfig(stack: string, stackFile: string, region: string, raw: RawStackConfig): StackConfig {
  const environment = environmentFor(stack, raw.environment);
  const d = DEFAULTS[environment];
  const partition = partitionOf(region);
  return {
    stack,
    stackFile,
    environment,
    accountId: raw.accountId,
    region,
    partition,
    protect: raw.protect ?? d.protect,
    tags: { ...(raw.tags ?? {}), "model-vault:stack": stack },
    storage: {
      // The org stack has no bucket (config/load.ts requires one everywhere else).
      bucketName: raw.bucketName ?? "",
      noncurrentVersionDays: raw.noncurrentVersionDays ?? d.noncurrentVersionDays,
      abortIncompleteUploadDays: raw.abortIncompleteUploadDays ?? DEFAULTS.abortIncompleteUploadDays,
      objectLock: raw.objectLock ?? d.objectLock,
      immutableReleases: raw.immutableReleases ?? d.immutableReleases,
      accessLogRetentionDays: raw.accessLogRetentionDays ?? d.accessLogRetentionDays,
      kmsDeletionWindowDays: raw.kmsDeletionWindowDays ?? DEFAULTS.kmsDeletionWindowDays,
    },
    access: resolveAccessConfig(raw),
    // An organization lives in one partition: its SCPs name that of the org stack's region (config/partition.ts refuses another).
    organization: raw.organization ? { ...raw.organization, partition } : null,
    scpStack: raw.scpStack ?? null,
    publicAccessBlock: raw.publicAccessBlock ?? PUBLIC_ACCESS_BLOCK_DEFAULT,
    cdn: raw.cdn ?? defaultCdnConfig(),
    audit: resolveAuditConfig(raw.audit, { environment, protect: raw.protect ?? d.protect }),
    jit: resolveJitConfig(raw.jit, environment),
  };
}
