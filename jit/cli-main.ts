// `jit` command line: the program is built here (testable in-process), jit/cli.ts only runs it.
import { readFileSync } from "fs";
import { execFileSync } from "child_process";
import { Command, CommanderError, Option } from "commander";
import { parse as parseYaml } from "yaml";
import { checkJitIdentity, resolveJitConfig, type JitConfig, type JitEnvironment } from "../config/jit";
import { BrokerClient, ClientError } from "./client";
import { claimWithRetries } from "./claim-client";
import { DEFAULT_SANDBOX_PORT, sandboxBanner, SANDBOX_CONFIG, startSandbox, type Sandbox } from "./local-server";
import type { AuditView } from "./handlers";
import type { JitRequest } from "./types";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  env: Record<string, string | undefined>;
}

const processIo: CliIo = { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), env: process.env };

/** Servers started by `serve`, so tests can stop them. */
export const runningSandboxes: Sandbox[] = [];

function summary(r: JitRequest): string {
  const window = r.windowEnd ? ` until ${r.windowEnd}` : "";
  return `${r.id}  ${r.status.padEnd(8)} ${r.requester}  ${r.actions.join("+")} ${r.prefix} ${r.minutes}min${window}  approvals ${r.approvals.length}/${r.approvalsRequired}${r.breakGlass ? "  BREAK-GLASS" : ""}`;
}

/**
 * A bare `jit` section (JSON/YAML), or a Pulumi.<stack>.yaml holding `model-vault:jit`: then the
 * stack's environment (model-vault:environment, else a stack named prod*) picks the defaults and
 * the identity rules, as the deploy would.
 */
function loadConfigFile(file: string, envOption?: JitEnvironment): { config: JitConfig; env: JitEnvironment } {
  let doc: Record<string, unknown> | null;
  try {
    const text = readFileSync(file, "utf8");
    doc = (file.endsWith(".json") ? JSON.parse(text) : parseYaml(text)) as Record<string, unknown> | null;
  } catch (e) {
    throw new ClientError(`${file}: ${(e as Error).message}`);
  }
  const stackConfig = doc?.config as Record<string, unknown> | undefined;
  const stackSection = stackConfig?.["model-vault:jit"];
  const stack = /Pulumi\.([^/\\]+)\.ya?ml$/.exec(file)?.[1];
  const declared = stackConfig?.["model-vault:environment"];
  const env: JitEnvironment = envOption ?? (declared === "prod" || declared === "dev" ? declared : stack?.startsWith("prod") ? "prod" : "dev");
  try {
    return { config: resolveJitConfig(stackSection ?? doc, env), env };
  } catch (e) {
    throw new ClientError(`${file}: ${(e as Error).message}`);
  }
}

/** An ARN of a pattern's shape for the "try:" line: the session becomes dave, other wildcards a suffix. */
function exampleArn(pattern: string): string {
  return pattern.replace(/\*$/, "dave").replace(/\*/g, "0123456789abcdef");
}

function endpointFrom(opts: { endpoint?: string; as?: string; asArn?: string; stack?: string }, env: CliIo["env"]): string {
  if (opts.endpoint) return opts.endpoint;
  if (env.JIT_ENDPOINT) return env.JIT_ENDPOINT;
  if (opts.as !== undefined || opts.asArn !== undefined) return `http://127.0.0.1:${env.JIT_SANDBOX_PORT ?? DEFAULT_SANDBOX_PORT}`;
  try {
    const args = ["stack", "output", "jitEndpoint", ...(opts.stack ? ["--stack", opts.stack] : [])];
    const url = execFileSync("pulumi", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    if (url) return url;
  } catch {
    // No Pulumi CLI or no such output: fall through to the one-line error.
  }
  throw new ClientError("no broker endpoint: pass --endpoint URL (pulumi stack output jitEndpoint), set JIT_ENDPOINT, or use --as NAME with the local sandbox");
}

export function buildProgram(io: CliIo = processIo): Command {
  const program = new Command("jit")
    .description("model-vault just-in-time elevation: request, approve, claim scoped short-lived credentials")
    .option("--endpoint <url>", "broker URL (default: JIT_ENDPOINT, or `pulumi stack output jitEndpoint`)")
    .option("--stack <name>", "Pulumi stack whose jitEndpoint output to use")
    .option("--region <region>", "AWS region for SigV4 (default: from the function URL)")
    .option("--as <name>", "SANDBOX ONLY: act as this person against the local sandbox")
    .option("--as-arn <arn>", "SANDBOX ONLY: act as this principal (an IAM user or assumed-role session ARN of the stack's shape)")
    .option("--principal-id <id>", "SANDBOX ONLY: with --as-arn, the principal id (AIDA... or AROA...:session; default: derived from the ARN)")
    .option("--json", "print raw JSON")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) });

  const client = (): BrokerClient => {
    const g = program.opts<{ endpoint?: string; as?: string; asArn?: string; principalId?: string; region?: string; stack?: string }>();
    if (g.as !== undefined && g.asArn !== undefined) throw new ClientError("--as and --as-arn are exclusive");
    if (g.principalId !== undefined && g.asArn === undefined) throw new ClientError("--principal-id goes with --as-arn");
    return new BrokerClient({ endpoint: endpointFrom(g, io.env), as: g.as, asArn: g.asArn, principalId: g.principalId, region: g.region });
  };
  const json = (): boolean => program.opts<{ json?: boolean }>().json === true;
  const show = (r: JitRequest, verb: string): void => io.out(json() ? JSON.stringify(r, null, 2) : `${verb}: ${summary(r)}`);

  program
    .command("serve")
    .description("run the broker locally (a SANDBOX: no AWS, identities from --as / --as-arn)")
    .requiredOption("--local", "run the local sandbox (the only mode)")
    .option("--port <n>", "port on 127.0.0.1", String(DEFAULT_SANDBOX_PORT))
    .option("--config <file>", "a Pulumi.<stack>.yaml (its model-vault:jit section) or a bare jit section (JSON/YAML); default: a demo config")
    .addOption(new Option("--env <env>", "defaults and identity rules to apply to --config (default: the stack's environment)").choices(["dev", "prod"]))
    .option("--data-dir <dir>", "keep the sandbox's requests in this directory across restarts (default: in memory)")
    .action(async (o: { port: string; config?: string; env?: JitEnvironment; dataDir?: string }) => {
      const { config, env } = o.config ? loadConfigFile(o.config, o.env) : { config: SANDBOX_CONFIG, env: "dev" as const };
      const sb = await startSandbox({ port: Number(o.port), config, dataDir: o.dataDir, log: (l) => io.err(l) });
      runningSandboxes.push(sb);
      io.err(sandboxBanner(o.dataDir));
      // The same notes the plan prints: entries that let a caller choose their own name.
      if (o.config) for (const w of checkJitIdentity(config, env).warnings) io.err(`warning: ${w}`);
      else io.err("demo config: bare names match --as NAME callers (dev only: prod refuses names a caller can choose)");
      io.err(`sandbox listening on ${sb.url}  (${env} rules${o.config ? ` from ${o.config}` : ", demo config"}; ${config.approvalsRequired} approval(s) needed)`);
      io.err(`  requesters: ${config.requesters.join(", ")}`);
      io.err(`  approvers:  ${config.approvers.join(", ")}`);
      const arnPattern = config.requesters.find((r) => r.startsWith("arn:"));
      io.err(
        arnPattern
          ? `try: npm run jit -- --as-arn ${exampleArn(arnPattern)} request --prefix ${config.prefixes[0]} --actions ${config.actions[0]} --minutes 15 --reason "publish"${config.ticketPattern ? ` --ticket ID  (ID matching ${config.ticketPattern})` : ""}`
          : `try: npm run jit -- --as alice request --prefix models/llama/ --actions write --minutes 30 --reason "publish"`,
      );
    });

  program
    .command("request")
    .description("ask for elevated access")
    .requiredOption("--prefix <prefix>", "S3 key prefix, e.g. models/llama/")
    .requiredOption("--actions <list>", "write, delete or write,delete")
    .requiredOption("--minutes <n>", "window length")
    .requiredOption("--reason <text>", "why")
    .option("--ticket <id>", "change ticket")
    .action(async (o: { prefix: string; actions: string; minutes: string; reason: string; ticket?: string }) => {
      const minutes = Number(o.minutes);
      if (!Number.isInteger(minutes)) throw new ClientError(`--minutes ${o.minutes}: expected a whole number`);
      const r = await client().call<JitRequest>("POST", "/requests", {
        prefix: o.prefix,
        actions: o.actions.split(",").map((s) => s.trim()).filter(Boolean),
        minutes,
        reason: o.reason,
        ...(o.ticket ? { ticket: o.ticket } : {}),
      });
      show(r, "requested");
    });

  program
    .command("list")
    .description("list requests")
    .option("--status <status>", "PENDING, APPROVED, ACTIVE, ...")
    .option("--mine", "only my requests")
    .action(async (o: { status?: string; mine?: boolean }) => {
      const q: Record<string, string> = {};
      if (o.status) q.status = o.status;
      if (o.mine) q.mine = "1";
      const rs = await client().call<JitRequest[]>("GET", "/requests", undefined, q);
      if (json()) io.out(JSON.stringify(rs, null, 2));
      else if (rs.length === 0) io.out("no requests");
      else for (const r of rs) io.out(summary(r));
    });

  program
    .command("show <id>")
    .description("show one request")
    .action(async (id: string) => {
      const r = await client().call<JitRequest>("GET", `/requests/${encodeURIComponent(id)}`);
      if (json()) return io.out(JSON.stringify(r, null, 2));
      io.out(summary(r));
      io.out(`reason: ${r.reason}${r.ticket ? `  ticket: ${r.ticket}` : ""}`);
      for (const h of r.history) io.out(`  ${h.at}  ${h.event.padEnd(7)} ${h.by.padEnd(12)} ${h.from ?? "-"} -> ${h.to}${h.reason ? `  "${h.reason}"` : ""}${h.breakGlass ? "  BREAK-GLASS" : ""}`);
    });

  for (const verb of ["approve", "deny", "revoke"] as const) {
    program
      .command(`${verb} <id>`)
      .description(verb === "approve" ? "approve a request (break-glass self-approval needs --reason)" : verb === "deny" ? "deny a pending request" : "end a request early; cuts issued sessions")
      .option("--reason <text>", verb === "deny" ? "why (required)" : "why")
      .action(async (id: string, o: { reason?: string }) => {
        if (verb === "deny" && !o.reason) throw new ClientError("deny needs --reason");
        const r = await client().call<JitRequest>("POST", `/requests/${encodeURIComponent(id)}/${verb}`, o.reason ? { reason: o.reason } : {});
        show(r, `${verb === "deny" ? "denied" : `${verb}d`}`);
      });
  }

  program
    .command("claim <id>")
    .description("get the credentials of an approved request (shell exports)")
    .option("--credential-process", "print credential_process JSON for ~/.aws/config")
    .action(async (id: string, o: { credentialProcess?: boolean }) => {
      const r = await claimWithRetries(client(), id);
      if (!r.credentials) {
        // Sandbox: there is no STS; show exactly what would have been sent.
        if (o.credentialProcess) throw new ClientError("the sandbox issues no credentials (no STS); run claim without --credential-process to see the AssumeRole call");
        io.err("SANDBOX: no STS here. The broker would call sts:AssumeRole with:");
        io.out(JSON.stringify({ ...r.assumeRole, Policy: JSON.parse(r.assumeRole.Policy) as unknown }, null, 2));
        return;
      }
      const c = r.credentials;
      if (o.credentialProcess) {
        io.out(JSON.stringify({ Version: 1, AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken, Expiration: c.Expiration }));
        return;
      }
      io.out(`export AWS_ACCESS_KEY_ID=${c.AccessKeyId}`);
      io.out(`export AWS_SECRET_ACCESS_KEY=${c.SecretAccessKey}`);
      io.out(`export AWS_SESSION_TOKEN=${c.SessionToken}`);
      io.out(`# session jit-${id}, valid for ${r.request.prefix} until ${r.request.windowEnd}`);
    });

  program
    .command("audit <id>")
    .description("a request's history next to the CloudTrail identity it produced")
    .action(async (id: string) => {
      const a = await client().call<AuditView>("GET", `/requests/${encodeURIComponent(id)}/audit`);
      if (json()) return io.out(JSON.stringify(a, null, 2));
      io.out(`request ${a.id}  ${a.status}  requester ${a.requester}${a.breakGlass ? "  BREAK-GLASS" : ""}`);
      io.out(`CloudTrail: userIdentity.arn ${a.cloudTrail.assumedRoleArn}`);
      io.out(`            sourceIdentity ${a.cloudTrail.sourceIdentity}   session tag ${a.cloudTrail.sessionTag.key}=${a.cloudTrail.sessionTag.value}`);
      io.out(`            find its calls: ${a.cloudTrail.lookup}`);
      for (const h of a.history)
        io.out(`  ${h.at}  ${h.event.padEnd(7)} by ${h.by} (${h.byArn})  ${h.from ?? "-"} -> ${h.to}${h.reason ? `  "${h.reason}"` : ""}${h.breakGlass ? "  BREAK-GLASS" : ""}${h.session ? `  session ${h.session.roleSessionName} ${h.session.durationSeconds}s` : ""}`);
    });

  return program;
}

/** Runs the CLI; returns the exit status. Errors are one line on stderr. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.exitCode === 0 ? 0 : 2;
    io.err(`jit: ${(e as Error).message}`);
    return 1;
  }
}
