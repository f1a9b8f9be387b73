// Robustness: random and malformed documents and resources through every rule; none may throw.
// evaluatePolicyPack turns a throw into a "rule failed" violation, so we look for those.
import * as assert from "assert";
import fc from "fast-check";
import { evaluatePolicyPack } from "../plan/policy";
import { parseDocument } from "../policypack/iam/document";
import { resource } from "./support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";
import { UNKNOWN_STRING } from "../policypack/lib/unknown";

const TYPES = Object.values(T);
const str = fc.oneof(
  fc.constantFrom("*", "s3:*", "s3:Get*", "s3:GetObject", "iam:PassRole", "arn:aws:s3:::b/*", "Allow", "Deny", "aws:SourceArn", "", UNKNOWN_STRING, "__proto__", "constructor", "0.0.0.0/0"),
  fc.string(),
);
const leaf = fc.oneof(str, fc.integer(), fc.boolean(), fc.constant(null), fc.double());
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("value"), { maxLength: 4 }), fc.dictionary(str, tie("value"), { maxKeys: 4 })),
})).value;
const statement = fc.record(
  {
    Effect: fc.oneof(fc.constantFrom("Allow", "Deny"), leaf),
    Action: fc.oneof(str, fc.array(str, { maxLength: 3 }), json),
    NotAction: fc.oneof(str, json),
    Resource: fc.oneof(str, fc.array(str, { maxLength: 3 }), json),
    Principal: fc.oneof(fc.constant("*"), fc.record({ AWS: fc.oneof(str, fc.array(str)) }), fc.record({ Service: str, Federated: str }), json),
    NotPrincipal: json,
    Condition: fc.oneof(fc.dictionary(str, fc.dictionary(str, fc.oneof(str, fc.array(str)))), json),
  },
  { requiredKeys: [] },
);
const document = fc.oneof(
  fc.record({ Version: fc.oneof(fc.constant("2012-10-17"), leaf), Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 }), json) }, { requiredKeys: [] }),
  json,
);
const docValue = fc.oneof(document.map((d) => JSON.stringify(d) ?? "null"), document, fc.string(), fc.constant(UNKNOWN_STRING));
const props = fc.record(
  {
    policy: docValue,
    assumeRolePolicy: docValue,
    content: docValue,
    inlinePolicies: fc.oneof(fc.array(fc.record({ name: str, policy: docValue }), { maxLength: 3 }), json),
    principal: fc.oneof(str, json),
    action: fc.oneof(str, json),
    sourceArn: str,
    functionUrlAuthType: fc.constantFrom("NONE", "AWS_IAM", UNKNOWN_STRING),
    type: fc.oneof(fc.constantFrom("SERVICE_CONTROL_POLICY", "RESOURCE_CONTROL_POLICY", "TAG_POLICY"), leaf),
    tags: fc.oneof(fc.constant({ "model-vault:role": "model-bucket" }), fc.constant({ "model-vault:role": "elevated", "model-vault:signed-urls": "required" }), json),
    bucket: fc.oneof(fc.constant("models"), str, leaf),
    blockPublicAcls: leaf,
    restrictPublicBuckets: leaf,
    acl: str,
    grants: json,
    accessControlPolicy: json,
    origins: fc.oneof(fc.array(fc.record({ domainName: fc.oneof(fc.constant("models.s3.us-east-1.amazonaws.com"), str), originAccessControlId: leaf, s3OriginConfig: json, customOriginConfig: json }), { maxLength: 2 }), json),
    defaultCacheBehavior: json,
    orderedCacheBehaviors: json,
    viewerCertificate: json,
    maxSessionDuration: leaf,
    enableKeyRotation: leaf,
    rules: json,
    versioningConfiguration: json,
    eventSelectors: json,
    advancedEventSelectors: json,
    arn: str,
    role: str,
  },
  { requiredKeys: [] },
);
const planResource = fc.record({ type: fc.constantFrom(...TYPES), inputs: props }).map(({ type, inputs }) => resource(type, inputs as Record<string, unknown>));

describe("policypack: fuzz (no rule ever throws)", function () {
  this.timeout(300_000);
  it("parseDocument never throws on 10,000 random values", () => {
    fc.assert(fc.property(fc.oneof(docValue, json), (v) => {
      parseDocument(v, ".policy", "resource");
    }), { numRuns: 10_000 });
  });
  it("every rule survives 10,000 random resources (in stacks of 3-4)", () => {
    let seen = 0;
    fc.assert(
      fc.property(fc.array(planResource, { minLength: 3, maxLength: 4 }), (rs) => {
        seen += rs.length;
        const failed = evaluatePolicyPack(rs, "fuzz", { all: "mandatory" }).filter((v) => v.message.startsWith("rule failed"));
        assert.deepStrictEqual(failed, []);
      }),
      { numRuns: 4_000 },
    );
    assert.ok(seen >= 10_000, `only ${seen} resources`);
  });
});
