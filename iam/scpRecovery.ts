// Lockout recovery under the SCPs: what really works when a bucket policy locks everyone out. Pure.
//
// SCPs bind the root user of member accounts
// (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html), and the
// guardrails deny s3:DeleteBucketPolicy to all but the deployer, so "the account root can always delete
// the bucket policy" is not true under them. Two paths stay open:
// - the management account, which no SCP binds, detaches the guardrails from the account for the repair;
// - centralized root access: from the management account (or the IAM delegated administrator),
//   sts:AssumeRoot with the task policy arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy gives a
//   short privileged root session in the member account
//   (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_root-user-privileged-task.html,
//   https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoot.html). Its requests carry
//   aws:PrincipalArn = arn:aws:iam::<account>:root and aws:AssumedRoot = true; the root user signing in
//   with its own credentials has the same aws:PrincipalArn and no aws:AssumedRoot (AWS's own SCP example,
//   "Prevent root credentials management in member accounts", tells them apart by exactly that:
//   https://github.com/aws-samples/service-control-policy-examples,
//   https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-assumedroot).
// The SCP statement DenyModelBucketPolicyDeleteExceptDeployerAndRootSession (iam/scpStatements.ts)
// exempts exactly that session, for exactly s3:DeleteBucketPolicy.
/** The request key AWS sets on requests made with sts:AssumeRoot credentials. */
export const ROOT_SESSION_KEY = "aws:AssumedRoot";

/** The AWS managed task policy a privileged root session needs to delete a bucket policy. */
export const S3_UNLOCK_TASK_POLICY = "S3UnlockBucketPolicy";

/**
 * The plan's lockout-recovery note: how to get the model bucket back when its policy locks everyone out
 * (the deployer included). Lines of text; where they go in the plan is the renderer's choice.
 */
export function lockoutRecoveryLines(org: { policyName: string; targets: string[]; partition: string }): string[] {
  return [
    "Lockout recovery (a bucket policy that denies everyone, the deployer included):",
    "  the guardrail SCPs bind the member account's root user, so its own root credentials cannot delete the bucket policy.",
    `  1. centralized root access (sts:AssumeRoot): from the management account (or the IAM delegated administrator), aws sts assume-root --target-principal <account id> --task-policy-arn arn=arn:${org.partition}:iam::aws:policy/root-task/${S3_UNLOCK_TASK_POLICY}, then aws s3api delete-bucket-policy --bucket <bucket> with that session (the SCPs exempt it for s3:DeleteBucketPolicy only; needs centralized root access enabled in IAM).`,
    `  2. or, from the management account (outside every SCP), detach ${org.policyName}* from ${org.targets.join(", ")} (or move the account out), repair as the deployer, and re-attach with pulumi up --stack org.`,
  ];
}
