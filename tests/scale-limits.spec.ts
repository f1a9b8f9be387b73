// Issue 17: no AWS size limit below 1,000 consumers. A generated 1,000-consumer stack (tests/support/
// scaleStack.ts) plans clean, every document of it within its AWS limit and the shared documents no
// larger than at five consumers; the one key statement every consumer decrypts by admits consumers
// only, proven by IAM evaluation over the planned key policy.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { main } from "../plan/cli";
import { lastRunRegistrations } from "../plan/run";
import { buildPlan, type PlanResult } from "../plan/build";
import { ADMINISTRATOR_ACCESS, keyPolicyOf } from "../plan/planDocuments";
import type { PlanResource } from "../plan/types";
import { s3ViaService } from "../iam/arn";
import { CONSUMER_ROLE_NAME_PREFIX, ROLE_PATH } from "../iam/arns";
import { CONSUMER_ROLES_KEY_SID, consumerRoleArnPattern } from "../iam/keyPolicy";
import { BUCKET_POLICY_MAX, KEY_POLICY_MAX, ROLE_INLINE_POLICIES_MAX, ROLE_TRUST_POLICY_MAX, policySize } from "../iam/limits";
import { CONSUMER_ROLE, ELEVATED_ROLE } from "../iam/tags";
import type { PolicyDocument, Statement } from "../iam/types";
import * as pulumi from "@pulumi/pulumi";
import { StatementCollector } from "../components/statementCollector";

/** The value of an Output (its internal promise: rejected when an apply throws). */
const promiseOf = <T>(o: pulumi.Output<T>): Promise<T> => (o as unknown as { promise(): Promise<T> }).promise();
import { decide } from "./support/iam";
import { ofType, one, planFor, serially } from "./support/plans";
import { scaleStackConfig } from "./support/scaleStack";

const ROLE = "aws:iam/role:Role";
const tagsOf = (r: PlanResource) => (r.inputs.tags ?? {}) as Record<string, string>;
const json = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/** The documents whose size grows with the stack, measured as AWS counts them. */
function sizes(r: PlanResult) {
  const rs = r.plan.resources;
  const keyPolicy = one(rs, "aws:kms/keyPolicy:KeyPolicy");
  const bucketPolicy = rs.find((x) => x.type === "aws:s3/bucketPolicy:BucketPolicy" && x.name === "models-policy")!;
  const inline = new Map<string, number>();
  for (const p of ofType(rs, "aws:iam/rolePolicy:RolePolicy")) inline.set(String(p.inputs.role), (inline.get(String(p.inputs.role)) ?? 0) + policySize(json(p.inputs.policy)));
  return {
    key: policySize(json(keyPolicy.inputs.policy)),
    bucket: policySize(json(bucketPolicy.inputs.policy)),
    inline: Math.max(...inline.values()),
    trust: Math.max(...ofType(rs, ROLE).map((x) => policySize(json(x.inputs.assumeRolePolicy)))),
  };
}

describe("scale: 1,000 consumers within every AWS limit", function () {
  // A whole plan of 1,000 consumers on a shared 2-core machine; the figure is the scale bench's, not a test's.
  this.timeout(0);
  let big: PlanResult;
  let dev: PlanResult;
  before(async () => {
    dev = await planFor("dev");
    big = await serially(() => buildPlan("dev", { config: scaleStackConfig(1000) }));
  });

  it("plans with no failure and no mandatory violation", () => {
    assert.deepEqual(big.failures, []);
    assert.deepEqual((big.plan.policy?.violations ?? []).filter((v) => v.level === "mandatory"), []);
    assert.equal(ofType(big.plan.resources, ROLE).filter((r) => tagsOf(r)["model-vault:role"] === CONSUMER_ROLE).length, 1000);
  });

  it("every consumer reads inside its prefixes by the plan's own matrix (decrypt included)", () => {
    const readers = new Set((big.plan.access ?? []).filter((c) => c.label.startsWith("consumer ") && c.action === "s3:GetObject" && c.decision === "Allowed").map((c) => c.principal));
    assert.equal(readers.size, 1000);
  });

  it("keeps each document within its limit; the shared ones are no larger than at five consumers", () => {
    const s = sizes(big);
    const d = sizes(dev);
    assert.ok(s.key <= KEY_POLICY_MAX && s.bucket <= BUCKET_POLICY_MAX && s.inline <= ROLE_INLINE_POLICIES_MAX && s.trust <= ROLE_TRUST_POLICY_MAX, JSON.stringify(s));
    assert.ok(s.key <= d.key, `key policy ${s.key} at 1,000 consumers vs ${d.key} in dev`);
    assert.ok(s.bucket <= d.bucket, `bucket policy ${s.bucket} at 1,000 consumers vs ${d.bucket} in dev`);
  });
});

describe("scale: the one consumer key statement admits consumer roles only", () => {
  let dev: PlanResult;
  let keyPolicy: PolicyDocument;
  let keyArn: string;
  let account: string;
  before(async () => {
    dev = await planFor("dev");
    const key = one(dev.plan.resources, "aws:kms/key:Key", "models-key");
    keyPolicy = keyPolicyOf(dev.plan.resources, key)!;
    keyArn = String(key.outputs.arn);
    account = dev.config.accountId;
  });

  const decrypt = (principal: string, identity: PolicyDocument[], context: Record<string, string> = {}, resourcePolicy = keyPolicy) =>
    decide({
      principal,
      action: "kms:Decrypt",
      resource: keyArn,
      accountId: account,
      identityPolicies: identity,
      resourcePolicy,
      context: { "aws:PrincipalArn": principal, "aws:PrincipalAccount": principal.split(":")[4], "kms:ViaService": s3ViaService(keyArn), "kms:CallerAccount": principal.split(":")[4], ...context },
    });

  it("every planned consumer role decrypts via S3 with its own inline policy, and only via S3", async () => {
    const consumers = ofType(dev.plan.resources, ROLE).filter((r) => tagsOf(r)["model-vault:role"] === CONSUMER_ROLE);
    assert.equal(consumers.length, dev.config.access.consumers.length);
    for (const r of consumers) {
      const inline = ofType(dev.plan.resources, "aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.role === r.outputs.id || p.inputs.role === r.outputs.name);
      const identity = inline.map((p) => JSON.parse(json(p.inputs.policy)) as PolicyDocument);
      assert.equal(await decrypt(String(r.outputs.arn), identity), "Allowed", r.name);
      assert.notEqual(await decrypt(String(r.outputs.arn), identity, { "kms:ViaService": "ec2.us-east-1.amazonaws.com" }), "Allowed", `${r.name} outside S3`);
    }
  });

  it("no other role of the plan matches the consumer name pattern", () => {
    for (const r of ofType(dev.plan.resources, ROLE)) {
      const consumer = tagsOf(r)["model-vault:role"] === CONSUMER_ROLE;
      assert.equal(consumerRoleArnPattern(String(r.outputs.arn)) !== undefined, consumer, `${r.name} (${tagsOf(r)["model-vault:role"]})`);
    }
  });

  it("the consumer statement admits neither the publisher, nor the broker's roles, nor any administrator of the account, however powerful their own policies", async () => {
    // The publisher decrypts by its own statement (multipart uploads need kms:Decrypt): the question is what the consumer statement adds.
    const only: PolicyDocument = { ...keyPolicy, Statement: keyPolicy.Statement.filter((s) => s.Sid === CONSUMER_ROLES_KEY_SID) };
    assert.equal(only.Statement.length, 1);
    const base = `arn:aws:iam::${account}:role`;
    const others = [
      ...ofType(dev.plan.resources, ROLE).filter((r) => tagsOf(r)["model-vault:role"] !== "consumer").map((r) => String(r.outputs.arn)),
      `${base}/plan-unrelated-admin`,
      // The consumer name without the path, and the path with a near name.
      `${base}/${CONSUMER_ROLE_NAME_PREFIX}sagemaker-inference-0e1d4fc`,
      `${base}${ROLE_PATH}access-consumers`,
      `${base}${ROLE_PATH}other/${CONSUMER_ROLE_NAME_PREFIX}x`.replace(`${ROLE_PATH}other/`, "/other/"),
    ];
    assert.ok(others.length >= 5);
    for (const arn of others) assert.notEqual(await decrypt(arn, [ADMINISTRATOR_ACCESS], {}, only), "Allowed", arn);
    // ... while it alone admits a consumer role.
    const consumer = ofType(dev.plan.resources, ROLE).find((r) => tagsOf(r)["model-vault:role"] === CONSUMER_ROLE)!;
    assert.equal(await decrypt(String(consumer.outputs.arn), [ADMINISTRATOR_ACCESS], {}, only), "Allowed");
  });

  it("refuses every non-consumer role of the plan and any administrator, except the publisher's own upload statement", async () => {
    const nonConsumers = ofType(dev.plan.resources, ROLE).filter((r) => !([CONSUMER_ROLE, ELEVATED_ROLE] as string[]).includes(tagsOf(r)["model-vault:role"]));
    assert.ok(nonConsumers.length >= 2);
    for (const r of nonConsumers) assert.notEqual(await decrypt(String(r.outputs.arn), [ADMINISTRATOR_ACCESS]), "Allowed", r.name);
    assert.notEqual(await decrypt(`arn:aws:iam::${account}:role/plan-unrelated-admin`, [ADMINISTRATOR_ACCESS]), "Allowed");
  });

  it("refuses a consumer-named role of another account", async () => {
    const foreign = `arn:aws:iam::999999999999:role${ROLE_PATH}${CONSUMER_ROLE_NAME_PREFIX}x-1234567`;
    assert.notEqual(await decrypt(foreign, [ADMINISTRATOR_ACCESS]), "Allowed");
  });
});

describe("scale: a stack past an AWS limit fails before anything is registered", () => {
  it("exits 2 naming each document, its size, the limit and the config key, all at once", async () => {
    const stack = parse(fs.readFileSync(path.resolve(__dirname, "..", "Pulumi.dev.yaml"), "utf8")) as { config: Record<string, unknown> };
    const many = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `models/${tag}-a-rather-long-family-name/revision-${i}/`);
    const consumers = stack.config["model-vault:consumers"] as { prefixes: string[] }[];
    consumers[2].prefixes = many(120, "read");
    (stack.config["model-vault:publisher"] as { prefixes: string[] }).prefixes = many(150, "write");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mv-scale-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stringify(stack));
      let out = "";
      let err = "";
      const code = await serially(() => main(["--stack", "dev", "--root", dir], { out: (x) => (out += x), err: (x) => (err += x) }));
      assert.equal(code, 2, err);
      assert.equal(out, "");
      assert.match(err, /^Pulumi\.dev\.yaml: invalid configuration\n/);
      assert.match(err, new RegExp(`- model-vault:consumers\\["eks-serving"\\]\\.prefixes: consumer eks-serving's inline policy would be \\d+ characters, over the ${ROLE_INLINE_POLICIES_MAX} AWS accepts \\(fewer or shorter prefixes: 120 given\\)`));
      assert.match(err, new RegExp(`- model-vault:publisher\\.prefixes: the publisher's inline policy would be \\d+ characters, over the ${ROLE_INLINE_POLICIES_MAX} AWS accepts`));
      assert.equal(lastRunRegistrations(), 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("scale: one resource policy, many contributors (components/statementCollector.ts)", () => {
  const seal = async (parts: [string, Statement[]][]): Promise<string> => {
    const c = new StatementCollector("test key policy");
    for (const [owner, statements] of parts) c.add(owner, statements);
    return promiseOf(c.seal([], KEY_POLICY_MAX));
  };
  const shared: Statement = { Sid: "Shared", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:Decrypt", Resource: "*" };

  it("keeps one copy of a statement many grants contribute", async () => {
    const doc = JSON.parse(await seal([["a", [shared]], ["b", [shared]], ["c", [{ ...shared }]]])) as PolicyDocument;
    assert.equal(doc.Statement.length, 1);
  });

  it("still refuses two different statements under one Sid (one would silently replace the other)", async () => {
    await assert.rejects(seal([["a", [shared]], ["b", [{ ...shared, Action: "kms:Encrypt" }]]]), /statement id Shared is used by both a and b/);
  });
});
