// npm run sign-url -- --stack dev --key-pair-id ID --private-key FILE --path models/x/model.safetensors --expires-in 1h [--ip-cidr CIDR] [--domain HOST]
// Prints one signed URL on stdout; every problem is one line on stderr and exit status 2.
import { Command, Option } from "commander";
import { z } from "zod";
import { describeIssues } from "../config/errors";
import { cdnConfigSchema, type CdnConfig } from "../config/cdn";
import { readStackConfig } from "../plan/stackFiles";
import { checkDomain, matchPublicKey, parseExpiry, readPrivateKey, signModelUrl, SignUrlError } from "./signUrl";

/** The stack's `cdn` section, validated with the same schema the program uses. */
export function stackCdnConfig(stack: string, root?: string): CdnConfig {
  let all: Record<string, string>;
  try {
    all = readStackConfig(stack, root);
  } catch (e) {
    throw new SignUrlError(`--stack: ${(e as Error).message}`);
  }
  const raw = all["model-vault:cdn"];
  if (raw === undefined) throw new SignUrlError(`Pulumi.${stack}.yaml has no model-vault:cdn section: the stack has no distribution`);
  const section = JSON.parse(raw) as unknown;
  const parsed = cdnConfigSchema.safeParse(section, { reportInput: true });
  if (!parsed.success) {
    // The same key paths the program's own error gives (model-vault:cdn.signing.publicKeys["k1"].pem: ...).
    const issues = parsed.error.issues.map((i) => ({ ...i, path: ["cdn", ...i.path] }));
    throw new SignUrlError(`Pulumi.${stack}.yaml: ${describeIssues("model-vault", issues, z.object({ cdn: cdnConfigSchema }), { cdn: section }).join("; ")}`);
  }
  if (!parsed.data.enabled) throw new SignUrlError(`Pulumi.${stack}.yaml: model-vault:cdn.enabled is false: the stack has no distribution`);
  return parsed.data;
}

/**
 * The distribution's host: --domain, else the first alias, else the offline plan's output
 * `cdnDomainName` (a synthesized name: fine for trying the tool, not for a deployed stack, whose
 * real name is `pulumi stack output cdnDomainName`).
 */
export async function stackDomain(stack: string, cdn: CdnConfig, warn: (m: string) => void): Promise<string> {
  if (cdn.aliases.length > 0) return cdn.aliases[0];
  // Loaded lazily: the plan runner pulls in the Pulumi runtime.
  const { runProgram } = require("../plan/run") as typeof import("../plan/run");
  const run = await runProgram(stack);
  const domain = run.outputs.cdnDomainName;
  if (typeof domain !== "string") throw new SignUrlError(`the plan of stack ${stack} has no cdnDomainName output; pass --domain`);
  warn(`sign-url: using the offline plan's distribution name ${domain}; for a deployed stack pass --domain "$(pulumi stack output cdnDomainName -s ${stack})"`);
  return domain;
}

export async function main(
  argv: string[],
  out: (s: string) => void = (s) => process.stdout.write(s),
  err: (s: string) => void = (s) => process.stderr.write(s),
  /** Where the stack files are (tests); default the project root. */
  root?: string,
): Promise<number> {
  const program = new Command("sign-url")
    .description("Print a CloudFront signed URL for one object of the stack's distribution")
    .requiredOption("--stack <name>", "stack whose distribution and prefixes to use (Pulumi.<name>.yaml)")
    .requiredOption("--key-pair-id <id>", "CloudFront public key id (stack output cdnKeyPairIds)")
    .requiredOption("--private-key <file>", "PEM file of the matching RSA private key (never in config)")
    .requiredOption("--path <key>", "object key under a distributed prefix, e.g. models/x/model.safetensors")
    .option("--expires-in <duration>", "validity: 90s, 30m, 1h, 7d, or an ISO-8601 time", "1h")
    .option("--ip-cidr <cidr>", "only viewers in this IP range (custom policy)")
    .option("--domain <host>", "distribution host name (default: first alias, else the plan's cdnDomainName)")
    .addOption(new Option("--hash-algorithm <alg>", "signature hash").choices(["SHA1", "SHA256"]).default("SHA1"))
    .option("--passphrase-env <var>", "environment variable holding the private key's passphrase")
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err });
  try {
    program.parse(argv, { from: "user" });
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return code === 0 ? 0 : 2;
  }
  const o = program.opts<{ stack: string; keyPairId: string; privateKey: string; path: string; expiresIn: string; ipCidr?: string; domain?: string; hashAlgorithm: "SHA1" | "SHA256"; passphraseEnv?: string }>();
  try {
    const expiresAt = parseExpiry(o.expiresIn, new Date());
    const passphrase = o.passphraseEnv ? process.env[o.passphraseEnv] : undefined;
    const privateKeyPem = readPrivateKey(o.privateKey, passphrase);
    const cdn = stackCdnConfig(o.stack, root);
    const keyName = matchPublicKey(privateKeyPem, cdn.signing.publicKeys, `Pulumi.${o.stack}.yaml: model-vault:cdn`, passphrase);
    const domain = o.domain ? checkDomain(o.domain) : await stackDomain(o.stack, cdn, (m) => err(`${m}\n`));
    const url = signModelUrl({ domain, path: o.path, prefixes: cdn.prefixes, keyPairId: o.keyPairId, privateKeyPem, passphrase, expiresAt, ipCidr: o.ipCidr, algorithm: o.hashAlgorithm });
    // The key pair id is CloudFront's, assigned at deploy: offline, only the key's name can be checked.
    err(`sign-url: signed with the private half of public key "${keyName}" (Pulumi.${o.stack}.yaml cdn.signing.publicKeys) for key pair id ${o.keyPairId}; that id must be cdnKeyPairIds["${keyName}"] (pulumi stack output cdnKeyPairIds -s ${o.stack})\n`);
    if (!cdn.signing.required) err(`sign-url: Pulumi.${o.stack}.yaml sets cdn.signing.required: false: the distribution serves these objects without any signature too\n`);
    out(`${url}\n`);
    return 0;
  } catch (e) {
    err(`sign-url: ${e instanceof SignUrlError ? e.message : (e as Error).message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
