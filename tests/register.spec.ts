// tools/register.js caches transpiled TypeScript across processes; an edited file must never run stale.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const register = path.resolve(__dirname, "..", "tools", "register.js");

function run(file: string): string {
  const r = spawnSync(process.execPath, ["-r", register, file], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe("tools/register.js", () => {
  it("runs TypeScript, and an edited file runs as edited in the next process", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mv-register-"));
    const file = path.join(dir, "probe.ts");
    try {
      fs.writeFileSync(file, 'const n: number = 1;\nconsole.log(`value ${n}`);\n');
      assert.equal(run(file), "value 1");
      assert.equal(run(file), "value 1", "served again (from the cache)");
      fs.writeFileSync(file, 'const n: number = 2;\nconsole.log(`value ${n}`);\n');
      assert.equal(run(file), "value 2");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
