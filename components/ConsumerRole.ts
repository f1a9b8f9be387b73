// One read-only role per consuming workload, trusted only by that workload, scoped to its prefixes.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { Consumer } from "../config/access";
import { ROLE_PATH } from "../iam/arns";
import { assertPolicySize, ROLE_TRUST_POLICY_MAX } from "../iam/limits";
import { consumerTrustPolicy } from "../iam/trust";
import { toJson } from "../iam/types";
import type { GrantableBucket } from "./bucketSurface";
import { grantRead } from "./grants";
import { CONSUMER_NAME_TAG, CONSUMER_ROLE, ROLE_TAG } from "../iam/tags";

/** Consumer sessions last at most an hour. */
export const CONSUMER_MAX_SESSION_SECONDS = 3600;

export interface ConsumerRoleArgs {
  /** The bucket to read from (a ModelBucket). */
  modelBucket: GrantableBucket;
  consumer: Consumer;
  /** The account the role lives in: pins service principals (aws:SourceAccount). */
  accountId: string;
  /** Managed policy ARN set as the role's permissions boundary. */
  permissionsBoundaryArn?: string | null;
  tags: Record<string, string>;
}

export class ConsumerRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly policy: aws.iam.RolePolicy;
  /** Set for ec2 consumers with instanceProfile: true. */
  readonly instanceProfile?: aws.iam.InstanceProfile;

  constructor(name: string, args: ConsumerRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:access:ConsumerRole", name, {}, opts);
    const c = args.consumer;
    const tags = {
      ...args.tags,
      [ROLE_TAG]: CONSUMER_ROLE,
      [CONSUMER_NAME_TAG]: c.name,
      "model-vault:consumer-kind": c.kind,
    };
    const trust = assertPolicySize(toJson(consumerTrustPolicy(c, args.accountId)), ROLE_TRUST_POLICY_MAX, `${name} trust policy`);

    this.role = new aws.iam.Role(
      name,
      {
        description: `model-vault read-only consumer ${c.name} (${c.kind}): reads ${c.prefixes.join(", ")}`,
        path: ROLE_PATH,
        assumeRolePolicy: trust,
        maxSessionDuration: CONSUMER_MAX_SESSION_SECONDS,
        ...(args.permissionsBoundaryArn ? { permissionsBoundary: args.permissionsBoundaryArn } : {}),
        tags,
      },
      { parent: this },
    );
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.policy = grantRead(args.modelBucket, this.role, c.prefixes, { name: `${name}-read`, parent: this, network: c.network });

    if (c.kind === "service" && c.instanceProfile) {
      this.instanceProfile = new aws.iam.InstanceProfile(`${name}-profile`, { role: this.role.name, tags }, { parent: this });
    }
    if (c.kind === "eks-pod-identity" && c.createAssociation) {
      new aws.eks.PodIdentityAssociation(
        `${name}-pod-identity`,
        { clusterName: c.clusterName, namespace: c.namespace, serviceAccount: c.serviceAccount, roleArn: this.role.arn, tags },
        { parent: this },
      );
    }
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, instanceProfileName: this.instanceProfile?.name });
  }
}
