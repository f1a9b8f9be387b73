// The access matrix of the dev stack's plan (CDN enabled) gains the CloudFront service principal:
// it reads only the distributed prefixes, and only as this distribution.
import { strict as assert } from "node:assert";
import { loadStackConfig } from "../config";
import { computeAccessMatrix, type AccessMatrixResult } from "../plan/access";
import { runProgram } from "../plan/run";
import { readStackConfig } from "../plan/stackFiles";

describe("access matrix: CloudFront rows (dev plan)", () => {
  let m: AccessMatrixResult;
  let distArn: string;
  let prefixes: string[];

  before(async () => {
    const cfg = loadStackConfig("dev", readStackConfig("dev"));
    assert.equal(cfg.cdn.enabled, true, "the dev stack enables the CDN");
    prefixes = cfg.cdn.prefixes;
    const run = await runProgram("dev");
    distArn = String(run.outputs.cdnDistributionArn);
    m = await computeAccessMatrix({ project: "model-vault", stack: "dev", ...run }, cfg);
  });

  const rows = (labelPart: string) => m.cells.filter((c) => c.principal === "cloudfront.amazonaws.com" && c.label.includes(labelPart));

  it("as this distribution: GetObject inside the distributed prefixes only, S3 and KMS both allowing", () => {
    const mine = rows(distArn.split("/").pop()!);
    assert.ok(mine.length > 0);
    const allowed = mine.filter((c) => c.decision === "Allowed");
    assert.equal(allowed.length, 1);
    assert.equal(allowed[0].action, "s3:GetObject");
    assert.ok(prefixes.some((p) => allowed[0].resource.includes(`/${p}`)));
    assert.match(allowed[0].by, /CloudFrontReadDistributedPrefixes/);
    assert.match(allowed[0].by, /kms:Decrypt: .*CloudFrontDecryptDistributedObjects/);
    for (const c of mine.filter((x) => x !== allowed[0])) assert.notEqual(c.decision, "Allowed", `${c.action} ${c.resource}`);
  });

  it("as another distribution: nothing", () => {
    const other = rows("another distribution");
    assert.ok(other.length > 0);
    assert.ok(other.every((c) => c.decision !== "Allowed"));
  });

  it("no breach and no surprise among the CloudFront rows", () => {
    assert.deepEqual(m.breaches.filter((b) => b.startsWith("cloudfront")), []);
    assert.deepEqual(m.warnings.filter((w) => w.includes("cloudfront")), []);
  });
});
