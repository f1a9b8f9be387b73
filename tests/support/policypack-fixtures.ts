// Builders for tests, fuzzing and the bench: plan resources and single-rule runs.
// Test-only (the bench uses it too): it imports plan/, so it must not ship in policypack/.

import type { PlanResource, PolicyViolation } from "../../plan/types";
import { evaluatePolicyPack, PackConfig } from "../../plan/policy";
import { policies } from "../../policypack/policies";

let counter = 0;

export function resource(type: string, inputs: Record<string, unknown>, outputs?: Record<string, unknown>, name?: string): PlanResource {
  const n = name ?? `r${++counter}`;
  const t = type.split(":").pop() ?? type;
  return {
    urn: `urn:pulumi:test::model-vault::${type}::${n}`,
    type,
    name: n,
    parent: null,
    custom: true,
    inputs,
    outputs: outputs ?? { ...inputs, id: `${t}-${n}` },
    options: { protect: false, retainOnDelete: false },
  };
}

/** Violations of one rule (by name) over the given resources, every rule at its default level. */
export function violationsOf(rule: string, resources: PlanResource[], config: PackConfig = {}): PolicyViolation[] {
  const p = policies.filter((x) => x.name === rule);
  if (p.length !== 1) throw new Error(`no rule named ${rule}`);
  return evaluatePolicyPack(resources, "test", config, { policies: p });
}

export function doc(...statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}
