// The attacker-path model: the principals (graph nodes) and the resources the goals and edges act
// on, read once from a plan (plan/paths/principals.ts) or written by hand in a test. Plain data.
import type { PolicyDocument } from "../../iam/types";
import type { OrgInput } from "../orgLayers";
import type { NamedPolicy } from "../planDocuments";
import type { NetworkPlan } from "../networkQuestions";

export type PrincipalKind =
  /** A role the stack creates (its `model-vault:role` tag in `role`). */
  | "stack-role"
  /** A person's role or user the config names (jit requesters/approvers/breakGlass, trusted publishers). */
  | "human"
  /** The workload account's administrator (synthetic: AdministratorAccess, under the SCPs when the plan has them). */
  | "admin"
  /** The role that runs `pulumi up`. */
  | "deployer"
  /** The organization's management account: SCPs never bind it. */
  | "management"
  /** A principal of an account the stack does not name. */
  | "other-account"
  /** A principal of another account a consumer entry names (its trust names it). */
  | "consumer-principal"
  /** A service principal acting for one of the stack's resources (the CDN distribution). */
  | "service"
  | "anonymous";

export type HumanDuty = "requester" | "approver" | "breakGlass" | "trustedPublisher";

export interface PathPrincipal {
  /** Node id: the ARN (role ARN for roles), "anonymous", or the service and its source ARN. */
  id: string;
  /** What requests carry as the principal (role ARN, service principal, or "anonymous"). */
  arn: string;
  label: string;
  kind: PrincipalKind;
  /** `model-vault:role` tag of a stack role (consumer, elevated, jit-issuer, jit-revoker ...). */
  role?: string;
  duties?: HumanDuty[];
  /** An IAM user (credential edges) rather than a role. */
  user?: boolean;
  identityPolicies: NamedPolicy[];
  boundary: NamedPolicy | null;
  /** Customer-managed policies attached (ARNs in the plan); the boundary's ARN is `boundary.name`. */
  attachedPolicyArns: string[];
  /** The trust policy (roles the plan creates); null when the plan cannot see it. */
  trust: PolicyDocument | null;
  tags: Record<string, string>;
  /** The org SCPs bind it (same account as the stack, and the plan has SCPs). */
  underScps: boolean;
  /** The management account detached every organization policy (SCPs and RCPs) first. */
  orgDetached?: boolean;
  /** Listed as a starting point of paths (the publisher and the issuer are reached, never started from). */
  start: boolean;
  /** Service principals: the aws:SourceArn they send. */
  sourceArn?: string;
  /** The stack's Lambda function that runs as this role (its lambda:SourceFunctionArn). */
  ownFunctionArn?: string;
  /** That function's resource policy (aws.lambda.Permission resources), which may grant other accounts. */
  ownFunctionPolicy?: PolicyDocument | null;
}

export interface Broker {
  /** The API function that acts on its caller's word. */
  functionArn: string;
  issuerArn: string;
  /** The request table: its records are the approvals the broker acts on and the revocations it enforces. */
  tableArn?: string;
  /** The function's resource policy, as the plan's aws.lambda.Permission resources make it. */
  functionPolicy: PolicyDocument | null;
  hasUrl: boolean;
  /** The URL's auth type as planned ("AWS_IAM" or "NONE"). */
  urlAuthType?: string;
  /** Caller patterns the broker checks in its own code (config jit.*). */
  requesters: string[];
  approvers: string[];
  breakGlass: string[];
}

export interface GuardedResource {
  arn: string;
  policy: PolicyDocument | null;
  /** Context the engine cannot derive from the request (the resource's tags). */
  context?: Record<string, string>;
}

export interface PathModel {
  accountId: string;
  region: string;
  /** The organization's SCP and RCP layers (plan/orgLayers.ts), or bare SCP documents attached to the account's OU. */
  scps: OrgInput;
  principals: PathPrincipal[];
  bucket: GuardedResource & { name: string; blockPublicAccess: boolean };
  /** Object keys the goals try: one inside each prefix someone may read, and inside the publisher's. */
  objectKeys: { read: string[]; write: string[] };
  bucketKey: GuardedResource;
  keys: GuardedResource[];
  auditBucket?: GuardedResource & { name: string };
  trailArn?: string;
  /** The tamper alarms (components/Monitoring.ts): rule ARNs, the topic they publish to, its key. */
  alarms?: { ruleArns: string[]; topic: GuardedResource; key?: GuardedResource };
  distribution?: GuardedResource;
  publisherArn?: string;
  /** The inline policy the revoker writes on the publisher (jit/revocation.ts). */
  revocationPolicyName: string;
  broker?: Broker;
  /** Principals allowed to lift a revocation besides the deployer: the stack's revoker role. */
  revokerArn?: string;
  /** The publisher trusts people directly (no broker). */
  directPublisher: boolean;
  /** The configured network perimeters: paths are asked from inside them (plan/networkQuestions.ts). */
  network?: NetworkPlan;
}
