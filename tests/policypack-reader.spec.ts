// The IAM-document reader: every shape AWS accepts, every resource type that carries a document,
// and malformed input reported (never thrown).
import * as assert from "assert";
import { parseDocument } from "../policypack/iam/document";
import { documentsOf } from "../policypack/iam/reader";
import { doc, resource, violationsOf } from "./support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";
import { UNKNOWN_STRING } from "../policypack/lib/unknown";

describe("policypack: IAM-document reader", () => {
  it("reads JSON strings and objects, Statement as object or array, values as string or array", () => {
    const a = parseDocument('{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}}', ".policy", "identity");
    const b = parseDocument({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["*"] }] }, ".policy", "identity");
    for (const d of [a, b]) {
      assert.deepStrictEqual(d.errors, []);
      assert.deepStrictEqual(d.statements[0].action, ["s3:GetObject"]);
      assert.deepStrictEqual(d.statements[0].resource, ["*"]);
    }
  });
  it("normalises principals", () => {
    const d = parseDocument(doc({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"], Service: "s3.amazonaws.com" }, Action: "s3:GetObject", Resource: "*" }), ".policy", "resource");
    const p = d.statements[0].principal;
    assert.ok(p?.star);
    assert.deepStrictEqual(p?.service, ["s3.amazonaws.com"]);
  });
  const malformed: [string, unknown][] = [
    ["not JSON", "{"],
    ["a JSON array", "[]"],
    ["no Statement", "{}"],
    ["a non-object statement", { Statement: [42] }],
    ["a bad Effect", { Statement: { Effect: "allow", Action: "s3:GetObject", Resource: "*" } }],
    ["no Action", { Statement: { Effect: "Allow", Resource: "*" } }],
    ["a non-string action", { Statement: { Effect: "Allow", Action: [1], Resource: "*" } }],
    ["a Principal in an identity policy", { Statement: { Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" } }],
    ["a bad Condition", { Statement: { Effect: "Allow", Action: "s3:GetObject", Resource: "*", Condition: "x" } }],
    ["null", null],
  ];
  for (const [what, raw] of malformed) {
    it(`reports ${what} as an error`, () => assert.ok(parseDocument(raw, ".policy", "identity").errors.length > 0));
  }
  it("makes an unreadable document a mandatory violation that says where and why", () => {
    const v = violationsOf("iam-document-readable", [resource(T.rolePolicy, { role: "r", policy: "{not json" })]);
    assert.strictEqual(v.length, 1);
    assert.strictEqual(v[0].level, "mandatory");
    assert.match(v[0].message, /\.policy is not valid JSON/);
  });
  it("finds the documents of every resource type that carries one", () => {
    const p = doc({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: "*" });
    const id = doc({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" });
    const cases: [string, Record<string, unknown>, number][] = [
      [T.managedPolicy, { policy: id }, 1],
      [T.rolePolicy, { policy: id }, 1],
      [T.userPolicy, { policy: id }, 1],
      [T.groupPolicy, { policy: id }, 1],
      [T.role, { assumeRolePolicy: p, inlinePolicies: [{ name: "a", policy: id }, { name: "b", policy: id }] }, 3],
      [T.bucketPolicy, { policy: p }, 1],
      [T.accessPoint, { policy: p }, 1],
      [T.kmsKey, { policy: p }, 1],
      [T.kmsKeyPolicy, { policy: p }, 1],
      [T.topicPolicy, { policy: p }, 1],
      [T.queuePolicy, { policy: p }, 1],
      [T.orgPolicy, { content: id }, 1],
      [T.orgPolicy, { content: "{}", type: "TAG_POLICY" }, 0],
      [T.lambdaPermission, { action: "lambda:InvokeFunction", principal: "s3.amazonaws.com", function: "f" }, 1],
    ];
    for (const [type, props, n] of cases) assert.strictEqual(documentsOf(type, props).length, n, type);
  });
  it("notes a document not known at preview as advisory, and other rules skip it", () => {
    const r = resource(T.bucketPolicy, { bucket: "b", policy: UNKNOWN_STRING });
    const v = violationsOf("iam-document-readable", [r]);
    assert.strictEqual(v.length, 1);
    assert.strictEqual(v[0].level, "advisory");
    assert.match(v[0].message, /not known yet/);
    assert.strictEqual(violationsOf("no-public-principals", [r]).length, 0);
  });
});

describe("policypack: values not known at preview", () => {
  const U = UNKNOWN_STRING;
  const bp = (st: Record<string, unknown>) => resource(T.bucketPolicy, { bucket: "models", policy: { Version: "2012-10-17", Statement: [st] } });
  it("judges the known parts: a public principal next to an unknown Resource is a mandatory violation at preview", () => {
    const v = violationsOf("no-public-principals", [bp({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: U })]);
    assert.deepStrictEqual(v.map((x) => x.level), ["mandatory"]);
  });
  it("says 'not known yet' (advisory) only where the answer depends on the unknown: the pin's value", () => {
    const v = violationsOf("no-public-principals", [bp({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::models/*", Condition: { StringEquals: { "aws:SourceVpce": U } } })]);
    assert.strictEqual(v.length, 1);
    assert.strictEqual(v[0].level, "advisory");
    assert.match(v[0].message, /^not known yet: .*Condition/);
  });
  it("an unknown principal ARN with exact actions raises nothing", () => {
    assert.deepStrictEqual(violationsOf("no-public-principals", [bp({ Effect: "Allow", Principal: { AWS: U }, Action: "s3:GetObject", Resource: "arn:aws:s3:::models/*" })]), []);
    assert.deepStrictEqual(violationsOf("no-wildcard-actions", [bp({ Effect: "Allow", Principal: { AWS: U }, Action: "s3:GetObject", Resource: "arn:aws:s3:::models/*" })]), []);
  });
  it("a wholly unknown document is one advisory note", () => {
    const v = violationsOf("iam-document-readable", [resource(T.managedPolicy, { policy: U })]);
    assert.deepStrictEqual(v.map((x) => x.level), ["advisory"]);
  });
});

describe("policypack: an unknown Effect or action is noted, not skipped silently", () => {
  it("notes the statement's unknown Effect as advisory", () => {
    const r = resource(T.managedPolicy, { policy: { Version: "2012-10-17", Statement: [{ Effect: UNKNOWN_STRING, Action: "s3:GetObject", Resource: "*" }] } });
    const v = violationsOf("iam-document-readable", [r]);
    assert.deepStrictEqual(v.map((x) => x.level), ["advisory"]);
    assert.match(v[0].message, /Statement\[0\]\.Effect/);
  });
});
