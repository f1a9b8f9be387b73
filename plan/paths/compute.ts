// Services that run code (or make calls) with a role someone passes them: `iam:PassRole` on the
// role + the service's create action + the role trusting the service. One entry per service, each
// with the AWS page it rests on. The attacker-path edges (plan/paths/edges.ts) read only this list.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html

import { partitionOf } from "../../iam/arn";

export interface ComputeService {
  name: string;
  /** The service principal the role's trust must name (iam:PassedToService carries the same). */
  service: string;
  /** The call that starts code under the passed role. */
  action: string;
  /** A resource of the caller's own making that the action creates (account, region and the region's partition filled in). */
  resource: (region: string, account: string) => string;
  doc: string;
}

export const COMPUTE_SERVICES: readonly ComputeService[] = [
  {
    name: "Lambda function",
    service: "lambda.amazonaws.com",
    action: "lambda:CreateFunction",
    resource: (r, a) => `arn:${partitionOf(r)}:lambda:${r}:${a}:function:attacker-function`,
    doc: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html",
  },
  {
    name: "EC2 instance (instance profile)",
    service: "ec2.amazonaws.com",
    action: "ec2:RunInstances",
    resource: (r, a) => `arn:${partitionOf(r)}:ec2:${r}:${a}:instance/i-0attacker000000000`,
    doc: "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2.html",
  },
  {
    name: "SageMaker notebook, training or processing job",
    service: "sagemaker.amazonaws.com",
    action: "sagemaker:CreateTrainingJob",
    resource: (r, a) => `arn:${partitionOf(r)}:sagemaker:${r}:${a}:training-job/attacker-job`,
    doc: "https://docs.aws.amazon.com/sagemaker/latest/dg/sagemaker-roles.html",
  },
  {
    name: "ECS task (task role)",
    service: "ecs-tasks.amazonaws.com",
    action: "ecs:RegisterTaskDefinition",
    resource: (r, a) => `arn:${partitionOf(r)}:ecs:${r}:${a}:task-definition/attacker:1`,
    doc: "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html",
  },
  {
    name: "EKS Pod Identity association",
    service: "pods.eks.amazonaws.com",
    action: "eks:CreatePodIdentityAssociation",
    resource: (r, a) => `arn:${partitionOf(r)}:eks:${r}:${a}:cluster/attacker-cluster`,
    doc: "https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html",
  },
  {
    name: "CodeBuild project",
    service: "codebuild.amazonaws.com",
    action: "codebuild:CreateProject",
    resource: (r, a) => `arn:${partitionOf(r)}:codebuild:${r}:${a}:project/attacker-project`,
    doc: "https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html",
  },
  {
    name: "Glue job",
    service: "glue.amazonaws.com",
    action: "glue:CreateJob",
    resource: (r, a) => `arn:${partitionOf(r)}:glue:${r}:${a}:job/attacker-job`,
    doc: "https://docs.aws.amazon.com/glue/latest/dg/create-an-iam-role.html",
  },
  {
    name: "CloudFormation stack (service role)",
    service: "cloudformation.amazonaws.com",
    action: "cloudformation:CreateStack",
    resource: (r, a) => `arn:${partitionOf(r)}:cloudformation:${r}:${a}:stack/attacker-stack/00000000-0000-0000-0000-000000000000`,
    doc: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/using-iam-servicerole.html",
  },
  {
    name: "EventBridge Scheduler schedule",
    service: "scheduler.amazonaws.com",
    action: "scheduler:CreateSchedule",
    // A schedule in a group the caller names; a trust pinned to one group is met only inside it.
    resource: (r, a) => `arn:${partitionOf(r)}:scheduler:${r}:${a}:schedule/default/attacker-schedule`,
    doc: "https://docs.aws.amazon.com/scheduler/latest/UserGuide/setting-up.html#setting-up-execution-role",
  },
];

/** The entry for a service principal, if that service runs code under passed roles. */
export function computeFor(service: string): ComputeService | undefined {
  return COMPUTE_SERVICES.find((c) => c.service === service);
}
