// Field types shared by every config section. Pulumi hands scalar config values to the program
// as strings ("30", "true") and structured values as JSON, so scalars accept both forms.
import { z } from "zod";

/** A whole number >= min, given as a number or a numeric string. */
export function wholeNumber(min: number, max?: number) {
  let n = z.number({ error: "expected a whole number" }).int("expected a whole number").min(min, `expected a whole number >= ${min}`);
  if (max !== undefined) n = n.max(max, `expected a whole number <= ${max}`);
  return z.preprocess((v) => (typeof v === "string" && /^-?\d+$/.test(v.trim()) ? Number(v) : v), n);
}

/** A boolean, given as true/false or "true"/"false". */
export function flag() {
  return z.preprocess(
    (v) => (v === "true" ? true : v === "false" ? false : v),
    z.boolean({ error: "expected true or false" }),
  );
}

export const accountId = z.string({ error: "expected a 12-digit AWS account id" }).regex(/^\d{12}$/, "expected a 12-digit AWS account id");

// Commercial, GovCloud and China partitions; what matters here is catching typos like "us-east1" or "eu-west".
export const awsRegion = z
  .string({ error: "expected an AWS region such as us-east-1" })
  .regex(/^(us|eu|ap|sa|ca|me|af|il|mx|cn|us-gov)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/, "expected an AWS region such as us-east-1");

/** An IAM role ARN (config/partition.ts checks its partition against aws:region's). */
export const roleArn = z
  .string({ error: "expected an IAM role ARN (arn:aws:iam::123456789012:role/NAME)" })
  .regex(/^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@\-/]{1,512}$/, "expected an IAM role ARN (arn:aws:iam::123456789012:role/NAME)");

/** A managed policy ARN, used for permissions boundaries. */
export const policyArn = z
  .string({ error: "expected an IAM policy ARN (arn:aws:iam::123456789012:policy/NAME)" })
  .regex(/^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}|aws):policy\/[\w+=,.@\-/]{1,512}$/, "expected an IAM policy ARN (arn:aws:iam::123456789012:policy/NAME)");

/**
 * An object-key prefix a grant is scoped to: no wildcard, no "..", no leading slash, ends with "/"
 * so that "models/a/" can never match "models/ab/...".
 */
export const keyPrefix = z
  .string({ error: "expected an object-key prefix such as models/llama/" })
  .min(1, "expected a non-empty prefix")
  .refine((p) => !/[*?]/.test(p), "a prefix may not contain wildcards (* or ?)")
  .refine((p) => !p.split("/").includes(".."), "a prefix may not contain '..'")
  .refine((p) => !p.startsWith("/"), "a prefix may not start with '/'")
  .refine((p) => p.endsWith("/"), "a prefix must end with '/' (e.g. models/llama/)")
  .refine((p) => !/[\u0000-\u001f${}"\\]/.test(p), "a prefix may not contain control characters, quotes, backslashes, '$', '{' or '}'");

/**
 * Text that `pulumi config set --path` may have stored as a YAML number or boolean (it types
 * integers and true/false: https://www.pulumi.com/docs/iac/cli/commands/pulumi_config_set/):
 * read back as the text that was typed. Only whole numbers JavaScript holds exactly; anything else
 * stays a type error whose message gives the `--type string` fix (config/errors.ts).
 */
export function configText<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => ((typeof v === "number" && Number.isSafeInteger(v)) || typeof v === "boolean" ? String(v) : v), schema);
}

export const tagMap = z.record(
  z.string().min(1).max(128).regex(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, "tag keys may use letters, digits, spaces and _ . : / = + - @"),
  configText(z.string({ error: "expected a tag value (text)" }).max(256, "a tag value has at most 256 characters")),
  { error: "expected a map of tag names to strings" },
);
