// Bundles the Lambda entry points with esbuild: in memory, offline, once per process (the plan,
// tests and `pulumi up` may build several stacks; the code does not change between them).
import { buildSync } from "esbuild";
import * as path from "path";

export const LAMBDA_ENTRIES = {
  api: path.join(__dirname, "lambda", "api.ts"),
  revoker: path.join(__dirname, "lambda", "revoker.ts"),
} as const;
export type LambdaEntry = keyof typeof LAMBDA_ENTRIES;

/** Must match the component's `runtime`: esbuild lowers syntax for it. */
export const LAMBDA_NODE_TARGET = "node22";

let cache: Record<LambdaEntry, string> | undefined;

/** Both entries in one esbuild run (they share most of their modules). */
export function bundleLambda(entry: LambdaEntry): string {
  if (!cache) {
    const out = buildSync({
      entryPoints: LAMBDA_ENTRIES,
      outdir: "jit-lambda",
      bundle: true,
      platform: "node",
      target: LAMBDA_NODE_TARGET,
      format: "cjs",
      minify: true,
      write: false,
      legalComments: "none",
      logLevel: "silent",
      // The SDK is bundled, pinned to the versions tested here, not whatever the runtime ships.
    });
    const byName = (n: LambdaEntry): string => {
      const f = out.outputFiles.find((o) => path.basename(o.path) === `${n}.js`);
      if (!f) throw new Error(`esbuild produced no ${n}.js`);
      return f.text;
    };
    cache = { api: byName("api"), revoker: byName("revoker") };
  }
  return cache[entry];
}
