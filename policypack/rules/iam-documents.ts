// Rules about IAM documents as documents: readable, and within AWS's size limits.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { IamDocument } from "../iam/document";
import { documentsOf } from "../iam/reader";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/tokens";
import { DOCUMENT_TYPES } from "./iam-common";

export const documentReadable: ResourceValidationPolicy = resourceRule({
  name: "iam-document-readable",
  description:
    "Every IAM document (identity, trust, resource, SCP/RCP, Lambda permission) parses: JSON, a Statement, Effect Allow/Deny, Action or " +
    "NotAction, string values, a Principal where the policy type needs one and none where it forbids one. A document that is not known at " +
    "preview is noted (advisory) and checked at `pulumi up`.",
  enforcementLevel: "mandatory",
  severity: "high",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const doc of documentsOf(r.type, r.props)) {
      for (const e of doc.errors) report.violation(e);
      if (doc.whollyUnknown) report.unknown(`the IAM document at ${doc.where}`);
      // Every rule depends on what a statement does: an unknown Effect or action is noted here
      // once (the other rules judge such a statement only on what is known).
      for (const st of doc.statements) {
        for (const part of st.unknown) if (part === "Effect" || part === "Action" || part === "NotAction") report.unknown(`${doc.where} ${st.label}.${part}`);
      }
    }
  },
});

// IAM counts characters without whitespace (IAM User Guide, "IAM and AWS STS quotas").
export const LIMITS = {
  managed: 6144,
  trust: 2048,
  roleInlineTotal: 10240,
  userInlineTotal: 2048,
  groupInlineTotal: 5120,
  scp: 5120,
  bucketPolicy: 20480,
  keyPolicy: 32768,
} as const;

function limitFor(type: string, doc: IamDocument): { limit: number; what: string } | undefined {
  switch (doc.kind) {
    case "trust":
      return { limit: LIMITS.trust, what: "a role trust policy (default quota)" };
    case "scp":
    case "rcp":
      return { limit: LIMITS.scp, what: "an Organizations policy" };
    case "resource":
      if (type === T.bucket || type === T.bucketPolicy) return { limit: LIMITS.bucketPolicy, what: "a bucket policy" };
      if (type === T.kmsKey || type === T.kmsKeyPolicy) return { limit: LIMITS.keyPolicy, what: "a KMS key policy" };
      return undefined;
    case "identity":
      if (type === T.managedPolicy) return { limit: LIMITS.managed, what: "a managed policy" };
      if (type === T.rolePolicy || type === T.role) return { limit: LIMITS.roleInlineTotal, what: "a role's inline policies" };
      if (type === T.userPolicy) return { limit: LIMITS.userInlineTotal, what: "a user's inline policies" };
      if (type === T.groupPolicy) return { limit: LIMITS.groupInlineTotal, what: "a group's inline policies" };
      return undefined;
    default:
      return undefined;
  }
}

export const documentSize: ResourceValidationPolicy = resourceRule({
  name: "iam-document-size",
  description:
    "IAM documents fit AWS's limits, counted without whitespace as AWS does, so a deploy does not fail half-way: managed policy 6,144; " +
    "trust policy 2,048; a role's inline policies 10,240 together (Role.inlinePolicies here, plus RolePolicy resources in " +
    "`role-inline-policies-size`); user 2,048; group 5,120; SCP/RCP 5,120; bucket policy 20,480; KMS key policy 32,768.",
  enforcementLevel: "mandatory",
  severity: "medium",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    let inlineTotal = 0;
    for (const doc of documentsOf(r.type, r.props)) {
      if (doc.size < 0) continue;
      const l = limitFor(r.type, doc);
      if (!l) continue;
      if (r.type === T.role && doc.kind === "identity") {
        inlineTotal += doc.size;
        continue;
      }
      if (doc.size > l.limit) report.violation(`${doc.where} is ${doc.size} characters; ${l.what} may have at most ${l.limit}.`);
    }
    if (inlineTotal > LIMITS.roleInlineTotal) {
      report.violation(`the inline policies add up to ${inlineTotal} characters; a role's inline policies may have at most ${LIMITS.roleInlineTotal} together.`);
    }
  },
});
