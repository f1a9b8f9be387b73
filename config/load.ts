// Validates a stack's raw configuration before anything is registered.
import { ConfigError, describeIssues } from "./errors";
import { JitConfigError } from "./jit";
import { awsRegion } from "./fields";
import { prefixesOutsideServed, servedPrefixes } from "./cdn";
import { DEFAULTS, environmentFor, resolveConfig, type StackConfig } from "./resolve";
import { checkAccessConfig, resolveAccessConfig } from "./access";
import { stackConfigSchema, validKeys } from "./schema";
import { partitionProblems } from "./partition";
import { documentSizeProblems } from "../iam/documentSizes";

export const NAMESPACE = "model-vault";

/** Pulumi passes structured values as JSON text and scalars as plain text. */
function decode(value: string): unknown {
  const t = value.trim();
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch {
      return value;
    }
  }
  return value;
}

/**
 * @param stack the stack name
 * @param all every config value as the Pulumi runtime holds it ("namespace:key" -> string)
 * @throws ConfigError naming the stack file, every bad key and what was expected
 */
export function loadStackConfig(stack: string, all: Record<string, string>): StackConfig {
  const stackFile = `Pulumi.${stack}.yaml`;
  const mine: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith(`${NAMESPACE}:`)) mine[k.slice(NAMESPACE.length + 1)] = decode(v);
  }
  const problems: string[] = [];
  const region = awsRegion.safeParse(all["aws:region"]);
  if (!region.success) problems.push(`aws:region: ${all["aws:region"] === undefined ? "is required" : region.error.issues[0].message}`);
  const parsed = stackConfigSchema.safeParse(mine, { reportInput: true });
  if (!parsed.success) problems.push(...describeIssues(NAMESPACE, parsed.error.issues, validKeys));
  if (parsed.success && parsed.data.jit?.enabled && !parsed.data.publisher) {
    problems.push(`${NAMESPACE}:jit.enabled: the broker issues sessions of the publisher role; set ${NAMESPACE}:publisher too`);
  }
  if (parsed.success && !parsed.data.organization && parsed.data.bucketName === undefined) {
    problems.push(`${NAMESPACE}:bucketName: is required (expected an S3 bucket name; only the org stack, with ${NAMESPACE}:organization, has none)`);
  }
  // prod refuses a stack without a deployer role (config/access.ts); dev only warns, in the plan.
  if (parsed.success) problems.push(...checkAccessConfig(resolveAccessConfig(parsed.data), environmentFor(stack, parsed.data.environment), NAMESPACE).problems);
  // IAM documents the config sizes (issue 17): over an AWS limit is a config error, before anything is registered.
  if (parsed.success && region.success && parsed.data.bucketName) problems.push(...documentSizeProblems({ access: resolveAccessConfig(parsed.data), accountId: parsed.data.accountId, bucketName: parsed.data.bucketName, region: region.data, brokered: parsed.data.jit?.enabled === true }, NAMESPACE));
  // Deleting a key and uploading it again (If-None-Match then succeeds) would replace a release: the two cannot coexist.
  if (parsed.success && parsed.data.publisher?.allowDelete && (parsed.data.immutableReleases ?? DEFAULTS[environmentFor(stack, parsed.data.environment)].immutableReleases)) {
    problems.push(`${NAMESPACE}:publisher.allowDelete: must be false while ${NAMESPACE}:immutableReleases is on (a delete then a new upload would replace a published release)`);
  }
  // The distribution may only serve prefixes the bucket serves (config/cdn.ts).
  if (parsed.success && parsed.data.cdn?.enabled) problems.push(...prefixesOutsideServed(parsed.data.cdn.prefixes, servedPrefixes(resolveAccessConfig(parsed.data))).map((m) => `${NAMESPACE}:${m}`));
  // What the region's partition lacks or contradicts (config/partition.ts).
  if (parsed.success && region.success) problems.push(...partitionProblems(NAMESPACE, region.data, parsed.data, mine));
  const allowed = decode(all["aws:allowedAccountIds"] ?? "[]");
  if (parsed.success && Array.isArray(allowed) && allowed.length > 0 && !allowed.map(String).includes(parsed.data.accountId)) {
    problems.push(`aws:allowedAccountIds: ${JSON.stringify(allowed)} does not include model-vault:accountId ${parsed.data.accountId}`);
  }
  if (problems.length > 0 || !parsed.success || !region.success) throw new ConfigError(stackFile, problems);
  try {
    return resolveConfig(stack, stackFile, region.data, parsed.data);
  } catch (e) {
    // Cross-key rules of the broker section (approvers vs approvals, prod ticket pattern).
    if (e instanceof JitConfigError) throw new ConfigError(stackFile, e.message.split("; ").map((m) => `${NAMESPACE}:${m}`));
    throw e;
  }
}
