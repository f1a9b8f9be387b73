// Where a confused-deputy pin (aws:SourceAccount / aws:SourceArn) cannot be demanded: the service
// does not send the key when it acts, so the pin would break it, or the role can only be handed
// to the service by iam:PassRole inside the account (PassRole never crosses accounts), so there is
// no other account to confuse it. Each entry: service principal, document kind, and the source.

import type { DocKind } from "./document";

export interface DeputyException {
  service: string;
  kind: DocKind;
  why: string;
  source: string;
}

export const DEPUTY_EXCEPTIONS: readonly DeputyException[] = [
  {
    service: "cloudtrail.amazonaws.com",
    kind: "trust",
    why: "the role CloudTrail assumes to deliver to CloudWatch Logs: CloudTrail does not send aws:SourceArn/aws:SourceAccount when it assumes it, and a pin stops delivery",
    source: "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-required-policy-for-cloudwatch-logs.html",
  },
  {
    service: "ec2.amazonaws.com",
    kind: "trust",
    why: "an instance-profile role is handed to EC2 by iam:PassRole within the account; EC2 does not send aws:SourceAccount when it assumes it",
    source: "https://github.com/prowler-cloud/prowler/issues/2810 ; https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html",
  },
  {
    service: "lambda.amazonaws.com",
    kind: "trust",
    why: "an execution role is handed to Lambda by iam:PassRole within the account, so no other account can make Lambda assume it (pack's choice, see the corpus's ambiguous cases)",
    source: "https://docs.aws.amazon.com/lambda/latest/dg/lambda-intro-execution-role.html ; https://github.com/prowler-cloud/prowler/issues/2810",
  },
];

export function deputyException(service: string, kind: DocKind): DeputyException | undefined {
  return DEPUTY_EXCEPTIONS.find((e) => e.service === service && e.kind === kind);
}
