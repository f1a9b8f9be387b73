// package.json's `engines.node` is a promise to users: every Node it admits must be one that every
// installed package admits too (npm prints EBADENGINE otherwise), for the program and for the
// standalone policy pack, and the Node that .ci/run provisions must be one it admits.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import { createRequire } from "node:module";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
// semver as @pulumi/pulumi itself resolves it (its direct dependency): no extra dependency for a test.
const semver = createRequire(require.resolve("@pulumi/pulumi/package.json"))("semver") as typeof import("semver");

interface Lock {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; optional?: boolean }>;
}

const ours = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;

/** Installed packages whose engines.node excludes some Node that `range` admits. */
function narrower(lockFile: string, range: string): string[] {
  const lock = JSON.parse(fs.readFileSync(lockFile, "utf8")) as Lock;
  return Object.entries(lock.packages)
    .filter(([p, v]) => p !== "" && !Array.isArray(v.engines) && typeof v.engines?.node === "string")
    .filter(([, v]) => !semver.subset(range, (v.engines as { node: string }).node))
    .map(([p, v]) => `${p.replace(/^.*node_modules\//, "")}@${v.version} wants node ${(v.engines as { node: string }).node}`);
}

describe("newcomer: the declared Node engines are true", () => {
  it("is a valid range with a lower bound", () => {
    assert.ok(semver.validRange(ours), `package.json engines.node ${ours} is not a semver range`);
    assert.ok(semver.minVersion(ours), `package.json engines.node ${ours} admits nothing`);
  });

  it("every package of the program's lockfile admits every Node that engines admits", () => {
    assert.deepEqual(narrower(path.join(ROOT, "package-lock.json"), ours), [], `package.json engines.node ${ours} is wider than its dependencies allow`);
  });

  it("so does every package of the policy pack's own lockfile", () => {
    assert.deepEqual(narrower(path.join(ROOT, "policypack", "package-lock.json"), ours), []);
  });

  it(".ci/run provisions a Node that engines admits", () => {
    const ci = fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8");
    const pin = /^NODE_PIN=(\S+)$/m.exec(ci)?.[1];
    assert.ok(pin, ".ci/run sets NODE_PIN");
    assert.ok(semver.satisfies(pin, ours), `.ci/run's NODE_PIN ${pin} is outside engines ${ours}`);
    // .ci/run reads the lower bound itself (before npm ci, so without semver): keep engines in that form.
    assert.match(ours, /^>=\d+\.\d+\.\d+$/);
  });
});
