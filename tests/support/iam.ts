// One IAM evaluation for the security tests: iam-simulate (AGPL-3.0, dev-only) over real documents.
// iam-simulate does not derive request context keys (aws:PrincipalArn, aws:SecureTransport ...):
// each test passes the ones AWS would send.
import { runSimulation } from "@cloud-copilot/iam-simulate";
import type { PolicyDocument } from "../../iam/types";
import type { AccessDecision } from "../../plan/types";

export interface Evaluation {
  principal: string;
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  identityPolicies?: PolicyDocument[];
  resourcePolicy?: PolicyDocument;
  sessionPolicy?: PolicyDocument;
  /** The principal's permissions boundary. */
  boundary?: PolicyDocument;
  /** The account that owns the resource. Default 111111111111. */
  accountId?: string;
  /** SCPs at the principal's OU, under FullAWSAccess (none: no SCP layer). */
  scps?: PolicyDocument[];
  /** RCPs at the resource's OU (iam-simulate supplies RCPFullAWSAccess itself and refuses an Allow in an RCP). */
  rcps?: PolicyDocument[];
}

// What Organizations attaches everywhere once SCPs are enabled: it lets everything through.
const FULL_AWS_ACCESS: PolicyDocument = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] };
const named = (docs: PolicyDocument[], prefix: string) => docs.map((policy, i) => ({ name: `${prefix}-${i + 1}`, policy }));

export async function decide(e: Evaluation): Promise<AccessDecision> {
  const r = await runSimulation(
    {
      request: { principal: e.principal, action: e.action, resource: { resource: e.resource, accountId: e.accountId ?? "111111111111" }, contextVariables: e.context ?? {} },
      identityPolicies: (e.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i + 1}`, policy })),
      ...(e.sessionPolicy ? { sessionPolicy: e.sessionPolicy } : {}),
      ...(e.boundary ? { permissionBoundaryPolicies: [{ name: "boundary", policy: e.boundary }] } : {}),
      serviceControlPolicies: e.scps ? [{ orgIdentifier: "ou-test", policies: [{ name: "FullAWSAccess", policy: FULL_AWS_ACCESS }, ...named(e.scps, "scp")] }] : [],
      resourceControlPolicies: e.rcps ? [{ orgIdentifier: "ou-test", policies: named(e.rcps, "rcp") }] : [],
      resourcePolicy: e.resourcePolicy,
    },
    {},
  );
  if (r.resultType === "error") throw new Error(`iam-simulate rejected ${e.action} on ${e.resource}: ${JSON.stringify(r.errors)}`);
  if (r.resultType !== "single") throw new Error(`expected one result for ${e.action} on ${e.resource}, got ${r.resultType}`);
  return r.overallResult as AccessDecision;
}
