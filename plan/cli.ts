// npm run plan -- --stack NAME [--json]
import { Command } from "commander";
import { ConfigError } from "../config";
import { buildPlan } from "./build";
import { renderPlan } from "./render";
import { ROOT, UnknownStackError } from "./stackFiles";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const stdio: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

/** Exit status: 0 clean, 1 the plan breaks a rule (mandatory violation, access breach), 2 bad stack or config. */
export async function main(argv: string[], io: Io = stdio): Promise<number> {
  const cmd = new Command("plan")
    .description("Offline plan: runs the Pulumi program under mocks with a stack's config and judges what it would deploy")
    .requiredOption("-s, --stack <name>", "stack name (reads Pulumi.<name>.yaml)")
    .option("--json", "print the machine-readable plan")
    .option("--root <dir>", "project directory holding Pulumi.<stack>.yaml", ROOT)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  try {
    cmd.parse(argv, { from: "user" });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode ?? 2;
  }
  const opts = cmd.opts<{ stack: string; json?: boolean; root: string }>();
  try {
    const { plan, failures } = await buildPlan(opts.stack, { root: opts.root });
    io.out((opts.json ? JSON.stringify(plan, null, 2) : renderPlan(plan)) + "\n");
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
