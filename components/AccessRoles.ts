// Everything issue 3 deploys, in one place for index.ts: a read-only role per consumer, the elevated
// publisher role, and the access statements of the model bucket's single bucket policy.
import * as pulumi from "@pulumi/pulumi";
import type { AccessConfig } from "../config/access";
import { accessBucketPolicyStatements } from "../iam/bucketPolicy";
import { bucketNetworkDeny } from "../iam/network";
import type { Statement } from "../iam/types";
import { ConsumerRole } from "./ConsumerRole";
import type { AccessBucket } from "./bucketSurface";
import { PublisherRole } from "./PublisherRole";

export interface AccessRolesArgs {
  /** The ModelBucket: receives the grants and the bucket-policy statements. */
  modelBucket: AccessBucket;
  access: AccessConfig;
  accountId: string;
  tags: Record<string, string>;
  /** Name of the publisher's permissions boundary policy (iam/publisher.ts publisherBoundaryName). */
  publisherBoundaryName: string;
  /** The JIT broker's trust statements: when given, the publisher role trusts only the broker's issuer. */
  publisherBrokerTrust?: pulumi.Input<Statement[]>;
}

export class AccessRoles extends pulumi.ComponentResource {
  readonly consumers: Record<string, ConsumerRole> = {};
  readonly publisher?: PublisherRole;
  /** consumer name -> role ARN */
  readonly consumerRoleArns: pulumi.Output<Record<string, string>>;
  readonly publisherRoleArn: pulumi.Output<string | undefined>;

  constructor(name: string, args: AccessRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:access:AccessRoles", name, {}, opts);
    const { access } = args;
    for (const c of access.consumers) {
      this.consumers[c.name] = new ConsumerRole(
        `${name}-consumer-${c.name}`,
        { modelBucket: args.modelBucket, consumer: c, accountId: args.accountId, permissionsBoundaryArn: access.permissionsBoundaryArn, tags: args.tags },
        { parent: this },
      );
    }
    if (access.publisher) {
      this.publisher = new PublisherRole(
        `${name}-publisher`,
        {
          modelBucket: args.modelBucket,
          publisher: access.publisher,
          boundaryName: args.publisherBoundaryName,
          brokerTrustStatements: args.publisherBrokerTrust,
          tags: args.tags,
        },
        { parent: this },
      );
    }
    const publisherArn = this.publisher ? this.publisher.roleArn : pulumi.output(undefined);
    args.modelBucket.addBucketPolicyStatements(
      name,
      pulumi.all([args.modelBucket.bucketArn, publisherArn]).apply(([bucketArn, publisherRoleArn]) => [
        ...accessBucketPolicyStatements({
          bucketArn,
          publisherRoleArn,
          publisherMayDelete: access.publisher?.allowDelete ?? false,
          deployerRoleArn: access.deployerRoleArn ?? undefined,
        }),
        // The stack-wide perimeter: one statement for every principal, flat in the number of consumers.
        ...(access.network ? [bucketNetworkDeny({ bucketArn, network: access.network })] : []),
      ]),
    );
    const entries = Object.entries(this.consumers);
    this.consumerRoleArns = pulumi
      .all(entries.map(([, r]) => r.roleArn))
      .apply((arns) => Object.fromEntries(entries.map(([n], i) => [n, arns[i]])));
    this.publisherRoleArn = publisherArn;
    this.registerOutputs({ consumerRoleArns: this.consumerRoleArns, publisherRoleArn: this.publisherRoleArn });
  }
}
