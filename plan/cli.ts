// npm run plan -- --stack NAME [--json]
import { Command } from "commander";
import { ConfigError } from "../config";
import { buildPlan } from "./build";
import { renderPlan } from "./render";
import { UnknownStackError } from "./stackFiles";

async function main(argv: string[]): Promise<number> {
  const cmd = new Command("plan")
    .description("Offline plan: runs the Pulumi program under mocks with a stack's config and judges what it would deploy")
    .requiredOption("-s, --stack <name>", "stack name (reads Pulumi.<name>.yaml)")
    .option("--json", "print the machine-readable plan")
    .exitOverride();
  cmd.parse(argv);
  const opts = cmd.opts<{ stack: string; json?: boolean }>();
  try {
    const { plan, failures } = await buildPlan(opts.stack);
    process.stdout.write((opts.json ? JSON.stringify(plan, null, 2) : renderPlan(plan)) + "\n");
    if (failures.length) {
      process.stderr.write(`\nplan failed:\n${failures.map((f) => `  - ${f}`).join("\n")}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UnknownStackError) {
      process.stderr.write(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const err = e as { code?: string; exitCode?: number; message?: string };
    if (err.code?.startsWith("commander.")) process.exit(err.exitCode ?? 2);
    process.stderr.write(`plan: ${err.message ?? String(e)}\n`);
    process.exit(2);
  },
);
