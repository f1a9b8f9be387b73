// The whole stack configuration (namespace `model-vault:`), composed from one file per area.
// Every key is documented where it is declared, with its default; defaults that differ between
// dev and prod are resolved in ./resolve.ts.
import { z } from "zod";
import { accountId, flag, tagMap } from "./fields";
import { storageShape } from "./storage";
import { accessShape } from "./access";
import { organizationSchema, publicAccessBlockSchema, scpStackSchema } from "./org";
import { cdnConfigSchema } from "./cdn";
import { auditConfigSchema } from "./audit";
import { jitConfigSchema } from "./jit";

export const stackConfigSchema = z.strictObject({
  /** dev or prod: chooses the defaults below. Default: prod when the stack name starts with "prod", else dev. */
  environment: z.enum(["dev", "prod"], { error: "expected dev or prod" }).optional(),
  /** The AWS account the stack deploys into; every ARN and confused-deputy pin uses it. Required. */
  accountId,
  /** Protect data-bearing resources (protect + retainOnDelete). Default: prod true, dev false. */
  protect: flag().optional(),
  /** Tags on every taggable resource. Default: {}. */
  tags: tagMap.optional(),
  ...storageShape,
  /** consumers, publisher, deployerRoleArn, permissionsBoundaryArn: documented with their defaults in config/access.ts. */
  ...accessShape,
  /** Organizations SCP guardrails (config/org.ts): set only in the management-account stack (Pulumi.org.yaml). Default: none. */
  organization: organizationSchema.optional(),
  /** Workload stacks: the org stack whose SCPs the offline plan's access matrix includes (config/org.ts). Default: none. */
  scpStack: scpStackSchema.optional(),
  /** Account-wide S3 Block Public Access: manage (account setting) or organization (the org's S3 policy) (config/org.ts). Default: manage. */
  publicAccessBlock: publicAccessBlockSchema.optional(),
  /** CloudFront distribution with OAC and signed URLs (config/cdn.ts, docs/cdn.md). Default: disabled. */
  cdn: cdnConfigSchema.optional(),
  /** CloudTrail audit trail (config/audit.ts, docs/audit.md). Default: on, reads logged in prod only, logs locked when protect. */
  audit: auditConfigSchema.optional(),
  /** Just-in-time elevation broker for the publisher role (config/jit.ts, jit/README.md). Default: disabled. */
  jit: jitConfigSchema.optional(),
});

export type RawStackConfig = z.infer<typeof stackConfigSchema>;

/** The keys a stack file may set under `model-vault:`, for the "did you mean" list. */
export const validKeys: string[] = Object.keys(stackConfigSchema.shape).sort();
