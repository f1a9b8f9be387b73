// Test helper: one IAM evaluation of a resource policy with iam-simulate (dev-only, AGPL).
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../iam/types";

export async function runIamSimulation(policy: PolicyDocument, principal: string, action: string, resource: string, ctx: Record<string, string>, accountId = "111111111111"): Promise<string> {
  const r = await runSimulation(
    {
      request: { principal, action, resource: { resource, accountId }, contextVariables: ctx },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy as never,
    },
    {},
  );
  if (r.resultType === "error") throw new Error(JSON.stringify(r.errors));
  return r.overallResult;
}
