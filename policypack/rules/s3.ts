// S3: Block Public Access and ACLs.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { ResourceReporter, resourceRule } from "../lib/rule";
import { T } from "../lib/tokens";
import { isRecord, readBool, readString, records } from "../lib/values";

export const BPA_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/** Every flag must be exactly true; the provider's default for an absent flag is false. */
function checkFlags(props: Record<string, unknown>, prefix: string, report: ResourceReporter, what: string): void {
  const off: string[] = [];
  for (const f of BPA_FLAGS) {
    const v = readBool(props[f]);
    if (v.kind === "unknown") report.unknown(`${prefix}${f}`);
    else if (v.kind === "absent" || !v.value) off.push(f);
  }
  if (off.length > 0) report.violation(`${what} leaves ${off.join(", ")} off; all four Block Public Access settings must be true.`);
}

export const bucketPublicAccessBlock: ResourceValidationPolicy = resourceRule({
  name: "s3-bucket-public-access-block",
  description: "Bucket-level Block Public Access (BucketPublicAccessBlock, and an access point's publicAccessBlockConfiguration when set) has all four settings true.",
  enforcementLevel: "mandatory",
  severity: "critical",
  types: [T.bucketPab, T.accessPoint],
  check: (r, report) => {
    if (r.type === T.bucketPab) return checkFlags(r.props, ".", report, "this BucketPublicAccessBlock");
    // An access point without the block gets all four settings from AWS by default.
    const c = r.props["publicAccessBlockConfiguration"];
    if (isRecord(c)) checkFlags(c, ".publicAccessBlockConfiguration.", report, "this access point");
  },
});

export const accountPublicAccessBlock: ResourceValidationPolicy = resourceRule({
  name: "s3-account-public-access-block",
  description: "Account-wide Block Public Access (AccountPublicAccessBlock) has all four settings true.",
  enforcementLevel: "mandatory",
  severity: "critical",
  types: [T.accountPab],
  check: (r, report) => checkFlags(r.props, ".", report, "the account's public access block"),
});

const PUBLIC_CANNED = new Set(["public-read", "public-read-write", "authenticated-read"]);
const PUBLIC_GROUPS = ["acs.amazonaws.com/groups/global/AllUsers", "acs.amazonaws.com/groups/global/AuthenticatedUsers"];

function publicGrantee(uri: unknown): boolean {
  return typeof uri === "string" && PUBLIC_GROUPS.some((g) => uri.includes(g));
}

export const noPublicAcl: ResourceValidationPolicy = resourceRule({
  name: "s3-no-public-acl",
  description:
    "No public canned ACL (public-read, public-read-write, authenticated-read) and no ACL grant to AllUsers or AuthenticatedUsers, on buckets " +
    "(Bucket, BucketAcl and the deprecated BucketV2 / BucketAclV2 still shipped in @pulumi/aws v7) and on objects (BucketObject, BucketObjectv2, ObjectCopy).",
  enforcementLevel: "mandatory",
  severity: "critical",
  types: [T.bucket, T.bucketAcl, T.bucketV2, T.bucketAclV2, T.bucketObject, T.bucketObjectV2, T.objectCopy],
  check: (r, report) => {
    const what = r.type === T.bucketObject || r.type === T.bucketObjectV2 || r.type === T.objectCopy ? "object" : "bucket";
    const acl = readString(r.props["acl"]);
    if (acl.kind === "unknown") report.unknown(".acl");
    else if (acl.kind === "value" && PUBLIC_CANNED.has(acl.value)) report.violation(`the canned ACL "${acl.value}" makes the ${what} public.`);
    const grants = [
      ...records(r.props["grants"]).map((g) => g["uri"]),
      // ObjectCopy grants: { type: "Group", uri }; BucketV2 grants: { type, uri, permissions }.
      ...records(isRecord(r.props["accessControlPolicy"]) ? r.props["accessControlPolicy"]["grants"] : undefined).map((g) =>
        isRecord(g["grantee"]) ? g["grantee"]["uri"] : undefined,
      ),
    ];
    for (const uri of grants) if (publicGrantee(uri)) report.violation(`an ACL grant to ${String(uri)} makes the ${what} public.`);
  },
});
