// Today's known escalations (issue 12), found by the attacker-path graph on the dev plan as it stood
// before the broker-hardening fixes (tests/support/paths-dev-before-fixes.json, frozen), under the
// org stack's SCPs of that time. Each one is named by its edge and by a breach path.
import { strict as assert } from "node:assert";
import { computeAttackPaths, type AttackPathsResult } from "../plan/paths";
import type { AttackPath } from "../plan/types";
import { CALLER_POLICY_BEFORE_FIXES, loadPathFixture } from "./support/pathFixture";

const fx = loadPathFixture();
const ACCOUNT = fx.config.accountId;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/workload-admin`;
const roleTagged = (tag: string) => String(fx.plan.resources.find((r) => r.type === "aws:iam/role:Role" && (r.inputs.tags as Record<string, string>)["model-vault:role"] === tag)!.outputs.arn);
const ISSUER = roleTagged("jit-issuer");
const REVOKER = roleTagged("jit-revoker");
const PUBLISHER = roleTagged("elevated");
const REQUESTER = `arn:aws:iam::${ACCOUNT}:role/ml-release-engineers`;
const APPROVER = `arn:aws:iam::${ACCOUNT}:role/ml-leads`;

const hasEdge = (r: AttackPathsResult, from: string, kind: string, to: string) => r.edges.some((e) => e.from === from && e.kind === kind && e.to === to);
const breach = (r: AttackPathsResult, goal: string, from: string): AttackPath | undefined => r.paths.find((p) => p.goal === goal && p.from === from && p.verdict === "breach");

describe("attacker paths: today's known escalations on the pre-fix dev plan (iam-simulate, org SCPs)", () => {
  let r: AttackPathsResult;
  before(async () => {
    r = await computeAttackPaths(fx.plan, fx.config, fx.scps, { callerPolicy: CALLER_POLICY_BEFORE_FIXES });
  });

  it("the caller policy documented now (jit/caller-policy.ts) no longer lets a requester invoke directly", async () => {
    const now = await computeAttackPaths(fx.plan, fx.config, fx.scps);
    assert.ok(!hasEdge(now, REQUESTER, "invoke-direct", ISSUER));
    assert.ok(hasEdge(now, REQUESTER, "broker-url", PUBLISHER));
  });

  it("the issuer role passed to a foreign Lambda function assumes the publisher: the administrator writes model objects", () => {
    assert.ok(hasEdge(r, ADMIN, "pass-role", ISSUER), "admin passes the issuer role to a function of its own");
    assert.ok(hasEdge(r, ISSUER, "assume", PUBLISHER), "the issuer, in any function, assumes the publisher");
    const p = breach(r, "write-model", ADMIN)!;
    assert.ok(p, "a breach path to write-model from the administrator");
    assert.deepEqual(p.hops.map((h) => h.action), ["iam:PassRole+lambda:CreateFunction", "sts:AssumeRole", "s3:PutObject + kms:GenerateDataKey"]);
    assert.equal(p.hops[0].resource, ISSUER);
    assert.match(p.hops[0].decidedBy, /identity:AdministratorAccess/);
  });

  it("the revoker writes the publisher's policy: it lifts a revocation when borrowed, and grants the publisher reads it never had", () => {
    const lift = breach(r, "lift-revocation", ADMIN)!;
    assert.ok(lift);
    assert.deepEqual(lift.hops.map((h) => h.resource), [REVOKER, PUBLISHER]);
    assert.match(lift.hops[1].decidedBy, /WriteRevocationDeny/);
    assert.ok(hasEdge(r, REVOKER, "rewrite", PUBLISHER));
    const read = breach(r, "read-weights", REVOKER)!;
    assert.ok(read, "the revoker's rewrite gives publisher sessions read access");
    assert.equal(read.hops[0].action, "iam:PutRolePolicy");
    // The real revoker rebuilding the deny is the design.
    assert.ok(r.paths.some((p) => p.goal === "lift-revocation" && p.from === REVOKER && p.verdict === "designed"));
  });

  it("a direct invoke of the broker's API forges its caller: the administrator and a requester reach the issuer, and through it the publisher", () => {
    assert.ok(hasEdge(r, ADMIN, "invoke-direct", ISSUER));
    assert.ok(hasEdge(r, REQUESTER, "invoke-direct", ISSUER), "the caller policy jit/README.md documents allows it");
    const p = breach(r, "write-model", REQUESTER)!;
    assert.equal(p.hops[0].action, "lambda:InvokeFunction");
    // The same requester through the function URL is the designed path.
    const designed = r.paths.find((x) => x.goal === "write-model" && x.from === REQUESTER && x.verdict === "designed")!;
    assert.deepEqual(designed.hops.map((h) => h.action), ["lambda:InvokeFunctionUrl", "s3:PutObject + kms:GenerateDataKey"]);
  });

  it("an administrator re-trusts a human approver role (the SCPs do not cover the people's roles yet) and approves through the broker", () => {
    assert.ok(hasEdge(r, ADMIN, "retrust", APPROVER));
    assert.ok(hasEdge(r, APPROVER, "broker-url", PUBLISHER));
    assert.ok(hasEdge(r, ADMIN, "retrust", REQUESTER));
  });

  it("the plan fails naming each breach path", () => {
    assert.ok(r.breaches.some((b) => b.startsWith("write-model from workload administrator") && b.includes("iam:PassRole+lambda:CreateFunction on " + ISSUER)));
  });

  it("lists what AWS leaves open as accepted limits with their reason, never silently", () => {
    const mgmt = r.paths.filter((p) => p.from.endsWith(":role/management-admin"));
    assert.ok(mgmt.length > 0 && mgmt.every((p) => p.verdict === "accepted-limit" && /management account/.test(p.reason!)));
    assert.ok(r.paths.some((p) => p.goal === "read-weights" && p.verdict === "accepted-limit" && /key groups/.test(p.reason!)));
  });

  it("counts the edges it evaluated, and prunes most candidates before the engine", () => {
    assert.ok(r.stats.edgesEvaluated > 0);
    assert.ok(r.stats.pruned > r.stats.engineQuestions, `${r.stats.pruned} pruned vs ${r.stats.engineQuestions} asked`);
  });
});

describe("attacker paths: a stack without SCPs", () => {
  it("reports the administrator's direct paths as breaches, and no management-account limit", async () => {
    const r = await computeAttackPaths(fx.plan, fx.config, []);
    const admin = r.paths.filter((p) => p.from === ADMIN);
    for (const goal of ["stop-trail", "disable-keys", "change-bucket-guard", "lift-revocation"]) {
      const p = admin.find((x) => x.goal === goal);
      assert.ok(p && p.verdict === "breach", `${goal}: ${JSON.stringify(p)}`);
    }
    assert.equal(admin.find((x) => x.goal === "stop-trail")!.hops.length, 1, "directly, with AdministratorAccess");
    assert.ok(!r.paths.some((p) => p.from.endsWith(":role/management-admin")));
  });
});
