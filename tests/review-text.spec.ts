// The text plan respects its reader (issue 19 item 1): the verdict first and last, the design matrix,
// only what is wrong; details behind flags; no line wider than the page; colour only on a terminal.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { main } from "../plan/cli";
import { fit, wrapLine, visibleLength, tone } from "../plan/layout";
import { renderPlan } from "../plan/render";
import type { AccessCell, Plan } from "../plan/types";
import { planFor, serially } from "./support/plans";

const ANSI = /\u001b\[/;
const VERDICT = /^(PASS|FAIL) model-vault\/\w+: \d+ resources · \d+ violations/;

async function cli(args: string[], io: { isTTY?: boolean; columns?: number; env?: Record<string, string> } = {}) {
  let out = "";
  let err = "";
  const code = await serially(() => main(args, { out: (s) => (out += s), err: (s) => (err += s), env: {}, ...io }));
  return { code, out, err, lines: out.replace(/\n$/, "").split("\n") };
}

describe("review: the text plan", () => {
  let plan: Plan;
  let failures: string[];
  before(async () => {
    ({ plan, failures } = await planFor("dev"));
  });

  it("dev: the verdict is the first and the last line, then the matrix; about one screen", async () => {
    const { code, lines } = await cli(["--stack", "dev"]);
    assert.equal(code, 0);
    assert.match(lines[0], VERDICT);
    assert.match(lines[0], /^PASS model-vault\/dev: \d+ resources · 0 violations · 0 access breaches · 0 breach paths/);
    assert.equal(lines[lines.length - 1], lines[0]);
    assert.match(lines[2], /^Access matrix: All \d+ cells are what the design promises\.$/);
    assert.ok(lines.length <= 60, `${lines.length} lines`);
    // The details are behind flags: no deciding statements, no tree, no SCP rows by default.
    const text = lines.join("\n");
    assert.doesNotMatch(text, /decided by:/);
    assert.doesNotMatch(text, /├─/);
    assert.match(text, /Access under the org stack's SCPs: \d+ rows for \d+ principal\(s\), all keep their promise\./);
  });

  it("--explain, --scp-rows and --tree add the deciding statements, the SCP rows and the resources", async () => {
    const text = renderPlan(plan, { explain: true, scpRows: true, tree: true, width: 100 });
    assert.match(text, /Access matrix, decided by:\n {2}consumer /);
    assert.match(text, /Access under the org stack's SCPs, decided by:/);
    assert.match(text, /└─ storage:ModelBucket {2}models/);
    assert.match(text, /^Outputs:$/m);
  });

  it("--section shows only the sections named", async () => {
    const { lines } = await cli(["--stack", "dev", "--section", "paths"]);
    const text = lines.join("\n");
    assert.match(lines[0], VERDICT);
    assert.match(text, /^Who can reach what:/m);
    assert.doesNotMatch(text, /Access matrix|Policy pack/);
  });

  for (const width of [40, 60, 80, 100, 132]) {
    it(`no line is wider than --width ${width}, whatever is shown`, () => {
      const text = renderPlan(plan, { explain: true, scpRows: true, tree: true, width, failures: ["a failure whose message is a long unbroken ARN arn:aws:iam::111111111111:role/model-vault/access-consumer-sagemaker-inference-0e1d4fc"] });
      const wide = text.split("\n").filter((l) => [...l].length > width);
      assert.deepEqual(wide, []);
    });
  }

  it("fits the terminal's width when stdout is a terminal, 100 columns in a pipe", async () => {
    const tty = await cli(["--stack", "dev", "--explain"], { isTTY: true, columns: 72 });
    assert.ok(tty.lines.every((l) => visibleLength(l.replace(/\u001b\[[\d;]*m/g, "")) <= 72));
    const pipe = await cli(["--stack", "dev", "--explain"]);
    assert.ok(pipe.lines.every((l) => [...l].length <= 100));
    assert.ok(pipe.lines.some((l) => [...l].length > 72), "the pipe is not cut to the terminal's width");
  });

  it("colours only a terminal: never a pipe, nor with NO_COLOR or --no-color", async () => {
    assert.match((await cli(["--stack", "dev"], { isTTY: true, columns: 120 })).out, ANSI);
    assert.doesNotMatch((await cli(["--stack", "dev"], { isTTY: true, columns: 120, env: { NO_COLOR: "1" } })).out, ANSI);
    assert.doesNotMatch((await cli(["--stack", "dev", "--no-color"], { isTTY: true, columns: 120 })).out, ANSI);
    assert.doesNotMatch((await cli(["--stack", "dev"])).out, ANSI);
  });

  it("a real pipe gets no escape codes and no line over 100 columns (a separate process, as `npm run plan | less`)", () => {
    const r = spawnSync(process.execPath, ["-r", "./tools/register.js", "plan/cli.ts", "--stack", "dev", "--explain"], {
      cwd: path.resolve(__dirname, ".."),
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "" },
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, ANSI);
    assert.ok(r.stdout.split("\n").every((l) => [...l].length <= 100));
    assert.match(r.stdout, VERDICT);
  });

  it("rejects a width nothing fits in, naming the flag", async () => {
    const r = await cli(["--stack", "dev", "--width", "12"]);
    assert.equal(r.code, 1);
    assert.match(r.err, /--width.*at least 40/);
  });

  it("a breach: FAIL first and last, the cell marked ! and listed with its deciding statement", () => {
    const access = plan.access!.map((c): AccessCell => (c.label === "anonymous" && c.action === "s3:GetObject" && !("operation" in c) && /outside/.test(c.resource) ? { ...c, decision: "Allowed", by: "bucket-policy/Planted" } : c));
    assert.equal(access.filter((c) => c.by === "bucket-policy/Planted").length, 1);
    const lines = renderPlan({ ...plan, access }, { width: 250, failures }).split("\n");
    assert.match(lines[0], /^FAIL model-vault\/dev: .* 1 access breaches/);
    assert.equal(lines[lines.length - 1], lines[0]);
    const text = lines.join("\n");
    assert.match(text, /^ {2}anonymous +(\S+ +){4}A! +/m);
    assert.match(text, /BREACH anonymous: s3:GetObject\(outside\) on s3:\/\/acme-model-weights-dev\/outside\/example\.safetensors is Allowed, expected ExplicitlyDenied {2}<- bucket-policy\/Planted/);
  });

  it("keeps --json the plan contract, byte for byte the plan object", async () => {
    const { out } = await cli(["--stack", "dev", "--json"]);
    assert.equal(out, JSON.stringify(JSON.parse(JSON.stringify(plan)), null, 2) + "\n");
  });
});

describe("review: text layout", () => {
  it("wraps at spaces with a hanging indent, cuts only a word wider than the line", () => {
    assert.deepEqual(wrapLine("  alpha beta gamma", 12), ["  alpha beta", "      gamma"]);
    assert.deepEqual(wrapLine("x".repeat(25), 10), ["x".repeat(10), "    " + "x".repeat(6), "    " + "x".repeat(6), "    " + "xxx"]);
  });

  it("colour never counts in the width and never reaches uncoloured output", () => {
    const line = `${tone("bad", "BREACH")} ${"y".repeat(30)}`;
    assert.deepEqual(fit([line], { width: 40, color: false }), [`BREACH ${"y".repeat(30)}`]);
    const coloured = fit([line], { width: 40, color: true });
    assert.equal(coloured.length, 1);
    assert.match(coloured[0], /^\u001b\[1;31mBREACH\u001b\[0m /);
  });
});
