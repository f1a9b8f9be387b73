// model-vault: one stack = one environment's model bucket and everything that guards it.
// Read top to bottom: configuration -> components -> outputs.
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { AccountGuardrails } from "./components/AccountGuardrails";
import { ModelBucket } from "./components/ModelBucket";

export = async () => {
  // 1. Configuration: validated whole before any resource is registered.
  const cfg = loadStackConfig(pulumi.getStack(), pulumi.runtime.allConfig());

  // 2. Account-wide guardrails.
  new AccountGuardrails("account", { accountId: cfg.accountId, protect: cfg.protect });

  // 3. The model bucket, its key and its access-log bucket.
  const models = new ModelBucket("models", {
    storage: cfg.storage,
    accountId: cfg.accountId,
    region: cfg.region,
    protect: cfg.protect,
    tags: cfg.tags,
  });

  // 4. Every component has contributed its bucket- and key-policy statements: register them.
  models.finalize();

  // 5. Outputs.
  return {
    environment: cfg.environment,
    bucketName: models.bucketName,
    bucketArn: models.bucketArn,
    keyArn: models.keyArn,
    accessLogBucketName: models.logBucketName,
  };
};
