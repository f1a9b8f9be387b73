// Rules about who a resource or trust policy lets in.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import type { Statement } from "../iam/document";
import { claimPinned, publicPin, servicePin } from "../iam/pins";
import { resourceRule } from "../lib/rule";
import { at, DOCUMENT_TYPES, statementsOf, WITH_PRINCIPALS } from "./iam-common";

// Identity providers whose tokens anyone can obtain: trusting them needs pinned claims.
function isOidcProvider(federated: string): boolean {
  const f = federated.toLowerCase();
  return !f.includes(":saml-provider/") && (f.includes(":oidc-provider/") || !f.startsWith("arn:"));
}

function oidcProblem(st: Statement): string | undefined {
  const oidc = st.principal?.federated.filter(isOidcProvider) ?? [];
  if (oidc.length === 0) return undefined;
  // Cognito identity pools put the pool id in `aud`; the other providers need both claims.
  const cognitoOnly = oidc.every((f) => f.toLowerCase() === "cognito-identity.amazonaws.com");
  const missing = (cognitoOnly ? (["aud"] as const) : (["sub", "aud"] as const)).filter((c) => !claimPinned(st, c));
  return missing.length > 0
    ? `trusts the identity provider ${oidc.join(", ")} without a pinned ${missing.join(" and ")} condition: any token from it could assume the role`
    : undefined;
}

export const noPublicPrincipals: ResourceValidationPolicy = resourceRule({
  name: "no-public-principals",
  description:
    'Allow statements of resource policies, trust policies and Lambda permissions do not let anyone in: no `"*"`, `{"AWS": "*"}` or wildcard ' +
    "AWS principals, no `NotPrincipal` with Allow, no OIDC trust without pinned `sub` and `aud` - unless a condition pins the statement as " +
    "Amazon S3 defines non-public (fixed aws:SourceArn, aws:SourceAccount, aws:SourceOwner, aws:SourceVpc(e), aws:PrincipalOrgID, " +
    "aws:PrincipalAccount, aws:userid, non-wide aws:SourceIp; no wildcards, negations or IfExists). RCPs are exempt (they require `*`).",
  enforcementLevel: "mandatory",
  severity: "critical",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const { doc, st } of statementsOf(r, WITH_PRINCIPALS)) {
      if (st.effect !== "Allow") continue;
      if (st.notPrincipal) {
        report.violation(`${at(doc, st)} is an Allow with NotPrincipal: it lets in everyone not listed, anonymous callers included.`);
        continue;
      }
      if (st.principal?.star && !publicPin(st)) {
        const who = doc.kind === "trust" ? "any AWS account can assume this role" : "anyone can use it";
        report.violation(`${at(doc, st)} has a public principal and no pinning condition: ${who}. Name the principals or add a fixed aws:PrincipalOrgID / aws:SourceArn condition.`);
      }
      const oidc = oidcProblem(st);
      if (oidc) report.violation(`${at(doc, st)} ${oidc}.`);
    }
  },
});

export const serviceTrustPinned: ResourceValidationPolicy = resourceRule({
  name: "service-principal-pinned",
  description:
    "Statements that let an AWS service principal (`*.amazonaws.com`) in - trust policies, resource policies, Lambda permissions - fix " +
    "aws:SourceAccount or aws:SourceArn, so another account cannot use the service as a confused deputy.",
  enforcementLevel: "mandatory",
  severity: "high",
  types: DOCUMENT_TYPES,
  check: (r, report) => {
    for (const { doc, st } of statementsOf(r, WITH_PRINCIPALS)) {
      if (st.effect !== "Allow" || !st.principal || st.principal.service.length === 0) continue;
      if (!servicePin(st)) {
        report.violation(`${at(doc, st)} lets ${st.principal.service.join(", ")} in without a fixed aws:SourceAccount or aws:SourceArn condition.`);
      }
    }
  },
});
