// npm run plan -- --stack NAME [--json] [--explain] [--scp-rows] [--tree] [--section a,b] [--width N]
//                 [--html FILE] [--baseline OLD.json [--fail-on new-access]]
import * as fs from "node:fs";
import { Command, InvalidArgumentError } from "commander";
import { ConfigError } from "../config";
import { buildPlan } from "./build";
import { renderHtml } from "./html/page";
import { MIN_WIDTH, textOptionsFor } from "./layout";
import { renderPlan } from "./render";
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
}

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
    .option("--section <names>", "only these sections (comma-separated: design, scp, paths, scps, policy, warnings, tree, outputs)", list)
    .option("--width <columns>", "fit lines to this width (default: the terminal's, or 100 in a pipe)", width)
    .option("--no-color", "no colour even on a terminal (NO_COLOR does the same)")
    .option("--html <file>", "also write the plan as a self-contained HTML page")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  try {
    cmd.parse(argv, { from: "user" });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode ?? 2;
  }
  const opts = cmd.opts<Options>();
  try {
    const { plan, failures } = await buildPlan(opts.stack, { root: opts.root });
    if (opts.html) {
      fs.writeFileSync(opts.html, renderHtml(plan, failures));
      io.err(`plan: wrote ${opts.html}\n`);
    }
    if (opts.json) io.out(JSON.stringify(plan, null, 2) + "\n");
    else {
      const text = textOptionsFor(io, io.env ?? {}, { width: opts.width, color: opts.color });
      io.out(renderPlan(plan, { ...text, explain: opts.explain, scpRows: opts.scpRows, tree: opts.tree, sections: opts.section, failures }) + "\n");
    }
    if (failures.length) {
      io.err(`\nplan failed:\n${failures.map((f) => `  - ${f}`).join("\n")}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UnknownStackError) {
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
