// plan/planDocuments.ts reads each role's policies through an index of the plan's role policies
// and attachments by the role they name (instead of filtering all of them for every role): a role
// still gets every policy that names it by name, id or ARN, in plan order, and none of another's.
import { strict as assert } from "node:assert";
import { planDocuments } from "../plan/planDocuments";
import type { PlanResource } from "../plan/types";
import { planResource } from "./support/plans";

const ACCOUNT = "111111111111";
const res = planResource;
const doc = (action: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
const role = (name: string) => res("aws:iam/role:Role", name, { name, assumeRolePolicy: doc("sts:AssumeRole") }, { id: name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}` });
const inline = (name: string, roleRef: string, action: string) => res("aws:iam/rolePolicy:RolePolicy", name, { role: roleRef, policy: doc(action) });
const attach = (name: string, roleRef: string, policyArn: string) => res("aws:iam/rolePolicyAttachment:RolePolicyAttachment", name, { role: roleRef, policyArn });
const managed = (name: string, action: string) => res("aws:iam/policy:Policy", name, { policy: doc(action) }, { arn: `arn:aws:iam::${ACCOUNT}:policy/${name}` });

describe("plan documents: each role's own policies, through the index", () => {
  it("every policy naming the role by name, id or ARN, in plan order; none of another role's", () => {
    const resources = [
      role("a"),
      role("b"),
      inline("a-by-arn", `arn:aws:iam::${ACCOUNT}:role/a`, "s3:GetObject"),
      inline("b-own", "b", "s3:PutObject"),
      inline("a-by-name", "a", "kms:Decrypt"),
      managed("shared", "s3:ListBucket"),
      attach("a-attached", "a", `arn:aws:iam::${ACCOUNT}:policy/shared`),
      attach("b-attached", `arn:aws:iam::${ACCOUNT}:role/b`, `arn:aws:iam::${ACCOUNT}:policy/shared`),
      inline("a-last", "a", "s3:ListBucket"),
    ];
    const docs = planDocuments({ resources });
    const warnings: string[] = [];
    const names = (r: PlanResource) => docs.role(r, r.name, (w) => warnings.push(w)).identityPolicies.map((p) => p.name);
    assert.deepEqual(names(resources[0]), ["a-by-arn", "a-by-name", "a-last", "a-attached"]);
    assert.deepEqual(names(resources[1]), ["b-own", "b-attached"]);
    assert.deepEqual(docs.role(resources[0], "a", () => undefined).attachedPolicyArns, [`arn:aws:iam::${ACCOUNT}:policy/shared`]);
    assert.deepEqual(warnings, []);
  });
});
