// JitBroker under the plan runner (Pulumi mocks + fake cloud): security properties of the
// registered inputs.
import { strict as assert } from "assert";
import * as pulumi from "@pulumi/pulumi";
import { JitBroker, JIT_LAMBDA_RUNTIME } from "../components/JitBroker";
import { runProgram, type ProgramRun } from "../plan/run";
import type { PlanResource } from "../plan/types";
import { asArray, type PolicyDocument, type Statement } from "../iam/types";
import { testConfig } from "./jit-fixtures";
import { evaluatePolicyPack, loadPackConfig } from "../plan/policy";

const ACCOUNT = "111111111111";
const REGION = "eu-west-1";
const ELEVATED = `arn:aws:iam::${ACCOUNT}:role/model-vault-elevated-1a2b3c`;

describe("JitBroker component", function () {
  let run: ProgramRun;
  const trust: Statement[][] = [];

  before(async () => {
    run = await runProgram("jittest", {
      config: { "aws:region": REGION, "model-vault:accountId": ACCOUNT },
      program: async () => {
        const [elevatedArn, setElevatedArn] = pulumi.deferredOutput<string>();
        const jit = new JitBroker("jit", {
          jit: testConfig(),
          elevatedRoleArn: elevatedArn,
          functionNames: { api: "jit-api-jittest", revoker: "jit-revoker-jittest" },
          modelBucketName: "acme-weights",
          accountId: ACCOUNT,
          region: REGION,
          tags: { "model-vault:stack": "jittest" },
          protect: true,
        });
        jit.elevatedTrustStatements.apply((s) => trust.push(s));
        setElevatedArn(pulumi.output(ELEVATED));
        return { jitEndpoint: jit.endpoint, jitIssuerRoleArn: jit.issuerRoleArn };
      },
    });
  });

  const all = (type: string): PlanResource[] => run.resources.filter((r) => r.type === type);
  const one = (type: string, nameEnd = ""): PlanResource => {
    const f = all(type).filter((r) => r.name.endsWith(nameEnd));
    assert.equal(f.length, 1, `${type} ${nameEnd}: ${f.map((r) => r.name).join(", ")}`);
    return f[0];
  };
  const doc = (r: PlanResource, key: string): PolicyDocument => JSON.parse(String(r.inputs[key])) as PolicyDocument;

  it("registers under the model-vault:access:JitBroker component with derived names", () => {
    const comp = one("model-vault:access:JitBroker");
    const children = run.resources.filter((r) => r.parent === comp.urn);
    assert.ok(children.length >= 15, `${children.length} children`);
    assert.ok(children.every((c) => c.name.startsWith("jit-")));
  });

  it("keeps the audit table: PITR, encryption, TTL, indexes by status and requester, protected", () => {
    const t = one("aws:dynamodb/table:Table");
    assert.deepEqual(t.inputs.pointInTimeRecovery, { enabled: true });
    assert.deepEqual(t.inputs.serverSideEncryption, { enabled: true });
    assert.deepEqual(t.inputs.ttl, { attributeName: "ttl", enabled: true });
    assert.deepEqual((t.inputs.globalSecondaryIndexes as { name: string; hashKey: string }[]).map((g) => [g.name, g.hashKey]).sort(), [["by-requester", "requester"], ["by-status", "status"]]);
    assert.equal(t.inputs.deletionProtectionEnabled, true);
  });

  it("authenticates the endpoint with IAM (SigV4) only", () => {
    assert.equal(one("aws:lambda/functionUrl:FunctionUrl").inputs.authorizationType, "AWS_IAM");
    for (const p of all("aws:lambda/permission:Permission")) {
      assert.equal(p.inputs.principal, ACCOUNT, "only this account's principals");
    }
    assert.equal(run.outputs.jitEndpoint, one("aws:lambda/functionUrl:FunctionUrl").outputs.functionUrl);
  });

  it("runs bundled TypeScript on a current Node.js runtime", () => {
    for (const f of all("aws:lambda/function:Function")) {
      assert.equal(f.inputs.runtime, JIT_LAMBDA_RUNTIME);
      assert.match(JIT_LAMBDA_RUNTIME, /^nodejs(2[2-9]|[3-9]\d)\.x$/);
    }
    const roles = new Set(all("aws:lambda/function:Function").map((f) => f.inputs.role));
    assert.equal(roles.size, 2, "each function has its own role");
  });

  it("gives every role least privilege: no wildcard actions, Resource * only for ListStreams (and the function pin's Deny)", () => {
    const policies = all("aws:iam/rolePolicy:RolePolicy");
    assert.equal(policies.length, 3);
    for (const p of policies) {
      for (const s of doc(p, "policy").Statement) {
        for (const a of asArray(s.Action)) assert.ok(!a.includes("*"), `${p.name}: ${a}`);
        if (s.Effect === "Allow" && asArray(s.Resource).includes("*")) assert.deepEqual(asArray(s.Action), ["dynamodb:ListStreams"], p.name);
      }
    }
  });

  it("pins the issuer and the revoker roles to their own functions, named before they exist", () => {
    for (const [part, entry, fnName] of [["issuer", "-api", "jit-api-jittest"], ["revoker", "-revoker", "jit-revoker-jittest"]]) {
      const fn = one("aws:lambda/function:Function", entry);
      assert.equal(fn.inputs.name, fnName);
      const pin = doc(one("aws:iam/rolePolicy:RolePolicy", `${part}-policy`), "policy").Statement.filter((s) => s.Effect === "Deny");
      assert.equal(pin.length, 1, part);
      assert.deepEqual(pin[0].Condition, { ArnNotLike: { "lambda:SourceFunctionArn": [fn.outputs.arn, `${fn.outputs.arn}:*`] } });
    }
  });

  it("lets only the issuer assume the elevated role, and only the revoker write its policy", () => {
    const byRole = (suffix: string): Statement[] => doc(one("aws:iam/rolePolicy:RolePolicy", `${suffix}-policy`), "policy").Statement;
    const mentions = (ss: Statement[], action: string) => ss.filter((s) => s.Effect === "Allow" && asArray(s.Action).includes(action));
    assert.deepEqual(mentions(byRole("issuer"), "sts:AssumeRole").map((s) => s.Resource), [ELEVATED]);
    assert.deepEqual(mentions(byRole("revoker"), "sts:AssumeRole"), []);
    assert.deepEqual(mentions(byRole("revoker"), "iam:PutRolePolicy").map((s) => s.Resource), [ELEVATED]);
    assert.deepEqual(mentions(byRole("issuer"), "iam:PutRolePolicy"), []);
    const pass = mentions(byRole("issuer"), "iam:PassRole")[0];
    assert.deepEqual(pass.Condition, { StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } });
  });

  it("tags the issuer role and hands out a trust statement requiring source identity and the request tag", () => {
    const issuer = one("aws:iam/role:Role", "-issuer");
    assert.equal((issuer.inputs.tags as Record<string, string>)["model-vault:role"], "jit-issuer");
    assert.equal(run.outputs.jitIssuerRoleArn, issuer.outputs.arn);
    const [s] = trust[0];
    assert.deepEqual(s.Principal, { AWS: issuer.outputs.arn });
    assert.deepEqual(asArray(s.Action).sort(), ["sts:AssumeRole", "sts:SetSourceIdentity", "sts:TagSession"]);
    assert.deepEqual(s.Condition?.Null, { "sts:SourceIdentity": "false", "aws:RequestTag/jit-request-id": "false" });
    assert.deepEqual(s.Condition?.["ForAllValues:StringEquals"], { "aws:TagKeys": ["jit-request-id"] });
    for (const role of all("aws:iam/role:Role")) {
      const t = doc(role, "assumeRolePolicy").Statement[0];
      assert.ok(t.Condition?.StringEquals?.["aws:SourceAccount"] === ACCOUNT, `${role.name} trust pinned to the account`);
    }
  });

  it("wires the scheduler and the revocation stream to the revoker", () => {
    const esm = one("aws:lambda/eventSourceMapping:EventSourceMapping");
    assert.match(String(JSON.stringify(esm.inputs.filterCriteria)), /REVOKED/);
    const sched = doc(one("aws:iam/rolePolicy:RolePolicy", "scheduler-policy"), "policy").Statement[0];
    assert.deepEqual(sched.Action, "lambda:InvokeFunction");
    const revoker = one("aws:lambda/function:Function", "-revoker");
    assert.deepEqual(asArray(sched.Resource)[0], revoker.outputs.arn);
    const api = one("aws:lambda/function:Function", "-api");
    const env = (api.inputs.environment as { variables: Record<string, string> }).variables;
    assert.equal(env.JIT_ELEVATED_ROLE_ARN, ELEVATED);
    assert.equal(env.JIT_END_FUNCTION_ARN, revoker.outputs.arn);
    assert.equal(JSON.parse(env.JIT_CONFIG).approvalsRequired, 1);
  });
});

describe("JitBroker and the policy pack", function () {
  it("passes every rule of the pack (prod config)", async () => {
    const run = await runProgram("jitpack", {
      config: { "aws:region": REGION, "model-vault:accountId": ACCOUNT },
      program: async () => {
        const jit = new JitBroker("jit", {
          jit: testConfig({}, "prod"),
          elevatedRoleArn: ELEVATED,
          functionNames: { api: "jit-api-jitpack", revoker: "jit-revoker-jitpack" },
          modelBucketName: "acme-weights",
          accountId: ACCOUNT,
          region: REGION,
          tags: { "model-vault:stack": "jitpack" },
          protect: true,
        });
        return { jitEndpoint: jit.endpoint };
      },
    });
    const violations = evaluatePolicyPack(run.resources, "jitpack", loadPackConfig("prod"));
    assert.deepEqual(violations.map((v) => `${v.level} ${v.policy}: ${v.message}`), []);
  });
});
