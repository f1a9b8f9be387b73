// The plan's IAM evaluations (plan/iamEval.ts) and their disk cache: an answer is reused only for
// exactly the same request and documents; a corrupt or unwritable cache is skipped; concurrent plans
// merge their answers into the one file and never leave half a file; the plan built from cached
// answers is the plan built without them.
import * as assert from "assert";
import type { Simulation } from "@cloud-copilot/iam-simulate";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildPlan } from "../plan/build";
import {
  DEFAULT_EVALUATION_CACHE_DIR,
  EVALUATION_CACHE_FILE,
  evaluateSimulation,
  evaluationKey,
  evaluationStats,
  flushEvaluationCache,
  setEvaluationCacheDir,
  type Evaluation,
} from "../plan/iamEval";
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
  const file = () => path.join(dir, EVALUATION_CACHE_FILE);
  const plant = (answers: [string, Evaluation][]) => fs.writeFileSync(file(), JSON.stringify({ answers }));
  const onDisk = () => new Map((JSON.parse(fs.readFileSync(file(), "utf8")) as { answers: [string, Evaluation][] }).answers);
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
    plant([[evaluationKey(sim("Allow")), planted]]);
    // The planted answer is what the cache returns for its own key (so the cache really is consulted) ...
    assert.deepStrictEqual(await evaluateSimulation(sim("Allow")), planted);
    // ... and a Deny statement, or another action, is evaluated afresh.
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    assert.strictEqual((await evaluateSimulation(sim("Allow", "s3:PutObject"))).decision, "ImplicitlyDenied");
    assert.deepStrictEqual(evaluationStats(), { evaluated: 2, reused: 1 });
  });

  it("ignores a corrupt file and rewrites it", async () => {
    fs.writeFileSync(file(), "{ not json");
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    flushEvaluationCache();
    assert.strictEqual(onDisk().get(evaluationKey(sim("Deny")))?.decision, "ExplicitlyDenied");
  });

  it("skips a malformed entry and keeps the others", async () => {
    const good: Evaluation = { decision: "ImplicitlyDenied", grants: [], denials: [], explained: false };
    fs.writeFileSync(file(), JSON.stringify({ answers: [[evaluationKey(sim("Allow")), { decision: 3 }], [evaluationKey(sim("Deny")), good]] }));
    assert.strictEqual((await evaluateSimulation(sim("Allow"))).decision, "Allowed");
    assert.deepStrictEqual(await evaluateSimulation(sim("Deny")), good);
    assert.deepStrictEqual(evaluationStats(), { evaluated: 1, reused: 1 });
  });

  it("keeps one file per cache directory, however many answers", async () => {
    for (const action of ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:GetObjectTagging"]) await evaluateSimulation(sim("Allow", action));
    flushEvaluationCache();
    assert.deepStrictEqual(fs.readdirSync(dir), [EVALUATION_CACHE_FILE]);
    assert.strictEqual(onDisk().size, 4);
  });

  it("merges what a concurrent plan wrote meanwhile instead of overwriting it, and leaves no temporary file", async () => {
    await evaluateSimulation(sim("Allow"));
    // Another plan, started after this one read the file, writes its own answer first.
    const theirs: Evaluation = { decision: "ImplicitlyDenied", grants: [], denials: [], explained: false };
    plant([["their-key", theirs]]);
    flushEvaluationCache();
    const after = onDisk();
    assert.deepStrictEqual(after.get("their-key"), theirs);
    assert.strictEqual(after.get(evaluationKey(sim("Allow")))?.decision, "Allowed");
    assert.deepStrictEqual(fs.readdirSync(dir), [EVALUATION_CACHE_FILE]);
  });

  it("keys documents by content: an equal document in another object hits, one changed statement misses", () => {
    const a = sim("Allow");
    const b = sim("Allow");
    assert.notStrictEqual(a.identityPolicies[0].policy, b.identityPolicies[0].policy);
    assert.strictEqual(evaluationKey(a), evaluationKey(b));
    assert.notStrictEqual(evaluationKey(a), evaluationKey(sim("Deny")));
    const resource = { ...sim("Allow"), resourcePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*" }] } };
    const other = { ...sim("Allow"), resourcePolicy: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] } };
    assert.notStrictEqual(evaluationKey(resource), evaluationKey(other));
  });

  it("still evaluates when the cache cannot be written (the answers then last as long as the process)", async () => {
    const blocker = path.join(dir, "a-file");
    fs.writeFileSync(blocker, "");
    setEvaluationCacheDir(path.join(blocker, "iam"));
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    assert.strictEqual((await evaluateSimulation(sim("Deny"))).decision, "ExplicitlyDenied");
    assert.deepStrictEqual(evaluationStats(), { evaluated: 1, reused: 1 });
    assert.doesNotThrow(() => flushEvaluationCache());
    assert.deepStrictEqual(fs.readdirSync(dir), ["a-file"]);
  });

  it("stays bounded: past the limit the least recently used answers go, down to half", async () => {
    const old: Evaluation = { decision: "ImplicitlyDenied", grants: [], denials: [], explained: false };
    plant(Array.from({ length: 12 }, (_, i): [string, Evaluation] => [`entry-${String(i).padStart(2, "0")}`, old]));
    await evaluateSimulation(sim("Allow"));
    flushEvaluationCache(10);
    assert.deepStrictEqual([...onDisk().keys()], ["entry-08", "entry-09", "entry-10", "entry-11", evaluationKey(sim("Allow"))]);
  });

  it("a request the engine rejects throws and caches nothing", async () => {
    await assert.rejects(evaluateSimulation(sim("Allow", "s3:NoSuchAction")), /iam-simulate rejected s3:NoSuchAction on arn:aws:s3:::bucket-a/);
    flushEvaluationCache();
    assert.deepStrictEqual(fs.readdirSync(dir), []);
  });

  it("the dev plan from cached answers is the dev plan without them, and re-planning evaluates nothing", async function () {
    this.timeout(300_000); // three whole plans on a shared machine
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
