// The plan contract (see ARCHITECTURE.md): what `npm run plan -- --json` prints.

export interface PlanResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent component, or null for children of the stack itself. */
  parent: string | null;
  /** true for cloud resources, false for ComponentResources and the stack. */
  custom: boolean;
  /** Resolved inputs as registered: IAM documents are what the provider receives (JSON strings). */
  inputs: Record<string, unknown>;
  /** What the fake cloud computed for it (arn, id, domain names ...), merged over the inputs. */
  outputs: Record<string, unknown>;
  /** Resource options that matter for review: protect, retainOnDelete. */
  options: { protect: boolean; retainOnDelete: boolean };
}

export type PolicyLevel = "mandatory" | "advisory";

export interface PolicyViolation {
  policy: string;
  level: PolicyLevel;
  urn: string;
  message: string;
}

export type AccessDecision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** Which question set a row belongs to: the design matrix, the SCP rows of an org plan, or the network perimeter's rows (plan/networkQuestions.ts). */
export type AccessKind = "design" | "scp" | "network";

export interface AccessCell {
  principal: string;
  label: string;
  action: string;
  resource: string;
  decision: AccessDecision;
  /** The policy/statement that decided, e.g. "bucket-policy/DenyWritesExceptPublisher". */
  by: string;
  /** Whether this cell is what the design promises (a breach makes the plan exit non-zero). */
  expected?: AccessDecision | "AllowedOrDenied";
  /** The question set (added after the fields above; older plans lack it). */
  kind?: AccessKind;
}

export type PathVerdict = "breach" | "accepted-limit" | "designed";

export interface PathHop {
  action: string;
  resource: string;
  /** The statement(s) that allowed this hop, e.g. "identity:AdministratorAccess/AdministratorAccess". */
  decidedBy: string;
}

/** One attacker path (plan/paths/): the shortest way from a principal to a goal, and the design's verdict on it. */
export interface AttackPath {
  /** What is reached: write-model, read-weights, lift-revocation ... (plan/paths/goals.ts). */
  goal: string;
  /** The starting principal's ARN. */
  from: string;
  fromLabel?: string;
  hops: PathHop[];
  verdict: PathVerdict;
  /** Why a path is designed or an accepted limit. */
  reason?: string;
}

export interface Plan {
  project: string;
  stack: string;
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  policy?: { violations: PolicyViolation[] };
  access?: AccessCell[];
  /** Who can reach what (attacker paths); a breach makes the plan exit non-zero. */
  paths?: AttackPath[];
  /** Non-fatal notes for the reader (e.g. a missing deployer role in dev). */
  warnings?: string[];
}
