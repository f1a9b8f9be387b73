// Stack rules: properties no single resource shows, joined across resources.
//
// In @pulumi/aws v7 a bucket's versioning, encryption, public access block and policy are separate
// resources that point at the bucket through their `bucket` input (the bucket's name, which is also
// its id). Stack rules see outputs (CrossGuard passes outputs to stack validations; the plan passes
// its merged outputs), so the bucket's `bucket`, `id` and `arn` are there once known.

import type { StackValidationPolicy } from "@pulumi/policy";
import type { IamDocument } from "../iam/document";
import { documentsOf } from "../iam/reader";
import { servicePin } from "../iam/pins";
import { PlainResource, stackRule } from "../lib/rule";
import { T } from "../lib/tokens";
import { isUnknown } from "../lib/unknown";
import { readBool, records, ROLE_TAG, strings, tag } from "../lib/values";
import { isS3Origin } from "./cloudfront";
import { LIMITS } from "./iam-documents";
import { BPA_FLAGS } from "./s3";

interface BucketRef {
  r: PlainResource;
  names: Set<string>;
  arn?: string;
}

function bucketRef(r: PlainResource): BucketRef {
  const names = new Set<string>();
  for (const k of ["bucket", "id"]) {
    const v = r.props[k];
    if (typeof v === "string" && v !== "" && !isUnknown(v)) names.add(v);
  }
  const arn = typeof r.props["arn"] === "string" && !isUnknown(r.props["arn"]) ? (r.props["arn"] as string) : undefined;
  if (arn) names.add(arn.replace(/^arn:aws[a-z-]*:s3:::/, ""));
  return { r, names, arn };
}

function byBucket(resources: PlainResource[], type: string, b: BucketRef): PlainResource[] {
  return resources.filter((x) => x.type === type && typeof x.props["bucket"] === "string" && b.names.has(x.props["bucket"] as string));
}

function modelBuckets(resources: PlainResource[]): BucketRef[] {
  return resources.filter((r) => r.type === T.bucket && tag(r.props, ROLE_TAG) === "model-bucket").map(bucketRef);
}

function bucketPolicies(resources: PlainResource[], b: BucketRef): IamDocument[] {
  const docs = byBucket(resources, T.bucketPolicy, b).flatMap((p) => documentsOf(p.type, p.props));
  return docs.concat(documentsOf(T.bucket, b.r.props));
}

function denyNonTls(docs: IamDocument[]): boolean {
  return docs.some((d) =>
    d.statements.some(
      (s) =>
        s.effect === "Deny" &&
        s.conditions.some((c) => c.key === "aws:securetransport" && /^bool(ifexists)?$/i.test(c.operator) && c.values.includes("false")),
    ),
  );
}

function versioned(resources: PlainResource[], b: BucketRef): boolean {
  const inline = records(b.r.props["versioning"]).some((v) => readBool(v["enabled"]).kind === "value" && v["enabled"] === true);
  return inline || byBucket(resources, T.bucketVersioning, b).some((v) => records(v.props["versioningConfiguration"]).some((c) => c["status"] === "Enabled"));
}

function kmsEncrypted(resources: PlainResource[], b: BucketRef): boolean {
  const kmsRule = (rule: Record<string, unknown>): boolean =>
    records(rule["applyServerSideEncryptionByDefault"]).some((d) => d["sseAlgorithm"] === "aws:kms" || d["sseAlgorithm"] === "aws:kms:dsse");
  const inline = records(b.r.props["serverSideEncryptionConfiguration"]).some((c) => [...records(c["rule"]), ...records(c["rules"])].some(kmsRule));
  return inline || byBucket(resources, T.bucketSse, b).some((s) => records(s.props["rules"]).some(kmsRule));
}

function blocksPublicAccess(resources: PlainResource[], b: BucketRef): boolean {
  return byBucket(resources, T.bucketPab, b).some((p) => BPA_FLAGS.every((f) => p.props[f] === true));
}

export const modelBucketComplete: StackValidationPolicy = stackRule({
  name: "model-bucket-complete",
  description:
    "Every bucket tagged `model-vault:role` = `model-bucket` has, joined by its `bucket` name: a BucketPublicAccessBlock with all four settings, " +
    "versioning Enabled, default encryption SSE-KMS (aws:kms or aws:kms:dsse), and a bucket policy that denies requests without TLS " +
    "(Deny with Bool aws:SecureTransport false).",
  enforcementLevel: "mandatory",
  severity: "critical",
  check: (resources, report) => {
    for (const b of modelBuckets(resources)) {
      if (b.names.size === 0) {
        report.unknown("the model bucket's name", b.r.urn);
        continue;
      }
      const missing: string[] = [];
      if (!blocksPublicAccess(resources, b)) missing.push("a BucketPublicAccessBlock with all four settings true");
      if (!versioned(resources, b)) missing.push("versioning Enabled");
      if (!kmsEncrypted(resources, b)) missing.push("SSE-KMS default encryption");
      const policies = bucketPolicies(resources, b);
      if (policies.some((d) => d.unknown)) report.unknown("the model bucket's policy", b.r.urn);
      else if (!denyNonTls(policies)) missing.push("a bucket policy denying non-TLS requests");
      if (missing.length > 0) report.violation(`model bucket ${b.r.name} lacks ${missing.join(", ")}.`, b.r.urn);
    }
  },
});

// Data-event selectors: classic (`eventSelectors[].dataResources` of type AWS::S3::Object) or
// advanced (`resources.type` = AWS::S3::Object, optionally narrowed by `resources.ARN`).
function trailCovers(trail: PlainResource, b: BucketRef): boolean {
  // The bucket's own partition (arn:aws-cn:, arn:aws-us-gov: outside the commercial regions).
  const s3 = `arn:${/^arn:(aws[a-z-]*):/.exec(b.arn ?? "")?.[1] ?? "aws"}:s3`;
  const arnPrefixes = [...b.names].map((n) => `${s3}:::${n}/`);
  const covers = (v: string): boolean => v === s3 || v === `${s3}:::` || arnPrefixes.some((p) => v === p || p.startsWith(v) || v.startsWith(p));
  const classic = records(trail.props["eventSelectors"]).some((s) =>
    records(s["dataResources"]).some((d) => d["type"] === "AWS::S3::Object" && strings(d["values"]).some(covers)),
  );
  if (classic) return true;
  return records(trail.props["advancedEventSelectors"]).some((sel) => {
    const fields = records(sel["fieldSelectors"]);
    const f = (name: string): Record<string, unknown> | undefined => fields.find((x) => x["field"] === name);
    const cat = f("eventCategory");
    const type = f("resources.type");
    if (!cat || !strings(cat["equals"]).includes("Data") || !type || !strings(type["equals"]).includes("AWS::S3::Object")) return false;
    const arn = f("resources.ARN");
    if (!arn) return true;
    return strings(arn["startsWiths"]).some(covers) || strings(arn["equals"]).some((v) => arnPrefixes.some((p) => v.startsWith(p)));
  });
}

export const modelBucketAudited: StackValidationPolicy = stackRule({
  name: "model-bucket-audited",
  description:
    "Every model bucket is covered by a CloudTrail data-event selector for AWS::S3::Object (classic eventSelectors or advancedEventSelectors) in this stack.",
  enforcementLevel: "mandatory",
  severity: "high",
  check: (resources, report) => {
    const trails = resources.filter((r) => r.type === T.trail);
    for (const b of modelBuckets(resources)) {
      if (b.names.size === 0) continue; // reported by model-bucket-complete
      if (!trails.some((t) => trailCovers(t, b))) {
        report.violation(`no CloudTrail trail in this stack records S3 data events for model bucket ${b.r.name}.`, b.r.urn);
      }
    }
  },
});

export const cdnOriginPinned: StackValidationPolicy = stackRule({
  name: "cdn-origin-pinned",
  description:
    "Every CloudFront S3 origin uses Origin Access Control, and the origin bucket's policy lets cloudfront.amazonaws.com in only with " +
    "aws:SourceArn fixed to that distribution's ARN.",
  enforcementLevel: "mandatory",
  severity: "high",
  check: (resources, report) => {
    const buckets = resources.filter((r) => r.type === T.bucket).map(bucketRef);
    for (const d of resources.filter((r) => r.type === T.distribution)) {
      const arn = d.props["arn"];
      records(d.props["origins"]).forEach((o, i) => {
        if (!isS3Origin(o)) return;
        if (typeof o["originAccessControlId"] !== "string" || o["originAccessControlId"] === "") {
          report.violation(`origins[${i}] of ${d.name} has no Origin Access Control.`, d.urn);
        }
        const domain = typeof o["domainName"] === "string" ? (o["domainName"] as string) : "";
        const b = buckets.find((x) =>
          [x.r.props["bucketRegionalDomainName"], x.r.props["bucketDomainName"]].includes(domain) || [...x.names].some((n) => domain.startsWith(`${n}.s3`)),
        );
        if (!b) return; // a bucket managed elsewhere: nothing to join
        if (typeof arn !== "string" || isUnknown(arn)) {
          report.unknown(`the ARN of distribution ${d.name}`, d.urn);
          return;
        }
        const docs = bucketPolicies(resources, b);
        if (docs.some((x) => x.unknown)) {
          report.unknown(`the policy of bucket ${b.r.name}`, b.r.urn);
          return;
        }
        const pinned = docs.some((doc) =>
          doc.statements.some(
            (s) =>
              s.effect === "Allow" &&
              (s.principal?.service ?? []).includes("cloudfront.amazonaws.com") &&
              servicePin(s) !== undefined &&
              s.conditions.some((c) => c.key === "aws:sourcearn" && c.values.length > 0 && c.values.every((v) => v === arn)),
          ),
        );
        if (!pinned) {
          report.violation(`bucket ${b.r.name} (origin of ${d.name}) has no policy statement for cloudfront.amazonaws.com pinned with aws:SourceArn = ${arn}.`, b.r.urn);
        }
      });
    }
  },
});

export const roleInlinePoliciesSize: StackValidationPolicy = stackRule({
  name: "role-inline-policies-size",
  description: `A role's inline policies (Role.inlinePolicies plus RolePolicy resources naming the role) add up to at most ${LIMITS.roleInlineTotal} characters without whitespace.`,
  enforcementLevel: "mandatory",
  severity: "medium",
  check: (resources, report) => {
    const totals = new Map<string, { size: number; urn?: string }>();
    const add = (role: string, size: number, urn?: string): void => {
      const t = totals.get(role) ?? { size: 0 };
      t.size += Math.max(0, size);
      t.urn ??= urn;
      totals.set(role, t);
    };
    for (const r of resources) {
      if (r.type === T.rolePolicy && typeof r.props["role"] === "string") {
        for (const d of documentsOf(r.type, r.props)) add(r.props["role"] as string, d.size);
      } else if (r.type === T.role) {
        const name = typeof r.props["name"] === "string" ? (r.props["name"] as string) : r.name;
        for (const d of documentsOf(r.type, r.props)) if (d.kind === "identity") add(name, d.size, r.urn);
      }
    }
    for (const [role, t] of totals) {
      if (t.size > LIMITS.roleInlineTotal) report.violation(`role ${role}'s inline policies add up to ${t.size} characters (limit ${LIMITS.roleInlineTotal}).`, t.urn);
    }
  },
});

