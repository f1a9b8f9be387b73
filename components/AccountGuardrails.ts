// Account-wide S3 Block Public Access: no bucket in the account can be made public by ACL or policy.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface AccountGuardrailsArgs {
  accountId: string;
  /** Keep the account setting in place if the stack is destroyed. */
  protect: boolean;
}

export class AccountGuardrails extends pulumi.ComponentResource {
  readonly publicAccessBlock: aws.s3.AccountPublicAccessBlock;

  constructor(name: string, args: AccountGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:account:AccountGuardrails", name, {}, opts);
    this.publicAccessBlock = new aws.s3.AccountPublicAccessBlock(
      `${name}-public-access-block`,
      { accountId: args.accountId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this, protect: args.protect, retainOnDelete: args.protect },
    );
    this.registerOutputs({});
  }
}
