// The Lambda bundle cache must never hand out a bundle whose inputs changed.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { BUNDLE_CACHE_DIR, build, bundleLambda, readCache, setupKey } from "../jit/bundle";

describe("JIT Lambda bundle cache", () => {
  const manifestFile = path.join(BUNDLE_CACHE_DIR, "manifest.json");
  let saved: string;
  before(() => {
    bundleLambda("api"); // fills the cache if it was empty
    saved = fs.readFileSync(manifestFile, "utf8");
  });
  afterEach(() => fs.writeFileSync(manifestFile, saved));

  it("serves exactly what a fresh esbuild run produces, and records every input", () => {
    const fresh = build();
    assert.deepEqual(readCache(setupKey()), fresh.bundles);
    const manifest = JSON.parse(saved) as { inputs: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.inputs).sort(), [...fresh.inputs].sort());
    assert.ok(fresh.inputs.includes("jit/lambda/api.ts"));
  });

  it("is ignored once any input's content differs from what was bundled", () => {
    const manifest = JSON.parse(saved) as { setup: string; inputs: Record<string, string> };
    manifest.inputs["jit/lambda/api.ts"] = "0".repeat(64);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    assert.equal(readCache(setupKey()), undefined);
  });

  it("is ignored when esbuild, the options or the lockfile differ", () => {
    assert.equal(readCache("another-setup"), undefined);
  });

  it("is ignored when a recorded input no longer exists", () => {
    const manifest = JSON.parse(saved) as { setup: string; inputs: Record<string, string> };
    manifest.inputs["jit/lambda/gone.ts"] = "0".repeat(64);
    fs.writeFileSync(manifestFile, JSON.stringify(manifest));
    assert.equal(readCache(setupKey()), undefined);
  });
});
