// Reading IAM documents and tags back out of a plan's registered inputs, and the AWS-managed
// policies the matrices stand in for (synthetic: evaluated, never deployed). Shared by the access
// matrix (plan/access.ts) and the SCP rows (plan/orgScps.ts).
import type { PolicyDocument } from "../iam/types";
import type { PlanResource } from "./types";

/** A non-empty string, or undefined. */
export function str(v: unknown): string | undefined {
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/** An IAM document input: the provider receives JSON text, tests may register objects. */
export function documentOf(v: unknown): PolicyDocument | null {
  if (typeof v === "string") {
    try {
      return JSON.parse(v) as PolicyDocument;
    } catch {
      return null;
    }
  }
  return v && typeof v === "object" ? (v as PolicyDocument) : null;
}

export function tagsOf(r: PlanResource): Record<string, string> {
  const t = r.inputs.tags;
  return t && typeof t === "object" ? (t as Record<string, string>) : {};
}

/** What an account administrator typically holds. */
export const ADMINISTRATOR_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "AdministratorAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};

/** The SCP AWS attaches to every root, OU and account by default. */
export const FULL_AWS_ACCESS: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "FullAWSAccess", Effect: "Allow", Action: "*", Resource: "*" }],
};
