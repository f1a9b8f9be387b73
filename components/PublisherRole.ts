// The elevated role that may publish model weights: nobody holds it standing; named principals
// assume it with MFA and a source identity, for at most an hour.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PublisherConfig } from "../config/access";
import { ROLE_PATH } from "../iam/arns";
import { assertPolicySize, MANAGED_POLICY_MAX, ROLE_TRUST_POLICY_MAX } from "../iam/limits";
import { publisherBoundaryPolicy } from "../iam/publisher";
import { publisherTrustPolicy } from "../iam/trust";
import { toJson, type Statement } from "../iam/types";
import type { GrantableBucket } from "./bucketSurface";
import { grantPublish } from "./grants";
import { ELEVATED_ROLE, ROLE_TAG } from "../iam/tags";

export const PUBLISHER_MAX_SESSION_SECONDS = 3600;

export interface PublisherRoleArgs {
  modelBucket: GrantableBucket;
  publisher: PublisherConfig;
  /**
   * Name of the role's own permissions boundary (iam/publisher.ts publisherBoundaryName). A role has
   * one boundary, and the publisher's is always this one: a boundary configured for the stack
   * (`permissionsBoundaryArn`) is not in the plan, so nothing could be proven about it, and the org
   * SCPs protect this one. The configured boundary applies to the consumer roles.
   */
  boundaryName: string;
  /**
   * The just-in-time broker's trust statements. When given, they are the ONLY trust: the named MFA
   * principals lose direct access, so every elevation goes through request -> approve -> claim.
   */
  brokerTrustStatements?: pulumi.Input<Statement[]>;
  tags: Record<string, string>;
}

export class PublisherRole extends pulumi.ComponentResource {
  readonly role: aws.iam.Role;
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly policy: aws.iam.RolePolicy;
  /** The permissions boundary: the most the role may ever do, whatever policy is written on it later. */
  readonly boundary: aws.iam.Policy;

  constructor(name: string, args: PublisherRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:access:PublisherRole", name, {}, opts);
    const p = args.publisher;
    const brokered = args.brokerTrustStatements !== undefined;
    const trust = pulumi
      .output(args.brokerTrustStatements ?? [])
      .apply((broker) =>
        assertPolicySize(
          toJson(publisherTrustPolicy({ trustedPrincipals: brokered ? [] : p.trustedPrincipals, maxMfaAgeSeconds: p.maxMfaAgeSeconds, extraStatements: broker })),
          ROLE_TRUST_POLICY_MAX,
          `${name} trust policy`,
        ),
      );
    this.boundary = new aws.iam.Policy(
      `${name}-boundary`,
      {
        name: args.boundaryName,
        path: ROLE_PATH,
        description: `model-vault: the most the elevated publisher may ever do (object writes in ${p.prefixes.join(", ")}${p.allowDelete ? ", deletes" : ""})`,
        policy: pulumi
          .all([args.modelBucket.bucketArn, args.modelBucket.keyArn])
          .apply(([bucketArn, keyArn]) =>
            assertPolicySize(
              toJson(publisherBoundaryPolicy({ bucketArn, keyArn, prefixes: p.prefixes, allowDelete: p.allowDelete })),
              MANAGED_POLICY_MAX,
              `${name} permissions boundary`,
            ),
          ),
        tags: args.tags,
      },
      { parent: this },
    );
    this.role = new aws.iam.Role(
      name,
      {
        description: `model-vault elevated publisher: writes ${p.prefixes.join(", ")}${p.allowDelete ? " (with delete)" : ""}; ${brokered ? "only through the just-in-time broker" : "MFA + source identity required"}`,
        path: ROLE_PATH,
        assumeRolePolicy: trust,
        maxSessionDuration: PUBLISHER_MAX_SESSION_SECONDS,
        permissionsBoundary: this.boundary.arn,
        tags: { ...args.tags, [ROLE_TAG]: ELEVATED_ROLE },
      },
      { parent: this },
    );
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.policy = grantPublish(args.modelBucket, this.role, p.prefixes, { name: `${name}-publish`, parent: this, allowDelete: p.allowDelete });
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName });
  }
}
