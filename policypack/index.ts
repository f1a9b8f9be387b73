// Entry point for the Pulumi CLI: `pulumi preview --policy-pack policypack`.
// Constructing PolicyPack starts the analyzer's gRPC server, so nothing but the CLI imports this
// file; tests and the offline plan import `policies` from ./policies.

import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, policies } from "./policies";

new PolicyPack(PACK_NAME, {
  policies,
  // Each rule carries its own level; this only applies to a rule that does not.
  enforcementLevel: "mandatory",
  description: "model-vault: no wildcard actions, no public principals, and the rest of the model-distribution design, at preview.",
  provider: "aws",
  tags: ["aws", "s3", "iam", "security"],
});
