// Question sets as data (plan/questions.ts): one runner asks a set's questions of the one evaluator
// and marks broken promises with one rule; the text renderers tell the sets apart by `kind`.
import * as assert from "assert";
import type { EvalRequest } from "../plan/decide";
import { markOf } from "../plan/expectation";
import { runQuestions, type Question } from "../plan/questions";
import { renderAccessSection } from "../plan/accessRender";
import { renderScpMatrixSection } from "../plan/scpRender";
import type { AccessCell, Plan } from "../plan/types";
import type { PolicyDocument } from "../iam/types";

const ROLE = "arn:aws:iam::111111111111:role/reader";
const OBJECT = "arn:aws:s3:::bucket-a/models/w.safetensors";
const KEY = "arn:aws:kms:us-east-1:111111111111:key/k";
const allow = (Sid: string, Action: string, Resource: string): PolicyDocument => ({ Version: "2012-10-17", Statement: [{ Sid, Effect: "Allow", Action, Resource }] });

function request(action: string, resource: string, policy: PolicyDocument): EvalRequest {
  return { principal: ROLE, action, resource, resourceAccount: "111111111111", context: { "aws:PrincipalArn": ROLE }, identityPolicies: [{ name: "reader", policy }] };
}

function question(steps: Question["steps"], expected: Question["expected"], denyKindMatters = true): Question {
  return { kind: "design", principal: ROLE, label: "reader", action: "s3:GetObject", resource: OBJECT, steps, expected, denyKindMatters, extra: undefined };
}

describe("plan/questions: one runner for every question set", () => {
  it("marks a broken promise: an Allow against a deny is a breach; explicit-for-implicit only where the set lets it pass", () => {
    assert.strictEqual(markOf("ImplicitlyDenied", "Allowed", false), "breach");
    assert.strictEqual(markOf("Allowed", "ImplicitlyDenied", false), "breach");
    assert.strictEqual(markOf("ImplicitlyDenied", "ExplicitlyDenied", false), "warning");
    assert.strictEqual(markOf("ImplicitlyDenied", "ExplicitlyDenied", true), "breach");
    assert.strictEqual(markOf("AllowedOrDenied", "Allowed", true), null);
  });

  it("a read S3 allows but KMS refuses is denied, named by the KMS step", async () => {
    const s3 = request("s3:GetObject", OBJECT, allow("Read", "s3:GetObject", "arn:aws:s3:::bucket-a/*"));
    const kms = request("kms:Decrypt", KEY, allow("Other", "kms:Decrypt", "arn:aws:kms:us-east-1:111111111111:key/other"));
    const [a] = await runQuestions([question([{ request: s3 }, { request: kms, prefix: "kms:Decrypt" }], "Allowed")], "test");
    assert.deepStrictEqual([a.decision, a.by, a.mark], ["ImplicitlyDenied", "kms:Decrypt: no Allow (identity)", "breach"]);
  });

  it("finds a promise from the decision when the set asks it to", async () => {
    const s3 = request("s3:GetObject", OBJECT, allow("Read", "s3:GetObject", "arn:aws:s3:::bucket-a/*"));
    const [a] = await runQuestions([question([{ request: s3 }], async (d) => (d === "Allowed" ? "ExplicitlyDenied" : d))], "test");
    assert.deepStrictEqual([a.decision, a.by, a.expected, a.mark], ["Allowed", "identity:reader/Read", "ExplicitlyDenied", "breach"]);
  });

  it("the renderers go by kind, not by a label that happens to look like the SCP rows'", () => {
    const cell = (kind: AccessCell["kind"], label: string): AccessCell => ({ principal: ROLE, label, action: "s3:GetObject", resource: OBJECT, decision: "Allowed", by: "x", expected: "Allowed", kind });
    const plan = { project: "p", stack: "s", resources: [], outputs: {}, access: [cell("design", "under SCPs: a consumer"), cell("scp", "admin")] } as Plan;
    assert.ok(renderAccessSection(plan).some((l) => l.includes("under SCPs: a consumer")));
    const scp = renderScpMatrixSection(plan).join("\n");
    assert.ok(scp.includes("admin") && !scp.includes("a consumer"), scp);
  });
});
