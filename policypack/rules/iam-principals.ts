// Rules about who a resource or trust policy lets in.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { deputyException } from "../iam/deputy-exceptions";
import { oidcProblem } from "../iam/oidc";
import { publicPin, servicePin } from "../iam/pins";
import { resourceRule } from "../lib/rule";
import { at, DOCUMENT_TYPES, statementsOf, WITH_PRINCIPALS } from "./iam-common";

// Identity providers whose tokens anyone can obtain: trusting them needs pinned claims.
function isOidcProvider(federated: string): boolean {
  const f = federated.toLowerCase();
  return !f.includes(":saml-provider/") && (f.includes(":oidc-provider/") || !f.startsWith("arn:"));
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
        if (st.unknown.includes("Condition")) {
          report.unknown(`${at(doc, st)}.Condition (whether it pins the public principal)`);
          continue;
        }
        const who = doc.kind === "trust" ? "any AWS account can assume this role" : "anyone can use it";
        report.violation(`${at(doc, st)} has a public principal and no pinning condition: ${who}. Name the principals or add a fixed aws:PrincipalOrgID / aws:SourceArn condition.`);
      }
      const oidc = oidcProblem(st, st.principal?.federated.filter(isOidcProvider) ?? []);
      if (oidc === "unknown") report.unknown(`${at(doc, st)}.Condition (the OIDC claims)`);
      else if (oidc) report.violation(`${at(doc, st)} trusts an OIDC provider and ${oidc}.`);
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
      const services = st.principal.service.filter((s) => !deputyException(s, doc.kind));
      if (services.length === 0 || servicePin(st)) continue;
      if (st.unknown.includes("Condition")) report.unknown(`${at(doc, st)}.Condition (the confused-deputy pin)`);
      else report.violation(`${at(doc, st)} lets ${services.join(", ")} in without a fixed aws:SourceAccount or aws:SourceArn condition.`);
    }
  },
});
