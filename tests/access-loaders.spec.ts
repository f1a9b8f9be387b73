// Issue 15 item 7: the design matrix covers what model loaders really call (HeadObject, a ranged
// GetObject, ListObjectsV2 with a prefix and a delimiter one directory below the granted prefix), so
// a consumer that can "read" can really load, inside its prefixes only.
import { strict as assert } from "node:assert";
import { accessModelFromPlan, evaluateAccessModel, type MatrixCell } from "../plan/access";
import type { PlanResult } from "../plan/build";
import type { PolicyDocument } from "../iam/types";
import { planFor } from "./support/plans";

const OPERATIONS = ["HeadObject", "GetObject-Range", "ListObjectsV2"];

describe("access matrix: what loaders call", () => {
  let result: PlanResult;
  before(async () => {
    result = await planFor("dev");
  });

  it("asks each consumer's loader calls inside its prefixes (allowed) and outside (denied), as the IAM actions AWS authorizes them", () => {
    const cells = (result.plan.access ?? []) as MatrixCell[];
    const consumers = new Set(cells.filter((c) => c.label.startsWith("consumer ")).map((c) => c.label));
    assert.ok(consumers.size >= 2);
    for (const label of consumers) {
      const rows = cells.filter((c) => c.label === label && c.operation);
      assert.deepEqual(rows.map((c) => `${c.operation}(${c.scope})`).sort(), OPERATIONS.flatMap((o) => [`${o}(inside)`, `${o}(outside)`]).sort(), label);
      for (const c of rows) {
        assert.equal(c.action, c.operation === "ListObjectsV2" ? "s3:ListBucket" : "s3:GetObject");
        assert.equal(c.decision, c.scope === "inside" ? "Allowed" : "ImplicitlyDenied", `${label} ${c.operation} ${c.scope}: ${c.by}`);
        if (c.operation === "ListObjectsV2") assert.equal(c.context?.["s3:delimiter"], "/");
      }
    }
  });

  it("catches a consumer that may list its prefix but not walk below it (the old ListBucket rows did not)", async () => {
    const { model } = accessModelFromPlan(result.plan, result.config);
    const consumer = model.principals.find((p) => p.kind === "consumer")!;
    // Listing granted on the exact prefix only: `aws s3 ls` of the prefix works, a loader walking the model does not.
    consumer.identityPolicies = consumer.identityPolicies.map((np) => {
      const policy = JSON.parse(JSON.stringify(np.policy)) as PolicyDocument;
      for (const st of policy.Statement) if (st.Sid === "ListInsidePrefixes") st.Condition = { StringEquals: { "s3:prefix": consumer.prefixes } };
      return { ...np, policy };
    });
    model.principals = [consumer];
    const { cells, breaches } = await evaluateAccessModel(model);
    const row = (op: string | undefined, action: string) => cells.find((c) => c.scope === "inside" && c.operation === op && c.action === action)!;
    assert.equal(row(undefined, "s3:ListBucket").decision, "Allowed");
    assert.equal(row("ListObjectsV2", "s3:ListBucket").decision, "ImplicitlyDenied");
    assert.equal(breaches.length, 1, breaches.join("\n"));
    assert.match(breaches[0], /ListObjectsV2 \(s3:ListBucket\) on .* is ImplicitlyDenied, expected Allowed/);
  });
});
