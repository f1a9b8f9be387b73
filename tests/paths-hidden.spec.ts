// An accepted limit (or a designed path) reached first from a start must not hide a breach reachable
// from the same start by a longer way: the search goes on past a limit until a breach or the end.
import { strict as assert } from "node:assert";
import { findPaths } from "../plan/paths/graph";
import type { PathModel, PathPrincipal } from "../plan/paths/model";
import { TINY_ACCOUNT as ACCOUNT, allow, doc, tinyModel, tinyPrincipal } from "./support/tinyPathModel";

const ADMIN = `arn:aws:iam::${ACCOUNT}:role/workload-admin`;
const HELPER = `arn:aws:iam::${ACCOUNT}:role/cdn-helper`;
const DISTRIBUTION = `arn:aws:cloudfront::${ACCOUNT}:distribution/E000000000000`;

// Only the cases' own starting points start the search here.
const principal = (arn: string, over: Partial<PathPrincipal>): PathPrincipal => tinyPrincipal(arn, { start: false, ...over });

function model(principals: PathPrincipal[]): PathModel {
  return tinyModel(principals, {
    bucketKey: {
      arn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/00000000-0000-0000-0000-000000000000`,
      policy: doc({ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }),
    },
    distribution: { arn: DISTRIBUTION, policy: null },
  });
}

// The administrator may update key groups (an accepted limit: no resource-level permission) and
// assume a helper role that may strip the distribution's key groups (a breach).
const admin = principal(ADMIN, { kind: "admin", label: "workload administrator", start: true, identityPolicies: [{ name: "admin", policy: doc(allow(["cloudfront:UpdateKeyGroup", "sts:AssumeRole"])) }] });
const helper = principal(HELPER, {
  identityPolicies: [{ name: "cdn", policy: doc(allow("cloudfront:UpdateDistribution", DISTRIBUTION)) }],
  trust: doc({ Effect: "Allow", Principal: { AWS: ADMIN }, Action: "sts:AssumeRole" }),
});

describe("attacker paths: a limit never hides a breach from the same start", () => {
  it("the administrator's key-group limit does not hide its longer way to strip the distribution", async () => {
    const r = await findPaths(model([admin, helper]));
    const mine = r.paths.filter((p) => p.from === ADMIN && p.goal === "read-weights");
    assert.ok(mine.some((p) => p.verdict === "accepted-limit" && p.hops[0].action === "cloudfront:UpdateKeyGroup"), JSON.stringify(mine));
    const breach = mine.find((p) => p.verdict === "breach");
    assert.ok(breach, `a breach is reported: ${JSON.stringify(mine)}`);
    assert.deepEqual(
      breach.hops.map((h) => h.action),
      ["sts:AssumeRole", "cloudfront:UpdateDistribution"],
    );
  });

  it("a role run under compute that reads (a limit) and strips the distribution reports the breach too", async () => {
    const passer = principal(ADMIN, { kind: "admin", start: true, identityPolicies: [{ name: "admin", policy: doc(allow(["iam:PassRole", "lambda:CreateFunction"])) }] });
    const consumer = principal(HELPER, {
      role: "consumer",
      identityPolicies: [{ name: "read", policy: doc(allow(["s3:GetObject", "kms:Decrypt"]), allow("cloudfront:UpdateDistribution", DISTRIBUTION)) }],
      trust: doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }),
    });
    const r = await findPaths(model([passer, consumer]));
    const mine = r.paths.filter((p) => p.from === ADMIN && p.goal === "read-weights");
    assert.ok(mine.some((p) => p.verdict === "accepted-limit" && p.hops[1].action.startsWith("s3:GetObject")), JSON.stringify(mine));
    const breach = mine.find((p) => p.verdict === "breach");
    assert.ok(breach, `a breach is reported: ${JSON.stringify(mine)}`);
    assert.equal(breach.hops[breach.hops.length - 1].action, "cloudfront:UpdateDistribution");
  });

  it("without the helper, the administrator's only way is the accepted limit (no breach invented)", async () => {
    const r = await findPaths(model([admin]));
    assert.deepEqual(
      r.paths.filter((p) => p.from === ADMIN).map((p) => p.verdict),
      ["accepted-limit"],
    );
  });
});
