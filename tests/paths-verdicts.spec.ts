// The design's promise per goal (plan/paths/verdicts.ts), on path shapes written by hand.
import { strict as assert } from "node:assert";
import { startActor, type EdgeKind } from "../plan/paths/edges";
import type { GoalId } from "../plan/paths/goals";
import type { PathModel, PathPrincipal } from "../plan/paths/model";
import { judge } from "../plan/paths/verdicts";

const p = (kind: PathPrincipal["kind"], over: Partial<PathPrincipal> = {}): PathPrincipal => ({
  id: `arn:aws:iam::111111111111:role/${kind}`,
  arn: `arn:aws:iam::111111111111:role/${kind}`,
  label: kind,
  kind,
  identityPolicies: [],
  boundary: null,
  attachedPolicyArns: [],
  trust: null,
  tags: {},
  underScps: true,
  start: true,
  ...over,
});
const publisher = p("stack-role", { role: "elevated" });
const consumer = p("stack-role", { role: "consumer" });
const issuer = p("stack-role", { role: "jit-issuer" });
const m = { directPublisher: false } as PathModel;
const shape = (goal: GoalId, start: PathPrincipal, steps: [EdgeKind, PathPrincipal][], goalAction = "s3:PutObject") => ({ goal, start, steps: steps.map(([kind, to]) => ({ kind, to: startActor(to) })), goalAction });

const CASES: [string, ReturnType<typeof shape>, string][] = [
  ["a requester through the function URL writes: designed", shape("write-model", p("human", { duties: ["requester"] }), [["broker-url", publisher]]), "designed"],
  ["a requester through a direct invoke writes: breach", shape("write-model", p("human", { duties: ["requester"] }), [["invoke-direct", issuer], ["assume", publisher]]), "breach"],
  ["the administrator passes the issuer to its function: breach", shape("write-model", p("admin"), [["pass-role", issuer], ["assume", publisher]]), "breach"],
  ["a consumer reads: designed", shape("read-weights", consumer, [], "s3:GetObject + kms:Decrypt"), "designed"],
  ["the administrator runs compute under a consumer role: accepted limit", shape("read-weights", p("admin"), [["pass-role", consumer]], "s3:GetObject + kms:Decrypt"), "accepted-limit"],
  ["the administrator re-trusts a consumer role: breach", shape("read-weights", p("admin"), [["retrust", consumer]], "s3:GetObject + kms:Decrypt"), "breach"],
  ["the deployer changes the bucket policy: designed", shape("change-bucket-guard", p("deployer"), [], "s3:PutBucketPolicy"), "designed"],
  ["the deployer deletes audit logs: breach (nobody may)", shape("delete-audit-logs", p("deployer"), [], "s3:DeleteObject"), "breach"],
  ["the management account: accepted limit", shape("stop-trail", p("management"), [["detach-scps", p("admin")]], "cloudtrail:StopLogging"), "accepted-limit"],
  ["the revoker's own function lifts a revocation: designed", shape("lift-revocation", p("stack-role", { role: "jit-revoker" }), [], "iam:DeleteRolePolicy"), "designed"],
  ["a borrowed revoker lifts a revocation: breach", shape("lift-revocation", p("admin"), [["pass-role", p("stack-role", { role: "jit-revoker" })]], "iam:DeleteRolePolicy"), "breach"],
];

describe("attacker paths: verdicts are the design's promise", () => {
  for (const [name, s, want] of CASES) it(name, () => assert.equal(judge(s, m).verdict, want));
  it("every accepted limit and designed path carries its reason", () => {
    for (const [, s] of CASES) {
      const v = judge(s, m);
      if (v.verdict !== "breach") assert.ok(v.reason && v.reason.length > 10);
    }
  });
});

describe("attacker paths: the people the config names", () => {
  it("reads assumed-role patterns, Identity Center roles (under their path), IAM users and mapped persons", () => {
    const { pathModelFromPlan } = require("../plan/paths/principals") as typeof import("../plan/paths/principals");
    const { loadPathFixture } = require("./support/pathFixture") as typeof import("./support/pathFixture");
    const fx = loadPathFixture();
    const jit = {
      ...fx.config.jit,
      people: [{ name: "dave", principals: ["arn:aws:iam::111111111111:role/dave-release"] }],
      requesters: ["arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_MLReleaseEngineers_*/*", "person:dave"],
      approvers: ["arn:aws:iam::111111111111:user/ml-lead-carol"],
      breakGlass: [],
    };
    const m = pathModelFromPlan(fx.plan, { ...fx.config, jit }, fx.scps);
    const humans = m.principals.filter((x) => x.kind === "human");
    const byArn = (arn: string) => humans.find((h) => h.arn === arn);
    assert.deepEqual(byArn("arn:aws:iam::111111111111:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_MLReleaseEngineers_example")?.duties, ["requester"]);
    assert.deepEqual(byArn("arn:aws:iam::111111111111:role/dave-release")?.duties, ["requester"]);
    assert.equal(byArn("arn:aws:iam::111111111111:user/ml-lead-carol")?.user, true);
    assert.ok(m.broker!.requesters.includes("arn:aws:iam::111111111111:role/dave-release"), "the broker's patterns resolve person: entries too");
  });

  it("an administrator who may create an approver user's access keys approves as that user (credentials edge)", async () => {
    const { computeAttackPaths } = require("../plan/paths") as typeof import("../plan/paths");
    const { loadPathFixture } = require("./support/pathFixture") as typeof import("./support/pathFixture");
    const fx = loadPathFixture();
    const carol = "arn:aws:iam::111111111111:user/ml-lead-carol";
    const r = await computeAttackPaths(fx.plan, { ...fx.config, jit: { ...fx.config.jit, approvers: [carol] } }, fx.scps);
    const publisher = r.edges.find((e) => e.kind === "broker-url" && e.from === carol)?.to;
    assert.ok(publisher, "carol reaches the publisher through the function URL");
    const e = r.edges.find((x) => x.kind === "credentials" && x.from === "arn:aws:iam::111111111111:role/workload-admin" && x.to === carol);
    assert.ok(e, "the SCPs of the pre-fix plan do not protect the people's users");
    assert.equal(e.hop.action, "iam:CreateAccessKey");
  });
});
