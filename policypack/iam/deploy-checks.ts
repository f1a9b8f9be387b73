// Documents AWS refuses at deploy. Catching them at preview avoids an `up` that fails half-way,
// with some resources changed and others not.
//
// - Identity policies: every statement needs Resource or NotResource ("IAM JSON policy elements:
//   Resource": "a statement must include either a Resource or a NotResource element",
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html).
// - Role trust policies: no Resource / NotResource (IAM answers "MalformedPolicyDocument: Has
//   prohibited field Resource"; the trust policy is a resource policy of the role itself,
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-roles).
// - Resource policies: actions of the owning service only (S3 answers "Policy has invalid action"
//   for `sqs:SendMessage` in a bucket policy; https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html).
// - Bucket policies: Resource names this bucket or its objects only (S3 answers "Policy has
//   invalid resource"; https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html).

import { parseAction } from "./catalogue";
import type { IamDocument } from "./document";
import type { Location } from "./locations";

const BUCKET_POLICY_TYPES: ReadonlySet<string> = new Set(["aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"]);

function globMatch(glob: string, s: string): boolean {
  if (!/[*?]/.test(glob)) return glob === s;
  const body = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${body}$`).test(s);
}

/** Adds an error to `doc` for each thing AWS would refuse. */
export function acceptedAtDeploy(doc: IamDocument, type: string, props: Record<string, unknown>, loc: Location): void {
  if (doc.whollyUnknown) return;
  const bucket = BUCKET_POLICY_TYPES.has(type) && typeof props["bucket"] === "string" ? (props["bucket"] as string) : undefined;
  for (const st of doc.statements) {
    const at = `${doc.where} ${st.label}`;
    const hasResource = st.resource !== undefined || st.notResource !== undefined;
    if (doc.kind === "identity" && !hasResource) {
      doc.errors.push(`${at} has no Resource (or NotResource): AWS rejects an identity-policy statement without one at deploy.`);
    }
    if (doc.kind === "trust" && hasResource) {
      doc.errors.push(`${at} names a Resource: AWS rejects a role trust policy with Resource or NotResource at deploy (the role is the resource).`);
    }
    if (loc.services) {
      const foreign = [...(st.action ?? []), ...(st.notAction ?? [])].filter((a) => {
        const p = parseAction(a);
        return !p.all && !p.malformed && !/[*?]/.test(p.service) && !loc.services!.includes(p.service);
      });
      if (foreign.length > 0) {
        doc.errors.push(`${at} names actions of another service (${foreign.map((a) => JSON.stringify(a)).join(", ")}): this policy takes ${loc.services.join(" / ")} actions only, and AWS rejects it at deploy.`);
      }
    }
    if (bucket !== undefined && !/[*?]/.test(bucket)) {
      const other = (st.resource ?? []).filter((r) => {
        const m = /^arn:aws[a-z-]*:s3:::([^/]*)/.exec(r);
        return m !== null && !globMatch(m[1], bucket);
      });
      if (other.length > 0) {
        doc.errors.push(`${at} names resources of another bucket (${other.map((a) => JSON.stringify(a)).join(", ")}); a policy of bucket ${bucket} may only name it and its objects, and S3 rejects it at deploy.`);
      }
    }
  }
}
