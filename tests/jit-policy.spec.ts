// Session policy, STS parameters and revocation deny, proven with an IAM evaluation engine
// (@cloud-copilot/iam-simulate, dev-only) and a mocked STS client.
import { strict as assert } from "assert";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { buildSessionPolicy } from "../jit/session-policy";
import { SESSION_POLICY_MAX } from "../iam/limits";
import { assumeRoleParams, MAX_SESSION_SECONDS, MIN_SESSION_SECONDS } from "../jit/sts-params";
import { revocationPolicy, idsToDeny } from "../jit/revocation";
import { StsIssuer, atExpression } from "../jit/aws-adapters";
import { applyTransition, decide, openRequest } from "../jit/state-machine";
import { MAX_PREFIX_LENGTH } from "../config/jit";
import { toJson, type PolicyDocument } from "../iam/types";
import { alice, at, bob, testConfig, T0 } from "./jit-fixtures";
import { decide as evaluate } from "./support/iam";

const ACCOUNT = "111111111111";
const target = { elevatedRoleArn: `arn:aws:iam::${ACCOUNT}:role/model-vault-elevated`, bucketName: "mv-models", region: "eu-west-1", accountId: ACCOUNT };
const cfg = testConfig();

function approved(prefix = "models/llama/", actions: ("write" | "delete")[] = ["write"]) {
  const r = openRequest({ prefix, actions, minutes: 30, reason: "publish" }, alice, cfg, T0, "abcdef0123456789");
  return applyTransition(r, decide(r, { kind: "approve" }, bob, cfg, T0));
}

// The elevated role as the access issue describes it: writes on models/, KMS via S3.
const elevated: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts", "s3:DeleteObject"], Resource: "arn:aws:s3:::mv-models/models/*" },
    { Effect: "Allow", Action: "s3:ListBucket", Resource: "arn:aws:s3:::mv-models" },
  ],
};

function decision(action: string, resource: string, when: Date, session: PolicyDocument, extra: PolicyDocument[] = [], ctx: Record<string, string> = {}): Promise<string> {
  return evaluate({
    principal: `arn:aws:sts::${ACCOUNT}:assumed-role/model-vault-elevated/jit-abcdef0123456789`,
    action,
    resource,
    accountId: ACCOUNT,
    context: { "aws:CurrentTime": when.toISOString(), "aws:PrincipalTag/jit-request-id": "abcdef0123456789", ...ctx },
    identityPolicies: [elevated, ...extra],
    sessionPolicy: session,
  });
}

describe("jit session policy (IAM engine)", () => {
  const session = buildSessionPolicy(approved(), target);
  const inside = "arn:aws:s3:::mv-models/models/llama/model.safetensors";

  it("allows the approved action inside the prefix before the window's end", async () => {
    assert.equal(await decision("s3:PutObject", inside, at(29), session), "Allowed");
    assert.equal(await decision("s3:ListBucket", "arn:aws:s3:::mv-models", at(1), session, [], { "s3:prefix": "models/llama/" }), "Allowed");
  });
  it("denies after the window's end even though the role still allows it", async () => {
    assert.equal(await decision("s3:PutObject", inside, at(30), session), "ImplicitlyDenied");
    assert.equal(await decision("s3:PutObject", inside, at(90), session), "ImplicitlyDenied");
  });
  it("denies outside the prefix, a sibling prefix, and actions not approved", async () => {
    assert.equal(await decision("s3:PutObject", "arn:aws:s3:::mv-models/models/mistral/x", at(1), session), "ImplicitlyDenied");
    assert.equal(await decision("s3:PutObject", "arn:aws:s3:::mv-models/models/llama-evil/x", at(1), session), "ImplicitlyDenied");
    assert.equal(await decision("s3:DeleteObject", inside, at(1), session), "ImplicitlyDenied");
    assert.equal(await decision("s3:ListBucket", "arn:aws:s3:::mv-models", at(1), session, [], { "s3:prefix": "models/" }), "ImplicitlyDenied");
  });
  it("allows delete only when approved", async () => {
    const both = buildSessionPolicy(approved("models/llama/", ["write", "delete"]), target);
    assert.equal(await decision("s3:DeleteObject", inside, at(1), both), "Allowed");
  });
  it("a revocation deny on the session tag cuts a session that is otherwise allowed", async () => {
    const deny = revocationPolicy(["abcdef0123456789"]);
    assert.ok(deny);
    assert.equal(await decision("s3:PutObject", inside, at(1), session, [deny]), "ExplicitlyDenied");
    const other = revocationPolicy(["0000000000000000"]);
    assert.ok(other);
    assert.equal(await decision("s3:PutObject", inside, at(1), session, [other]), "Allowed");
  });
  it("stays within STS's 2,048 characters for the largest request the config allows", () => {
    const longest = `models/${"a".repeat(MAX_PREFIX_LENGTH - 8)}/`;
    assert.equal(longest.length, MAX_PREFIX_LENGTH);
    const big = buildSessionPolicy(approved(longest, ["write", "delete"]), {
      ...target,
      bucketName: "b".repeat(63),
      region: "ap-southeast-7",
      kmsKeyArn: `arn:aws:kms:ap-southeast-7:${ACCOUNT}:key/mrk-${"f".repeat(32)}`,
    });
    const n = toJson(big).length;
    assert.ok(n <= SESSION_POLICY_MAX, `${n} characters`);
  });
});

describe("jit STS parameters", () => {
  it("sends exactly the AssumeRole call the issue specifies, on a mocked client", async () => {
    const sent: unknown[] = [];
    const sts = {
      send: async (cmd: unknown) => {
        sent.push(cmd);
        return { Credentials: { AccessKeyId: "ASIA", SecretAccessKey: "s", SessionToken: "t", Expiration: at(30) } };
      },
    };
    const req = applyTransition(approved(), decide(approved(), { kind: "claim" }, alice, cfg, at(1)));
    const params = assumeRoleParams(req, target, at(1));
    const creds = await new StsIssuer(sts as never).issue(params);
    assert.equal(creds.Expiration, at(30).toISOString());
    assert.ok(sent[0] instanceof AssumeRoleCommand);
    const input = (sent[0] as AssumeRoleCommand).input;
    assert.equal(input.RoleArn, target.elevatedRoleArn);
    assert.equal(input.RoleSessionName, "jit-abcdef0123456789");
    assert.equal(input.SourceIdentity, "alice");
    assert.deepEqual(input.Tags, [{ Key: "jit-request-id", Value: "abcdef0123456789" }]);
    assert.equal(input.DurationSeconds, 29 * 60);
    const policy = JSON.parse(input.Policy ?? "{}") as PolicyDocument;
    assert.ok(policy.Statement.every((s) => s.Condition?.DateLessThan?.["aws:CurrentTime"] === at(30).toISOString()));
  });
  it("clamps the duration to 900-3600 seconds", () => {
    const req = approved();
    assert.equal(assumeRoleParams(req, target, at(25)).DurationSeconds, MIN_SESSION_SECONDS);
    const long = { ...req, windowEnd: at(600).toISOString() };
    assert.equal(assumeRoleParams(long, target, T0).DurationSeconds, MAX_SESSION_SECONDS);
  });
  it("schedules the end with an at() expression that never fires early", () => {
    assert.equal(atExpression("2030-01-01T10:30:00.000Z"), "at(2030-01-01T10:30:00)");
    assert.equal(atExpression("2030-01-01T10:30:00.001Z"), "at(2030-01-01T10:30:01)");
  });
  it("revocation lists only open revoked windows", () => {
    const r = { ...approved(), status: "REVOKED" as const };
    assert.deepEqual(idsToDeny([r], at(1)), [r.id]);
    assert.deepEqual(idsToDeny([r], at(30)), []);
    assert.equal(revocationPolicy([]), null);
  });
});
