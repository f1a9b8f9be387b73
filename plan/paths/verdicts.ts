// The design's promise per goal: who may reach it and how, as data with reasons. A path that no
// rule allows is a breach; one AWS itself leaves open is an accepted limit, named with its reason.
import type { PathVerdict } from "../types";
import type { Actor } from "./engine";
import type { EdgeKind } from "./edges";
import type { GoalId } from "./goals";
import type { PathModel, PathPrincipal } from "./model";
import { CONSUMER_ROLE, ELEVATED_ROLE, jitRoleTag } from "../../iam/tags";

export interface PathShape {
  goal: GoalId;
  start: PathPrincipal;
  steps: { kind: EdgeKind; to: Actor }[];
  /** The action(s) of the last hop, on the goal itself. */
  goalAction: string;
}

interface Rule {
  verdict: Exclude<PathVerdict, "breach">;
  reason: string;
  goals: GoalId[] | "all";
  /** The rule looks at the start alone: every other path from that start to the goal is judged the same. */
  startOnly?: true;
  holds: (s: PathShape, m: PathModel) => boolean;
}

const kinds = (s: PathShape) => s.steps.map((x) => x.kind).join(",");
const OBJECT_WRITES: GoalId[] = ["write-model", "delete-model"];
const DEPLOYER_ONLY: GoalId[] = ["delete-model-version", "bypass-retention", "change-bucket-guard", "stop-trail", "disable-keys", "silence-alarms", "lift-revocation"];

export const RULES: readonly Rule[] = [
  {
    verdict: "accepted-limit",
    reason: "the management account is outside every SCP and can detach them (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html)",
    goals: "all",
    startOnly: true,
    holds: (s) => s.start.kind === "management",
  },
  {
    verdict: "designed",
    reason: "the deployer is the trusted change path for the stack's guards",
    goals: DEPLOYER_ONLY,
    startOnly: true,
    holds: (s) => s.start.kind === "deployer",
  },
  {
    verdict: "accepted-limit",
    reason: "the deployer deploys every guard it would have to pass: review of the stack's changes is the control",
    goals: [...OBJECT_WRITES, "read-weights", "forge-approval"],
    startOnly: true,
    holds: (s) => s.start.kind === "deployer",
  },
  {
    verdict: "designed",
    reason: "a publisher session the broker minted after approval (request -> approve -> claim through the function URL)",
    goals: OBJECT_WRITES,
    holds: (s) => s.start.kind === "human" && kinds(s) === "broker-url",
  },
  {
    verdict: "designed",
    reason: "a trusted publisher assumes the publisher role (no broker on this stack)",
    goals: OBJECT_WRITES,
    holds: (s, m) => m.directPublisher && s.start.kind === "human" && !!s.start.duties?.includes("trustedPublisher") && kinds(s) === "assume" && s.steps[0].to.principal.role === ELEVATED_ROLE,
  },
  {
    verdict: "designed",
    reason: "a declared consumer reads inside its prefixes",
    goals: ["read-weights"],
    holds: (s) =>
      (s.start.role === CONSUMER_ROLE && s.steps.length === 0) ||
      (s.start.kind === "consumer-principal" && kinds(s) === "assume" && s.steps[0].to.principal.role === CONSUMER_ROLE),
  },
  {
    verdict: "designed",
    reason: "the stack's CloudFront distribution reads through Origin Access Control",
    goals: ["read-weights"],
    holds: (s) => s.start.kind === "service" && s.steps.length === 0 && s.goalAction.startsWith("s3:GetObject"),
  },
  {
    verdict: "accepted-limit",
    reason:
      "AWS lets whoever may run compute under a consumer role read what that consumer reads. Under the org SCPs only the deployer and organization.consumerRolePassers may pass a consumer role (DenyConsumerRolePassExceptDeployerAndPipelines); an EKS cluster's administrators (eks:CreateAccessEntry, or Kubernetes RBAC, which IAM does not see) still run pods as its service accounts, and whoever may run commands on the consumer's own instances (ssm:SendCommand, ssm:StartSession: the consumer's compute is not in this plan) acts as its role",
    goals: ["read-weights"],
    // Reading what the consumer reads, nothing else the role may do (a consumer role that may change the distribution is a breach).
    holds: (s) =>
      s.goalAction.startsWith("s3:GetObject") &&
      s.steps.length > 0 &&
      s.steps.every((x) => x.kind === "pass-role" || x.kind === "web-identity") &&
      s.steps[s.steps.length - 1].to.principal.role === CONSUMER_ROLE,
  },
  {
    verdict: "accepted-limit",
    reason: "CloudFront key groups and public keys have no resource-level permissions: no SCP can reserve them to the deployer (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudfront.html)",
    goals: ["read-weights"],
    holds: (s) => s.steps.length === 0 && s.goalAction === "cloudfront:UpdateKeyGroup",
  },
  {
    verdict: "designed",
    reason: "the broker's own functions keep its records: the API function (issuer role) its requests and approvals, the revoker its revocations",
    goals: ["forge-approval"],
    holds: (s) => (s.start.role === jitRoleTag("issuer") || s.start.role === jitRoleTag("revoker")) && s.steps.length === 0,
  },
  {
    verdict: "designed",
    reason: "the revoker function rebuilds the revocation deny (jit/revocation.ts)",
    goals: ["lift-revocation"],
    holds: (s) => s.start.role === jitRoleTag("revoker") && s.steps.length === 0,
  },
];

export function judge(s: PathShape, m: PathModel): { verdict: PathVerdict; reason?: string; startOnly?: boolean } {
  for (const r of RULES) if ((r.goals === "all" || r.goals.includes(s.goal)) && r.holds(s, m)) return { verdict: r.verdict, reason: r.reason, startOnly: r.startOnly };
  return { verdict: "breach" };
}
