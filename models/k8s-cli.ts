// npm run k8s -- --stack NAME [--consumer NAME] [--verifier-image IMAGE --server-image IMAGE] [--release PATH] [--role-arn ARN]
// Prints the Kubernetes manifests (YAML, one document each) an EKS consumer needs to mount its prefixes
// read-only. Role ARNs come from the offline plan unless --role-arn gives the deployed one
// (`pulumi stack output consumerRoleArns`); a deployed stack also outputs them as kubernetesManifests.
import { Command, CommanderError } from "commander";
import { stringify } from "yaml";
import { ConfigError } from "../config";
import { buildPlan } from "../plan/build";
import { UnknownStackError } from "../plan/stackFiles";
import { isEksConsumer, k8sDelivery } from "./k8s";

export interface K8sIo {
  out: (s: string) => void;
  err: (s: string) => void;
}

export async function runK8sCli(argv: string[], io: K8sIo): Promise<number> {
  const cmd = new Command("k8s")
    .requiredOption("-s, --stack <name>", "stack name (reads Pulumi.<name>.yaml)")
    .option("--consumer <name>", "one eks-irsa / eks-pod-identity consumer (default: all)")
    .option("--verifier-image <image>", "image with the model-vault-models bin, for the example Deployment's init container")
    .option("--server-image <image>", "the inference server's image, for the example Deployment")
    .option("--release <path>", "the release below the consumer's first prefix that the init container verifies")
    .option("--role-arn <arn>", "the deployed consumer role's ARN (with --consumer), instead of the offline plan's")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  try {
    cmd.parse(argv, { from: "user" });
  } catch (e) {
    return e instanceof CommanderError && e.exitCode === 0 ? 0 : 2;
  }
  const o = cmd.opts<{ stack: string; consumer?: string; verifierImage?: string; serverImage?: string; release?: string; roleArn?: string }>();
  if (Boolean(o.verifierImage) !== Boolean(o.serverImage)) {
    io.err("--verifier-image and --server-image go together (the example Deployment needs both)\n");
    return 2;
  }
  if (o.roleArn && !o.consumer) {
    io.err("--role-arn needs --consumer: it is one consumer's role\n");
    return 2;
  }
  try {
    const { plan, config } = await buildPlan(o.stack);
    const eks = config.access.consumers.filter(isEksConsumer);
    const chosen = o.consumer ? eks.filter((c) => c.name === o.consumer) : eks;
    if (o.consumer && chosen.length === 0) {
      io.err(`Pulumi.${o.stack}.yaml: no eks-irsa or eks-pod-identity consumer named ${o.consumer} (have: ${eks.map((c) => c.name).join(", ") || "none"})\n`);
      return 2;
    }
    if (chosen.length === 0) {
      io.err(`Pulumi.${o.stack}.yaml: no eks-irsa or eks-pod-identity consumers\n`);
      return 2;
    }
    const arns = plan.outputs.consumerRoleArns as Record<string, string>;
    const docs = chosen.flatMap((c) =>
      k8sDelivery({
        consumer: c,
        roleArn: o.roleArn ?? arns[c.name],
        bucketName: config.storage.bucketName,
        region: config.region,
        images: o.verifierImage && o.serverImage ? { verifier: o.verifierImage, server: o.serverImage } : undefined,
        release: o.release,
      }),
    );
    // No YAML anchors: GitOps tools and reviewers read each document on its own.
    io.out(docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join("---\n"));
    if (!o.roleArn && chosen.some((c) => c.kind === "eks-irsa"))
      io.err("note: role ARNs are the offline plan's; after `pulumi up` use --role-arn or `pulumi stack output kubernetesManifests`\n");
    for (const c of chosen) if (c.kind === "eks-pod-identity" && !c.createAssociation) io.err(`note: ${c.name} uses EKS Pod Identity without createAssociation: create the association for ${c.namespace}/${c.serviceAccount} yourself\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError || e instanceof UnknownStackError) {
      io.err(`${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) {
  runK8sCli(process.argv.slice(2), { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e instanceof Error ? e.message : String(e));
      process.exit(2);
    },
  );
}
