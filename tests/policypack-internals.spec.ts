// The @pulumi/policy internals the pack still relies on (no public API does the same), pinned to
// the version policypack/package.json installs. If an upgrade changes one, this fails before a
// preview silently reads every unknown as a value, or a "not known yet" note blocks a preview.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { SENTINELS, unwrapProps } from "../policypack/lib/unknown";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as Record<string, unknown> & { unknownCheckingProxy: (o: object) => Record<string, unknown> };
const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json"));

describe("policypack: pinned @pulumi/policy internals", () => {
  it("the pack and the root install the same exact @pulumi/policy version", () => {
    const pack = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policypack", "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const installed = (JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")) as { version: string }).version;
    // The published package.json spells its version "v1.21.0".
    assert.strictEqual(pack.dependencies["@pulumi/policy"], installed.replace(/^v/, ""));
  });
  it("the pack pins every dependency exactly, as the root does, with a committed lockfile (it installs alone: `cd policypack && npm ci`)", () => {
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", f), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; packages?: Record<string, { version?: string }> };
    const pack = read("policypack/package.json");
    const root = read("package.json");
    const lock = read("policypack/package-lock.json");
    for (const [name, v] of Object.entries({ ...pack.dependencies, ...pack.devDependencies })) {
      assert.match(v, /^\d+\.\d+\.\d+$/, `${name} is not pinned`);
      assert.strictEqual(root.dependencies[name] ?? root.devDependencies[name], v, `${name}: the root installs another version`);
      assert.strictEqual(lock.packages?.[`node_modules/${name}`]?.version, v, `${name}: the lockfile is stale`);
    }
  });
  it("the unknown-value sentinels are exactly the deserializer's (proxy.js unknown*Value)", () => {
    const theirs = Object.entries(proxy).filter(([k]) => /^unknown[A-Z]\w*Value$/.test(k)).map(([, v]) => v);
    assert.deepStrictEqual([...SENTINELS].sort(), (theirs as string[]).sort());
    // containsUnknown's fast path relies on this.
    for (const v of SENTINELS) assert.ok(v.includes("-4"), v);
  });
  it("the unknown-checking proxy hands back its target under the special key, and unwrapProps uses it", () => {
    const target = { policy: proxy["unknownStringValue"] as string };
    const p = proxy.unknownCheckingProxy(target);
    assert.throws(() => p["policy"]);
    assert.strictEqual(p[proxy["getSpecialProxyTarget"] as string], target);
    assert.strictEqual(unwrapProps(p), target);
  });
  it("reportViolation's object form keeps its own enforcementLevel (server.js makeReportViolationFun)", () => {
    const server = fs.readFileSync(path.join(policyDir, "server.js"), "utf8");
    const fn = server.slice(server.indexOf("function makeReportViolationFun"));
    assert.match(fn, /if \(typeof message === "object"\)/);
    assert.match(fn, /enforcementLevel: policyInfo\.enforcementLevel \|\| enforcementLevel/);
  });
});
