// `node -r ./tools/register.js` runs the plan, the bench and the CLIs straight from TypeScript.
// Type checking is tsc's job (`npm test`); here esbuild only strips types, and its output is kept in
// node_modules/.cache keyed by esbuild's version, the options, the file's path and its content, so a
// plan does not pay to transpile the same ~150 files in every process. Node's source-map support
// stays off: Pulumi captures a stack for every resource and promise it creates, and mapping each of
// them cost a tenth of a plan. (The tests run through ts-node, as `pulumi up` does, with source maps.)
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const esbuild = require("esbuild");

const OPTIONS = { loader: "ts", format: "cjs", target: `node${process.versions.node.split(".")[0]}` };
const CACHE_DIR = path.join(__dirname, "..", "node_modules", ".cache", "model-vault", "ts");
const SALT = `${esbuild.version}\0${JSON.stringify(OPTIONS)}\0`;

function transpile(source, filename) {
  const key = crypto.createHash("sha256").update(SALT + filename + "\0" + source).digest("hex");
  const cached = path.join(CACHE_DIR, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // Not cached yet.
  }
  const { code } = esbuild.transformSync(source, { ...OPTIONS, sourcefile: filename });
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    // Renamed into place so a concurrent process never reads half a file.
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code);
    fs.renameSync(tmp, cached);
  } catch {
    // A read-only checkout transpiles every time.
  }
  return code;
}

require.extensions[".ts"] = function loadTypeScript(module, filename) {
  module._compile(transpile(fs.readFileSync(filename, "utf8"), filename), filename);
};
process.setSourceMapsEnabled(false);
