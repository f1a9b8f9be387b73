import type { PolicyDocument } from "../../iam/types";
// Plans are built once per stack per test process: the Pulumi runtime is process-wide and a plan
// takes a second or so, so specs share them instead of each running their own.
import { buildPlan, type PlanResult } from "../../plan/build";
import type { PlanResource } from "../../plan/types";

const cache = new Map<string, Promise<PlanResult>>();
let queue: Promise<unknown> = Promise.resolve();

/** Runs one plan at a time, whatever order specs ask in. */
export function serially<T>(fn: () => Promise<T>): Promise<T> {
  const p = queue.then(fn);
  queue = p.catch(() => undefined);
  return p;
}

export function planFor(stack: string): Promise<PlanResult> {
  let p = cache.get(stack);
  if (!p) {
    p = serially(() => buildPlan(stack));
    cache.set(stack, p);
  }
  return p;
}

export function ofType(resources: PlanResource[], type: string): PlanResource[] {
  return resources.filter((r) => r.type === type);
}

export function one(resources: PlanResource[], type: string, name?: string): PlanResource {
  const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${found.length}`);
  return found[0];
}

/** Parses an IAM document input (the provider receives JSON strings). */
export function doc(value: unknown): { Statement: Record<string, unknown>[] } {
  return typeof value === "string" ? JSON.parse(value) : (value as { Statement: Record<string, unknown>[] });
}

/** The documents of one type the org stack's plan registers (the guardrails as AWS would receive them). */
export async function orgPolicyDocuments(type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY"): Promise<PolicyDocument[]> {
  const org = await planFor("org");
  return ofType(org.plan.resources, "aws:organizations/policy:Policy")
    .filter((r) => r.inputs.type === type)
    .map((r) => JSON.parse(String(r.inputs.content)) as PolicyDocument);
}

/** The SCP documents the org stack's plan registers. */
export function orgScpDocuments(): Promise<PolicyDocument[]> {
  return orgPolicyDocuments("SERVICE_CONTROL_POLICY");
}

/** The documents with one statement taken out: the guard a test proves the analysis depends on. */
export function withoutStatement<D extends PolicyDocument>(docs: D[], sid: string): D[] {
  return docs.map((d) => ({ ...d, Statement: d.Statement.filter((s) => s.Sid !== sid) }));
}

/** One planned resource as a test writes it (dev stack URN, custom, unprotected). */
export function planResource(type: string, name: string, inputs: Record<string, unknown>, outputs: Record<string, unknown> = {}): PlanResource {
  return { urn: `urn:pulumi:dev::model-vault::${type}::${name}`, type, name, parent: null, custom: true, inputs, outputs, options: { protect: false, retainOnDelete: false } };
}
