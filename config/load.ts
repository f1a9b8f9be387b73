// Validates a stack's raw configuration before anything is registered.
import { ConfigError, describeIssues, didYouMean } from "./errors";
import { JitConfigError } from "./jit";
import { awsRegion } from "./fields";
import { prefixesOutsideServed, servedPrefixes } from "./cdn";
import { DEFAULTS, environmentFor, resolveConfig, type StackConfig } from "./resolve";
import { checkAccessConfig, resolveAccessConfig } from "./access";
import { stackConfigSchema, type RawStackConfig } from "./schema";
import { partitionProblems } from "./partition";
import { documentSizeProblems } from "../iam/documentSizes";

export const NAMESPACE = "model-vault";

/**
 * Namespaces a stack file may use: this program's and those of the providers and the engine it
 * runs with. Anything else is a typo that would otherwise be ignored without a word.
 */
export const KNOWN_NAMESPACES: readonly string[] = [NAMESPACE, "aws", "kubernetes", "pulumi"];

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

/** Keys outside the known namespaces, and bare keys next to their namespaced twin (plan/stackFiles.ts keeps both). */
function namespaceProblems(all: Record<string, string>): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(all).sort()) {
    const colon = key.indexOf(":");
    if (colon < 0) {
      problems.push(`${key}: set both bare and as ${NAMESPACE}:${key}; Pulumi reads a bare key as ${NAMESPACE}:${key}, so one silently replaces the other: keep only ${NAMESPACE}:${key}`);
      continue;
    }
    const ns = key.slice(0, colon);
    if (KNOWN_NAMESPACES.includes(ns)) continue;
    const guess = didYouMean(ns, KNOWN_NAMESPACES);
    const rest = key.slice(colon + 1);
    problems.push(
      `${key}: unknown namespace ${ns}:${guess ? `; did you mean ${guess}:${rest}?` : ""} (this program reads ${NAMESPACE}: and its providers' ${KNOWN_NAMESPACES.filter((n) => n !== NAMESPACE).join(":, ")}:)`,
    );
  }
  return problems;
}

type Shape = typeof stackConfigSchema.shape;

/**
 * The keys that parse on their own, when the whole does not: the cross-key rules below still run on
 * them, so one run reports every problem of the file, not one area per run.
 */
function parseEachKey(mine: Record<string, unknown>, bad: ReadonlySet<string>): Partial<RawStackConfig> {
  const out: Record<string, unknown> = {};
  for (const [k, schema] of Object.entries(stackConfigSchema.shape as Shape)) {
    if (bad.has(k) || !(k in mine)) continue;
    const r = schema.safeParse(mine[k], { reportInput: true });
    if (r.success) out[k] = r.data;
  }
  return out as Partial<RawStackConfig>;
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
  const problems: string[] = namespaceProblems(all);
  const region = awsRegion.safeParse(all["aws:region"]);
  if (!region.success) problems.push(`aws:region: ${all["aws:region"] === undefined ? "is required" : region.error.issues[0].message}`);
  const parsed = stackConfigSchema.safeParse(mine, { reportInput: true });
  if (!parsed.success) problems.push(...describeIssues(NAMESPACE, parsed.error.issues, stackConfigSchema, mine));
  // Top-level keys with a problem of their own: rules across keys skip them rather than guess.
  const bad = new Set(parsed.success ? [] : parsed.error.issues.map((i) => String(i.path[0] ?? "")));
  const data: Partial<RawStackConfig> = parsed.success ? parsed.data : parseEachKey(mine, bad);
  const ok = (...keys: (keyof RawStackConfig)[]) => keys.every((k) => !bad.has(k));
  const env = ok("environment") ? environmentFor(stack, data.environment) : undefined;

  if (data.jit?.enabled && !data.publisher && ok("publisher")) {
    problems.push(`${NAMESPACE}:jit.enabled: the broker issues sessions of the publisher role; set ${NAMESPACE}:publisher too`);
  }
  if (ok("organization", "bucketName") && !data.organization && data.bucketName === undefined) {
    problems.push(`${NAMESPACE}:bucketName: is required (expected an S3 bucket name; only the org stack, with ${NAMESPACE}:organization, has none)`);
  }
  const accessOk = ok("consumers", "publisher", "deployerRoleArn", "permissionsBoundaryArn");
  // prod refuses a stack without a deployer role (config/access.ts); dev only warns, in the plan.
  if (accessOk && env) problems.push(...checkAccessConfig(resolveAccessConfig(data), env, NAMESPACE).problems);
  // IAM documents the config sizes (issue 17): over an AWS limit is a config error, before anything is registered.
  if (accessOk && region.success && ok("accountId", "bucketName", "jit") && data.accountId && data.bucketName)
    problems.push(...documentSizeProblems({ access: resolveAccessConfig(data), accountId: data.accountId, bucketName: data.bucketName, region: region.data, brokered: data.jit?.enabled === true }, NAMESPACE));
  // Deleting a key and uploading it again (If-None-Match then succeeds) would replace a release: the two cannot coexist.
  if (env && ok("immutableReleases") && data.publisher?.allowDelete && (data.immutableReleases ?? DEFAULTS[env].immutableReleases)) {
    problems.push(`${NAMESPACE}:publisher.allowDelete: must be false while ${NAMESPACE}:immutableReleases is on (a delete then a new upload would replace a published release)`);
  }
  // The distribution may only serve prefixes the bucket serves (config/cdn.ts).
  if (accessOk && data.cdn?.enabled) problems.push(...prefixesOutsideServed(data.cdn.prefixes, servedPrefixes(resolveAccessConfig(data))).map((m) => `${NAMESPACE}:${m}`));
  // What the region's partition lacks or contradicts (config/partition.ts).
  if (region.success) problems.push(...partitionProblems(NAMESPACE, region.data, data, mine));
  const allowed = decode(all["aws:allowedAccountIds"] ?? "[]");
  if (data.accountId !== undefined && Array.isArray(allowed) && allowed.length > 0 && !allowed.map(String).includes(data.accountId)) {
    problems.push(`aws:allowedAccountIds: ${JSON.stringify(allowed)} does not include model-vault:accountId ${data.accountId}`);
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
