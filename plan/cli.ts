// npm run plan -- --stack NAME [--json] [--explain] [--scp-rows] [--tree] [--section a,b] [--width N]
//                 [--html FILE] [--baseline OLD.json [--fail-on new-access]]
// Exit status: 0 clean; 1 a mandatory violation, a breach, or new access with --fail-on new-access;
// 2 a bad stack, config, flag or baseline file.
import * as fs from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../config";
import { buildPlan } from "./build";
import { renderHtml } from "./html/page";
import { diffPlans, renderDiff } from "./diff";
import { fit, MIN_WIDTH, textOptionsFor } from "./layout";
import { renderPlan, verdictLine } from "./render";
import type { Plan } from "./types";
import { ROOT, UnknownStackError } from "./stackFiles";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** Where out goes: a terminal gets colour and its width; anything else neither. */
  isTTY?: boolean;
  columns?: number;
  env?: Record<string, string | undefined>;
}

const stdio: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  isTTY: process.stdout.isTTY,
  columns: process.stdout.columns,
  env: process.env,
};

interface Options {
  stack: string;
  json?: boolean;
  root: string;
  explain?: boolean;
  scpRows?: boolean;
  tree?: boolean;
  section?: string[];
  width?: number;
  color?: boolean;
  html?: string;
  baseline?: string;
  failOn?: string[];
}

class BaselineError extends Error {}

/** The baseline plan (`--json` of the base branch), or a message naming the file and what is wrong. */
function readBaseline(file: string): Plan {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new BaselineError(`--baseline ${file}: cannot read it (${(e as Error).message})`);
  }
  let plan: unknown;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    throw new BaselineError(`--baseline ${file}: not JSON (${(e as Error).message}); expected the output of \`npm run plan -- --stack NAME --json\``);
  }
  const p = plan as Partial<Plan> | null;
  if (!p || typeof p !== "object" || !Array.isArray(p.resources) || typeof p.stack !== "string") {
    throw new BaselineError(`--baseline ${file}: not a plan (no "stack" and "resources"); expected the output of \`npm run plan -- --stack NAME --json\``);
  }
  return p as Plan;
}

const FAIL_ON = ["new-access"];

function width(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < MIN_WIDTH) throw new InvalidArgumentError(`expected a whole number of columns, at least ${MIN_WIDTH}`);
  return n;
}

const list = (v: string, prev: string[] = []) => [...prev, ...v.split(",").map((s) => s.trim()).filter(Boolean)];

/** Exit status: 0 clean, 1 the plan breaks a rule (mandatory violation, access breach), 2 bad stack or config. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const cmd = new Command("plan")
    .description("Offline plan: runs the Pulumi program under mocks with a stack's config and judges what it would deploy")
    .requiredOption("-s, --stack <name>", "stack name (reads Pulumi.<name>.yaml)")
    .option("--json", "print the machine-readable plan")
    .option("--root <dir>", "project directory holding Pulumi.<stack>.yaml", ROOT)
    .option("--explain", "add the statement that decided each row and every hop of each attacker path")
    .option("--scp-rows", "add the rows that ask the org stack's SCPs")
    .option("--tree", "add the resource tree and the stack outputs")
    .option("--section <names>", "only these sections (comma-separated: design, scp, network, paths, scps, alarms, policy, warnings, tree, outputs)", list)
    .option("--width <columns>", "fit lines to this width (default: the terminal's, or 100 in a pipe)", width)
    .option("--no-color", "no colour even on a terminal (NO_COLOR does the same)")
    .option("--html <file>", "also write the plan as a self-contained HTML page")
    .option("--baseline <plan.json>", "print only what changed in access since this plan (another run's --json)")
    .option("--fail-on <what>", `with --baseline, exit 1 on: ${FAIL_ON.join(", ")} (a principal gains access it did not have)`, (v: string, prev: string[] = []) => {
      if (!FAIL_ON.includes(v)) throw new InvalidArgumentError(`expected one of: ${FAIL_ON.join(", ")}`);
      return [...prev, v];
    })
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  try {
    cmd.parse(argv, { from: "user" });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode ?? 2;
  }
  const opts = cmd.opts<Options>();
  if (opts.failOn && !opts.baseline) {
    io.err("--fail-on needs --baseline: the plan to compare with\n");
    return 2;
  }
  try {
    const baseline = opts.baseline ? readBaseline(opts.baseline) : undefined;
    const { plan, failures } = await buildPlan(opts.stack, { root: opts.root });
    if (opts.html) {
      fs.writeFileSync(opts.html, renderHtml(plan, failures));
      io.err(`plan: wrote ${opts.html}\n`);
    }
    const text = textOptionsFor(io, io.env ?? {}, { width: opts.width, color: opts.color });
    let newAccess: string[] = [];
    if (baseline) {
      const diff = diffPlans(baseline, plan);
      newAccess = diff.newAccess;
      io.out(fit(renderDiff(diff, opts.baseline!, verdictLine(plan, failures)), text).join("\n") + "\n");
    } else if (opts.json) io.out(JSON.stringify(plan, null, 2) + "\n");
    else io.out(renderPlan(plan, { ...text, explain: opts.explain, scpRows: opts.scpRows, tree: opts.tree, sections: opts.section, failures }) + "\n");
    if (opts.failOn?.includes("new-access") && newAccess.length) failures.push(...newAccess.map((n) => `new access since ${opts.baseline}: ${n}`));
    if (failures.length) {
      io.err(`\nplan failed:\n${failures.map((f) => `  - ${f}`).join("\n")}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UnknownStackError || e instanceof BaselineError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    io.err(`plan: ${(e as Error).message ?? String(e)}\n`);
    return 2;
  }
}

if (require.main === module) {
  // The plan prints messages, never stacks. Pulumi formats a stack for every promise it creates
  // (runtime/debuggable.js), and the TypeScript it loads raises V8's limit to 100 frames: a fifth of
  // the program's run. (Pulumi still takes its own full stacks for resource source positions.)
  Error.stackTraceLimit = 0;
  // Exit only once stdout has drained: a piped --json plan is larger than one pipe buffer.
  main(process.argv.slice(2)).then((code) => process.stdout.write("", () => process.exit(code)));
}
