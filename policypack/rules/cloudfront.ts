// CloudFront distributions that serve model weights.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/tokens";
import { isRecord, readBool, readString, records, SIGNED_URLS_TAG, strings, tag } from "../lib/values";

function behaviours(props: Record<string, unknown>): { label: string; b: Record<string, unknown> }[] {
  const out: { label: string; b: Record<string, unknown> }[] = [];
  if (isRecord(props["defaultCacheBehavior"])) out.push({ label: "defaultCacheBehavior", b: props["defaultCacheBehavior"] });
  records(props["orderedCacheBehaviors"]).forEach((b, i) => out.push({ label: `orderedCacheBehaviors[${i}] (${String(b["pathPattern"])})`, b }));
  return out;
}

/** An S3 REST endpoint (not a website endpoint, which cannot use OAC and is public by design). */
export function isS3Origin(o: Record<string, unknown>): boolean {
  const d = o["domainName"];
  return isRecord(o["s3OriginConfig"]) || (typeof d === "string" && /\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com(\.cn)?$/.test(d) && !d.includes("s3-website"));
}

export const cloudFrontHttpsOnly: ResourceValidationPolicy = resourceRule({
  name: "cloudfront-https-only",
  description: "Every cache behaviour uses viewerProtocolPolicy https-only or redirect-to-https, and custom origins are reached over HTTPS only.",
  enforcementLevel: "mandatory",
  severity: "high",
  types: [T.distribution],
  check: (r, report) => {
    for (const { label, b } of behaviours(r.props)) {
      const v = readString(b["viewerProtocolPolicy"]);
      if (v.kind === "unknown") report.unknown(`.${label}.viewerProtocolPolicy`);
      else if (v.kind === "absent" || (v.value !== "https-only" && v.value !== "redirect-to-https")) {
        report.violation(`${label} allows plain HTTP (viewerProtocolPolicy ${v.kind === "value" ? v.value : "unset"}).`);
      }
    }
    records(r.props["origins"]).forEach((o, i) => {
      const c = o["customOriginConfig"];
      if (!isRecord(c)) return;
      const p = readString(c["originProtocolPolicy"]);
      if (p.kind === "value" && p.value !== "https-only") report.violation(`origins[${i}] is reached with originProtocolPolicy ${p.value}; use https-only.`);
    });
  },
});

export const cloudFrontTls: ResourceValidationPolicy = resourceRule({
  name: "cloudfront-tls12",
  description: "Distributions with a custom certificate (ACM or IAM) require TLS 1.2 or later (minimumProtocolVersion TLSv1.2_* or TLSv1.3_*).",
  enforcementLevel: "mandatory",
  severity: "high",
  types: [T.distribution],
  check: (r, report) => {
    const c = r.props["viewerCertificate"];
    if (!isRecord(c)) return;
    const custom = typeof c["acmCertificateArn"] === "string" || typeof c["iamCertificateId"] === "string";
    const dflt = readBool(c["cloudfrontDefaultCertificate"]);
    // The default *.cloudfront.net certificate fixes the policy at TLSv1 and cannot be changed.
    if (!custom && dflt.kind === "value" && dflt.value) return;
    const v = readString(c["minimumProtocolVersion"]);
    if (v.kind === "unknown") report.unknown(".viewerCertificate.minimumProtocolVersion");
    else if (v.kind === "absent" || !/^TLSv1\.[23]/.test(v.value)) {
      report.violation(`viewerCertificate.minimumProtocolVersion is ${v.kind === "value" ? v.value : "unset (TLSv1)"}; use TLSv1.2_2021 or later.`);
    }
  },
});

export const cloudFrontOac: ResourceValidationPolicy = resourceRule({
  name: "cloudfront-oac",
  description: "S3 origins use Origin Access Control (originAccessControlId), not a legacy Origin Access Identity.",
  enforcementLevel: "mandatory",
  severity: "high",
  types: [T.distribution],
  check: (r, report) => {
    records(r.props["origins"]).forEach((o, i) => {
      const s3 = o["s3OriginConfig"];
      if (isRecord(s3) && typeof s3["originAccessIdentity"] === "string" && s3["originAccessIdentity"] !== "") {
        report.violation(`origins[${i}] uses an Origin Access Identity; use Origin Access Control instead.`);
      }
      if (!isS3Origin(o)) return;
      const oac = readString(o["originAccessControlId"]);
      if (oac.kind === "unknown") report.unknown(`.origins[${i}].originAccessControlId`);
      else if (oac.kind === "absent" || oac.value === "") report.violation(`origins[${i}] is an S3 origin without originAccessControlId.`);
    });
  },
});

export const cloudFrontSignedUrls: ResourceValidationPolicy = resourceRule({
  name: "cloudfront-signed-urls",
  description: `Every cache behaviour serves objects only with signed URLs/cookies from a trusted key group (trustedKeyGroups). A deliberately public distribution (model-vault's \`cdn.signing.required: false\`, no \`${SIGNED_URLS_TAG}\` = \`required\` tag) is still reported: advisory where the stack's pack config says so (dev), and otherwise it needs a waiver with a reason and an expiry.`,
  enforcementLevel: "mandatory",
  severity: "high",
  types: [T.distribution],
  check: (r, report) => {
    const promised = tag(r.props, SIGNED_URLS_TAG) === "required";
    for (const { label, b } of behaviours(r.props)) {
      if (strings(b["trustedKeyGroups"]).length > 0) continue;
      if (strings(b["trustedSigners"]).length > 0) report.violation(`${label} uses legacy trustedSigners; use trustedKeyGroups.`);
      else if (promised) report.violation(`${label} serves objects without signed URLs (no trustedKeyGroups).`);
      else report.violation(`${label} serves objects to anyone without a signed URL (no trustedKeyGroups: signing is off). If that is meant, waive this rule for the distribution in the stack's pack config, with a reason and an expiry.`);
    }
  },
});
