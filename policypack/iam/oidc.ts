// OIDC trust: what each identity provider's `sub` claim means, so a trust policy is judged on
// whether it names an owner the provider vouches for, not on one provider's shape.
//
// | provider (condition-key prefix)            | `sub`                                                          | pinned when fixed up to      |
// | oidc.eks.<region>.amazonaws.com/id/<ID>    | system:serviceaccount:<namespace>:<sa>                         | the namespace                |
// |   https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html                                                    |
// | token.actions.githubusercontent.com        | repo:<owner>/<repo>:ref:… / :environment:… / :pull_request     | the owner ("repo:org/")      |
// |   https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/about-security-hardening-with-openid-connect |
// | gitlab.com (or a self-managed host)        | project_path:<group>/<project>:ref_type:…:ref:…                | the group ("project_path:g/")|
// |   https://docs.gitlab.com/ci/cloud_services/aws/                                                                                          |
// | app.terraform.io                           | organization:<org>:project:<project>:workspace:<ws>:run_phase:…| organization and project     |
// |   https://developer.hashicorp.com/terraform/cloud-docs/workspaces/dynamic-provider-credentials/aws-configuration                         |
// | api.bitbucket.org/2.0/workspaces/<ws>/…    | {<repository uuid>}:{<step uuid>}                              | the repository uuid          |
// |   https://support.atlassian.com/bitbucket-cloud/docs/deploy-on-aws-using-bitbucket-pipelines-openid-connect/                             |
// | accounts.google.com                        | the Google account's numeric id                                | the whole value (no wildcard)|
// |   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#condition-keys-wif                         |
// | any other provider                         | provider-defined                                               | a literal prefix with a "/"  |
// `aud` must be fixed (no wildcard) for every provider; Cognito identity pools put the pool id in
// `aud` and need only that.

import type { Condition, Statement } from "./document";
import { positive } from "./pins";

export type OidcProvider = "eks" | "github" | "gitlab" | "terraform" | "bitbucket" | "google" | "cognito" | "generic";

export function providerOf(issuer: string): OidcProvider {
  const i = issuer.toLowerCase().replace(/^arn:aws[a-z-]*:iam::\d*:oidc-provider\//, "").replace(/^https:\/\//, "");
  if (/^oidc\.eks\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/id\//.test(i)) return "eks";
  if (i.startsWith("token.actions.githubusercontent.com")) return "github";
  if (i === "gitlab.com" || i.startsWith("gitlab.")) return "gitlab";
  if (i === "app.terraform.io" || i.startsWith("app.terraform.io/")) return "terraform";
  if (i.startsWith("api.bitbucket.org/2.0/workspaces/")) return "bitbucket";
  if (i === "accounts.google.com") return "google";
  if (i === "cognito-identity.amazonaws.com") return "cognito";
  return "generic";
}

function literalPrefix(v: string): string | undefined {
  const first = v.search(/[*?]/);
  return first < 0 ? undefined : v.slice(0, first);
}

/** Whether one `sub` value (maybe wildcarded) names an owner the provider vouches for. */
export function subPinned(provider: OidcProvider, v: string): boolean {
  const prefix = literalPrefix(v);
  if (prefix === undefined) return v !== "";
  switch (provider) {
    case "eks":
      return /^system:serviceaccount:[^:*?]+:/.test(prefix);
    case "github":
      return /^repo:[^/*?:]+\//.test(prefix);
    case "gitlab":
      return /^project_path:[^/*?:]+\//.test(prefix);
    case "terraform":
      return /^organization:[^:*?]+:project:[^:*?]+:/.test(prefix);
    case "bitbucket":
      return /^\{[0-9a-f-]{36}\}:/i.test(prefix);
    case "google":
      return false;
    default:
      return prefix.includes("/");
  }
}

function claim(c: Condition, name: "sub" | "aud"): boolean {
  return c.key.endsWith(`:${name}`) && !c.key.startsWith("aws:");
}

/** The problem with one OIDC-trusting statement, or undefined; "unknown" when it depends on an unknown condition. */
export function oidcProblem(st: Statement, issuers: readonly string[]): string | "unknown" | undefined {
  const missing: string[] = [];
  for (const issuer of issuers) {
    const provider = providerOf(issuer);
    const audOk = st.conditions.some((c) => claim(c, "aud") && positive(c) && c.values.every((v) => !/[*?]/.test(v)));
    const subOk =
      provider === "cognito" || st.conditions.some((c) => claim(c, "sub") && positive(c) && c.values.every((v) => subPinned(provider, v)));
    if (!audOk) missing.push(`a fixed aud for ${issuer}`);
    if (!subOk) missing.push(`a sub naming one owner for ${issuer} (${provider}: ${SUB_MEANS[provider]})`);
  }
  if (missing.length === 0) return undefined;
  return st.unknown.includes("Condition") ? "unknown" : `lacks ${missing.join(" and ")}: any token from it could assume the role`;
}

const SUB_MEANS: Record<OidcProvider, string> = {
  eks: "system:serviceaccount:<namespace>:<name>, fix the namespace at least",
  github: "repo:<owner>/<repo>:…, fix the owner at least",
  gitlab: "project_path:<group>/<project>:…, fix the group at least",
  terraform: "organization:<org>:project:<project>:…, fix both",
  bitbucket: "{<repository uuid>}:{<step uuid>}, fix the repository",
  google: "the account id, exactly",
  cognito: "not needed",
  generic: "a literal prefix naming an owner",
};
