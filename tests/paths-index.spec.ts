// The attacker paths' edge index (plan/paths/edgeIndex.ts) prunes only what the engine would refuse:
// on our stacks and a generated one, the paths and every edge found with it equal those found trying
// every role for every actor; and on tiny models each way a trust can name a caller (its ARN, a
// wildcard, its account, its account root, everyone) keeps the assume edge.
import { strict as assert } from "node:assert";
import { buildPlan } from "../plan/build";
import { applyScpStack } from "../plan/scpApply";
import { findPaths } from "../plan/paths/graph";
import { EdgeFinder, startActor } from "../plan/paths/edges";
import { PathEngine } from "../plan/paths/engine";
import { EdgeIndex } from "../plan/paths/edgeIndex";
import { pathModelFromPlan } from "../plan/paths/principals";
import type { PlanResult } from "../plan/build";
import { ADMINISTRATOR_ACCESS } from "../plan/planDocuments";
import type { PathModel, PathPrincipal } from "../plan/paths/model";
import type { PolicyDocument } from "../iam/types";
import { planFor, serially } from "./support/plans";
import { scaleStackConfig } from "./support/scaleStack";

async function bothWays(r: PlanResult) {
  const scps = await applyScpStack({ plan: { ...r.plan, access: [], warnings: [] }, config: r.config, failures: [] });
  const m = pathModelFromPlan(r.plan, r.config, scps, () => undefined);
  const indexed = await findPaths(m);
  const exhaustive = await findPaths(m, { exhaustive: true });
  return { indexed, exhaustive };
}

describe("attacker paths: the edge index drops no edge", function () {
  this.timeout(600_000);
  const cases: [string, () => Promise<PlanResult>][] = [
    ["dev", () => planFor("dev")],
    ["prod", () => planFor("prod")],
    ["a generated 24-consumer stack", () => serially(() => buildPlan("dev", { config: scaleStackConfig(24) }))],
  ];
  for (const [name, plan] of cases) {
    it(`${name}: the same paths and edges as trying every role, and the same edges asked of the engine`, async () => {
      const { indexed, exhaustive } = await bothWays(await plan());
      assert.ok(exhaustive.edges.length > 0);
      assert.deepEqual(indexed.paths, exhaustive.paths);
      assert.deepEqual(indexed.edges, exhaustive.edges);
      assert.equal(indexed.stats.edgesEvaluated, exhaustive.stats.edgesEvaluated);
      assert.equal(indexed.stats.engineQuestions, exhaustive.stats.engineQuestions);
    });
  }
});

describe("attacker paths: the edge index keeps every way a trust names its caller", () => {
  const ACCOUNT = "111111111111";
  const OTHER = "222222222222";
  const TARGET = `arn:aws:iam::${ACCOUNT}:role/target`;
  const doc = (...Statement: PolicyDocument["Statement"]): PolicyDocument => ({ Version: "2012-10-17", Statement });
  const role = (arn: string, o: Partial<PathPrincipal> = {}): PathPrincipal => ({
    id: arn,
    arn,
    label: arn.split("/").pop() ?? arn,
    kind: "stack-role",
    identityPolicies: [],
    boundary: null,
    attachedPolicyArns: [],
    trust: null,
    tags: {},
    underScps: false,
    start: true,
    ...o,
  });
  const model = (principals: PathPrincipal[]): PathModel => ({
    accountId: ACCOUNT,
    region: "us-east-1",
    scps: [],
    principals,
    bucket: { arn: "arn:aws:s3:::tiny", name: "tiny", policy: null, blockPublicAccess: true },
    objectKeys: { read: ["x"], write: ["x"] },
    bucketKey: { arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`, policy: null },
    keys: [],
    revocationPolicyName: "revoked",
    directPublisher: false,
  });
  const admin = [{ name: "admin", policy: ADMINISTRATOR_ACCESS }];
  const trusting = (AWS: string) => doc({ Effect: "Allow", Principal: { AWS }, Action: "sts:AssumeRole" });
  const ways: [string, string, PathPrincipal][] = [
    ["its ARN, from another account", `arn:aws:iam::${OTHER}:role/caller`, role(`arn:aws:iam::${OTHER}:role/caller`, { kind: "consumer-principal", identityPolicies: admin })],
    ["its account id", OTHER, role(`arn:aws:iam::${OTHER}:role/caller`, { kind: "consumer-principal", identityPolicies: admin })],
    ["its account root", `arn:aws:iam::${OTHER}:root`, role(`arn:aws:iam::${OTHER}:role/caller`, { kind: "consumer-principal", identityPolicies: admin })],
    ["everyone", "*", role(`arn:aws:iam::${OTHER}:role/caller`, { kind: "consumer-principal", identityPolicies: admin })],
    ["its ARN, in the same account with no identity grant", `arn:aws:iam::${ACCOUNT}:role/caller`, role(`arn:aws:iam::${ACCOUNT}:role/caller`)],
    ["the account root, to a caller whose identity policy names sts:AssumeRole", `arn:aws:iam::${ACCOUNT}:root`, role(`arn:aws:iam::${ACCOUNT}:role/caller`, { identityPolicies: admin })],
  ];
  for (const [how, name, caller] of ways) {
    it(`trust naming ${how}: the assume edge is found, as without the index`, async () => {
      const m = model([caller, role(TARGET, { trust: trusting(name) })]);
      const kinds = async (exhaustive: boolean) => (await new EdgeFinder(m, new PathEngine(m), { exhaustive }).edgesOf(startActor(caller))).map((e) => `${e.kind}->${e.to.principal.id}`);
      const found = await kinds(false);
      assert.ok(found.includes(`assume->${TARGET}`), found.join(", "));
      assert.deepEqual(found, await kinds(true));
    });
  }

  it("a trust name with a wildcard (which IAM refuses, but the index must not trust that) keeps the role for the callers it matches", () => {
    const caller = role(`arn:aws:iam::${OTHER}:role/caller`, { kind: "consumer-principal", identityPolicies: admin });
    const stranger = role(`arn:aws:iam::${OTHER}:role/other`, { kind: "consumer-principal", identityPolicies: admin });
    const m = model([caller, stranger, role(TARGET, { trust: trusting(`arn:aws:iam::${OTHER}:role/call*`) })]);
    const ix = new EdgeIndex(m);
    const target = ix.roles.findIndex((r) => r.arn === TARGET);
    assert.ok(ix.assumable(startActor(caller)).has(target));
    assert.ok(!ix.assumable(startActor(stranger)).has(target));
  });

  it("a caller of another account with AdministratorAccess there: no rewrite or pass-role edge into this account, with or without the index", async () => {
    const caller = role(`arn:aws:iam::${OTHER}:role/caller`, { kind: "consumer-principal", identityPolicies: admin });
    const m = model([caller, role(TARGET, { trust: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }) })]);
    const engine = new PathEngine(m);
    assert.deepEqual(await new EdgeFinder(m, engine).edgesOf(startActor(caller)), []);
    assert.equal(engine.stats.asked, 0);
    assert.deepEqual(await new EdgeFinder(m, new PathEngine(m), { exhaustive: true }).edgesOf(startActor(caller)), []);
  });
});
