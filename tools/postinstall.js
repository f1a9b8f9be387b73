// npm ci / npm install: applies patches/ (fixes to the dev-only IAM engine's libraries, see
// patches/README.md) when patch-package is installed. A production install (--omit=dev) has
// neither patch-package nor the patched packages, so it skips quietly; a failing patch fails.
const { spawnSync } = require("node:child_process");

let bin;
try {
  bin = require.resolve("patch-package/index.js");
} catch {
  process.exit(0);
}
const r = spawnSync(process.execPath, [bin], { stdio: "inherit" });
process.exit(r.status ?? 1);
