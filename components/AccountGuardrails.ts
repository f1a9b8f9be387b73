// Account-wide S3 Block Public Access: no bucket in the account can be made public by ACL or policy.
// Either the stack sets it on the account ("manage"), or the organization's S3 policy does
// ("organization": iam/orgS3Policy.ts, registered by the org stack). Under an organization-level
// policy the account-level PutPublicAccessBlock can fail with 403
// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_PutPublicAccessBlock.html), so in that
// mode nothing is registered here and the mode is recorded on the component for the plan to check.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { PublicAccessBlockMode } from "../iam/orgS3Policy";
import { PUBLIC_ACCESS_BLOCK_INPUT } from "../iam/orgS3Policy";

export interface AccountGuardrailsArgs {
  accountId: string;
  /** Keep the account setting in place if the stack is destroyed. */
  protect: boolean;
  /** Who sets account-wide Block Public Access (config model-vault:publicAccessBlock). Default "manage". */
  publicAccessBlock?: PublicAccessBlockMode;
}


export class AccountGuardrails extends pulumi.ComponentResource {
  /** The account-level setting, when this stack manages it. */
  readonly publicAccessBlock?: aws.s3.AccountPublicAccessBlock;
  readonly mode: PublicAccessBlockMode;

  constructor(name: string, args: AccountGuardrailsArgs, opts?: pulumi.ComponentResourceOptions) {
    const mode = args.publicAccessBlock ?? "manage";
    // "manage" keeps the component's inputs empty, as before the mode existed.
    super("model-vault:account:AccountGuardrails", name, mode === "organization" ? { [PUBLIC_ACCESS_BLOCK_INPUT]: mode } : {}, opts);
    this.mode = mode;
    if (mode === "manage") {
      this.publicAccessBlock = new aws.s3.AccountPublicAccessBlock(
        `${name}-public-access-block`,
        { accountId: args.accountId, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        { parent: this, protect: args.protect, retainOnDelete: args.protect },
      );
    }
    this.registerOutputs({});
  }
}
