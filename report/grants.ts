// What the plan lets each principal do on the model bucket, by prefix: the consumers, the publisher and the CDN
// from the stack's config and outputs, each operation kept only where the plan's access matrix (IAM evaluation of
// the deployed documents) says Allowed. The report judges the logs against these.
import type { StackConfig } from "../config";
import type { Plan } from "../plan/types";
import type { Grant, Op } from "./types";

/** The action the access matrix asks for each operation. */
const MATRIX_ACTION: Record<Op, string> = { read: "s3:GetObject", write: "s3:PutObject", delete: "s3:DeleteObject" };

/** CloudFront's Origin Access Control requests are made by this service principal. */
export const CDN_PRINCIPAL = "cloudfront.amazonaws.com";

function allowedByMatrix(plan: Plan, principal: string, op: Op): boolean {
  return (plan.access ?? []).some((c) => (c.kind ?? "design") === "design" && c.principal === principal && c.action === MATRIX_ACTION[op] && c.decision === "Allowed");
}

export function grantsFromPlan(plan: Plan, config: StackConfig): Grant[] {
  const out: Grant[] = [];
  const keep = (g: Grant) => {
    const ops = g.ops.filter((op) => allowedByMatrix(plan, g.principal, op));
    if (ops.length) out.push({ ...g, ops });
  };
  const consumerArns = (plan.outputs.consumerRoleArns ?? {}) as Record<string, string>;
  for (const c of config.access.consumers) {
    const arn = consumerArns[c.name];
    if (arn) keep({ principal: arn, label: `consumer ${c.name}`, ops: ["read"], prefixes: [...c.prefixes] });
  }
  const publisherArn = plan.outputs.publisherRoleArn;
  if (typeof publisherArn === "string" && config.access.publisher) {
    const p = config.access.publisher;
    keep({ principal: publisherArn, label: "publisher", ops: p.allowDelete ? ["write", "delete"] : ["write"], prefixes: [...p.prefixes], elevated: true });
  }
  if (config.cdn.enabled) keep({ principal: CDN_PRINCIPAL, label: "CDN (CloudFront OAC)", ops: ["read"], prefixes: [...config.cdn.prefixes] });
  return out;
}

/** Whether a grant covers this principal, operation and key. */
export function granted(grants: Grant[], principal: string, op: Op, key: string): Grant | undefined {
  return grants.find((g) => g.principal === principal && g.ops.includes(op) && g.prefixes.some((p) => key.startsWith(p)));
}

/** The prefix a key is reported under: the longest planned prefix it falls in, else its first two path levels. */
export function prefixOf(key: string, known: string[]): string {
  let best = "";
  for (const p of known) if (key.startsWith(p) && p.length > best.length) best = p;
  if (best) return best;
  const parts = key.split("/");
  if (parts.length <= 1) return "(bucket root)";
  return `${parts.slice(0, Math.min(2, parts.length - 1)).join("/")}/`;
}
