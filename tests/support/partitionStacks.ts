// The repository's stack files moved into another partition, as a user in China or GovCloud would
// write them: the region, every ARN's partition and the EKS OIDC host changed; CloudFront and the
// JIT broker (refused there: config/partition.ts) left out. Written to a temp root the plan reads
// stack files from, so a workload stack's `scpStack` finds the org stack of the same partition.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { ROOT } from "../../plan/stackFiles";
import { dnsSuffix, partitionOf } from "../../iam/arn";

export const WITHOUT = ["model-vault:cdn", "model-vault:jit"];

/**
 * Writes Pulumi.{dev,prod,org}.yaml of `region` (dev and prod without cdn/jit) to a temp dir; returns it.
 * `orgRegion` moves the org stack elsewhere (another partition, to see it refused).
 */
export function partitionRoot(region: string, orgRegion = region): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `mv-${region}-`));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  for (const stack of ["dev", "prod", "org"]) {
    const here = stack === "org" ? orgRegion : region;
    const partition = partitionOf(here);
    const doc = parse(fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    for (const k of WITHOUT) delete doc.config[k];
    const text = JSON.stringify(doc.config)
      .replace(/arn:aws:/g, `arn:${partition}:`)
      .replace(/oidc\.eks\.us-east-1\.amazonaws\.com/g, `oidc.eks.${here}.${dnsSuffix(partition)}`)
      .replace(/"aws:region":"us-east-1"/, `"aws:region":"${here}"`);
    fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), stringify({ config: JSON.parse(text) }));
  }
  return dir;
}

/** Every string anywhere in a value, with where it was found. */
export function stringsIn(value: unknown, at: string, out: Array<{ at: string; s: string }> = []): Array<{ at: string; s: string }> {
  if (typeof value === "string") out.push({ at, s: value });
  else if (Array.isArray(value)) value.forEach((v, i) => stringsIn(v, `${at}[${i}]`, out));
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) stringsIn(v, `${at}.${k}`, out);
  return out;
}
