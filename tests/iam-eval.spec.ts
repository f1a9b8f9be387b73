// The plan's IAM evaluations (plan/iamEval.ts) and their disk cache: an answer is reused only for
// exactly the same request and documents; a corrupt or unwritable cache is skipped; the plan built
// from cached answers is the plan built without them.
import * as assert from "assert";
import type { Simulation } from "@cloud-copilot/iam-simulate";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildPlan } from "../plan/build";
import { DEFAULT_EVALUATION_CACHE_DIR, evaluateSimulation, evaluationKey, evaluationStats, pruneEvaluationCache, setEvaluationCacheDir, type Evaluation } from "../plan/iamEval";
import { serially } from "./support/plans";

const ROLE = "arn:aws:iam::111111111111:role/reader";
const OBJECT = "arn:aws:s3:::bucket-a/models/w.safetensors";

function sim(effect: "Allow" | "Deny", action = "s3:GetObject"): Simulation {
  return {
    request: { principal: ROLE, action, resource: { resource: OBJECT, accountId: "111111111111" }, contextVariables: { "aws:PrincipalArn": ROLE } },
    identityPolicies: [{ name: "reader", policy: { Version: "2012-10-17", Statement: [{ Sid: "Read", Effect: effect, Action: "s3:GetObject", Resource: "arn:aws:s3:::bucket-a/*" }] } }],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
}

describe("plan/iamEval: IAM evaluations and their cache", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "mv-iam-"));
    setEvaluationCacheDir(dir);
    evaluationStats(true);
  });
  afterEach(() => {
    setEvaluationCacheDir(DEFAULT_EVALUATION_CACHE_DIR);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("evaluates once, then answers the same request from the cache", async () => {
    const first = await evaluateSimulation(sim("Allow"));
    assert.deepStrictEqual(evaluationStats(), { evaluated: 1, reused: 0 });
    assert.strictEqual(first.decision, "Allowed");
    assert.deepStrictEqual(first.grants.map((g) => g.statementId), ["Read"]);
    const again = await evaluateSimulation(sim("Allow"));
    assert.deepStrictEqual(evaluationStats(), { evaluated: 1, reused: 1 });
    assert.deepStrictEqual(again, first);
  });

  it("a changed statement or request is a different key: a planted answer for the old one is never used for it", async () => {
    const planted: Evaluation = { decision: "Allowed", grants: [], denials: [], explained: false };
    fs.writeFileSync(path.join(dir, `${evaluationKey(sim("Allow"))}.json`), JSON.stringify(planted));
    // The planted answer is what the cache returns for its own key (so the cache really is consulted) ...
    assert.deepStrictEqual(await evaluateSimulation(sim("Allow")), planted);
    // ... and a Deny statement, or another action, is evaluated afresh.
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    assert.strictEqual((await evaluateSimulation(sim("Allow", "s3:PutObject"))).decision, "ImplicitlyDenied");
    assert.deepStrictEqual(evaluationStats(), { evaluated: 2, reused: 1 });
  });

  it("ignores a corrupt entry and rewrites it", async () => {
    const file = path.join(dir, `${evaluationKey(sim("Deny"))}.json`);
    fs.writeFileSync(file, "{ not json");
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    assert.strictEqual((JSON.parse(fs.readFileSync(file, "utf8")) as Evaluation).decision, "ExplicitlyDenied");
  });

  it("still evaluates when the cache cannot be written", async () => {
    const blocker = path.join(dir, "a-file");
    fs.writeFileSync(blocker, "");
    setEvaluationCacheDir(path.join(blocker, "iam"));
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    assert.deepStrictEqual(evaluationStats(), { evaluated: 2, reused: 0 });
  });

  it("stays bounded: past the limit the oldest answers go, down to half", () => {
    for (let i = 0; i < 12; i++) {
      const f = path.join(dir, `entry-${String(i).padStart(2, "0")}.json`);
      fs.writeFileSync(f, "{}");
      fs.utimesSync(f, 1_000_000 + i, 1_000_000 + i);
    }
    assert.strictEqual(pruneEvaluationCache(dir, 20), 0);
    assert.strictEqual(pruneEvaluationCache(dir, 10), 7);
    assert.deepStrictEqual(fs.readdirSync(dir).sort(), ["entry-07.json", "entry-08.json", "entry-09.json", "entry-10.json", "entry-11.json"]);
  });

  it("a request the engine rejects throws and caches nothing", async () => {
    await assert.rejects(evaluateSimulation(sim("Allow", "s3:NoSuchAction")), /iam-simulate rejected s3:NoSuchAction on arn:aws:s3:::bucket-a/);
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  it("the dev plan from cached answers is the dev plan without them, and re-planning evaluates nothing", async () => {
    const cold = await serially(() => buildPlan("dev"));
    const { evaluated, reused } = evaluationStats(true);
    assert.ok(evaluated > 100, `the dev plan evaluated ${evaluated} requests`);
    const warm = await serially(() => buildPlan("dev"));
    assert.deepStrictEqual(evaluationStats(), { evaluated: 0, reused: evaluated + reused });
    assert.deepStrictEqual(warm.plan, cold.plan);
    setEvaluationCacheDir(null);
    const uncached = await serially(() => buildPlan("dev"));
    assert.deepStrictEqual(uncached.plan, cold.plan);
  });
});
