// Bundles the Lambda entry points with esbuild: in memory, offline, once per process (the plan,
// tests and `pulumi up` may build several stacks; the code does not change between them).
// Across processes the bundle is reused from a content-addressed cache: esbuild's metafile lists
// every input, and the cached bundle is used only while every one of them (plus the lockfile, the
// esbuild version and the options) hashes the same. Any change rebuilds, so a deploy never ships a
// stale bundle; a cache that cannot be read or written is simply skipped.
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";

export const LAMBDA_ENTRIES = {
  api: path.join(__dirname, "lambda", "api.ts"),
  revoker: path.join(__dirname, "lambda", "revoker.ts"),
} as const;
export type LambdaEntry = keyof typeof LAMBDA_ENTRIES;

/** Must match the component's `runtime`: esbuild lowers syntax for it. */
export const LAMBDA_NODE_TARGET = "node22";

const ROOT = path.resolve(__dirname, "..");
export const BUNDLE_CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "model-vault", "jit-lambda");

const OPTIONS: BuildOptions = {
  entryPoints: LAMBDA_ENTRIES,
  outdir: "jit-lambda",
  bundle: true,
  platform: "node",
  target: LAMBDA_NODE_TARGET,
  format: "cjs",
  minify: true,
  write: false,
  metafile: true,
  legalComments: "none",
  logLevel: "silent",
  // The SDK is bundled, pinned to the versions tested here, not whatever the runtime ships.
};

type Bundles = Record<LambdaEntry, string>;

interface Manifest {
  /** esbuild version, options and lockfile: what the input hashes alone do not cover. */
  setup: string;
  /** Every input of the last build, relative to the project root, with its content hash. */
  inputs: Record<string, string>;
}

const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

/** Exported for tests. */
export function setupKey(): string {
  const lock = path.join(ROOT, "package-lock.json");
  return sha256(JSON.stringify({ esbuildVersion, OPTIONS, lock: fs.existsSync(lock) ? sha256(fs.readFileSync(lock)) : null }));
}

/** The cached bundles if every recorded input still hashes the same; exported for tests. */
export function readCache(setup: string): Bundles | undefined {
  try {
    const manifest = JSON.parse(fs.readFileSync(path.join(BUNDLE_CACHE_DIR, "manifest.json"), "utf8")) as Manifest;
    if (manifest.setup !== setup) return undefined;
    for (const [file, hash] of Object.entries(manifest.inputs)) {
      if (sha256(fs.readFileSync(path.join(ROOT, file))) !== hash) return undefined;
    }
    return {
      api: fs.readFileSync(path.join(BUNDLE_CACHE_DIR, "api.js"), "utf8"),
      revoker: fs.readFileSync(path.join(BUNDLE_CACHE_DIR, "revoker.js"), "utf8"),
    };
  } catch {
    return undefined;
  }
}

function writeCache(setup: string, bundles: Bundles, inputs: string[]): void {
  try {
    fs.mkdirSync(BUNDLE_CACHE_DIR, { recursive: true });
    const manifest: Manifest = { setup, inputs: Object.fromEntries(inputs.map((f) => [f, sha256(fs.readFileSync(path.join(ROOT, f)))])) };
    for (const name of Object.keys(bundles) as LambdaEntry[]) fs.writeFileSync(path.join(BUNDLE_CACHE_DIR, `${name}.js`), bundles[name]);
    // The manifest last: a cache interrupted mid-write has no manifest that vouches for it.
    fs.writeFileSync(path.join(BUNDLE_CACHE_DIR, "manifest.json"), JSON.stringify(manifest));
  } catch {
    // A read-only checkout still bundles; it just does so every time.
  }
}

/** Exported for tests. */
export function build(): { bundles: Bundles; inputs: string[] } {
  const out = buildSync({ ...OPTIONS, absWorkingDir: ROOT });
  const byName = (n: LambdaEntry): string => {
    const f = out.outputFiles?.find((o) => path.basename(o.path) === `${n}.js`);
    if (!f) throw new Error(`esbuild produced no ${n}.js`);
    return f.text;
  };
  return { bundles: { api: byName("api"), revoker: byName("revoker") }, inputs: Object.keys(out.metafile?.inputs ?? {}) };
}

let cache: Bundles | undefined;

/** Both entries come from one esbuild run (they share most of their modules). */
export function bundleLambda(entry: LambdaEntry): string {
  if (!cache) {
    const setup = setupKey();
    cache = readCache(setup);
    if (!cache) {
      const fresh = build();
      writeCache(setup, fresh.bundles, fresh.inputs);
      cache = fresh.bundles;
    }
  }
  return cache[entry];
}
