// Lambda configuration from environment variables set by components/JitBroker.ts. Read once per
// container; a missing variable is a deploy bug and fails loudly.
import type { JitConfig } from "../../config/jit";
import type { BrokerTarget } from "../ports";

export const ENV = {
  config: "JIT_CONFIG",
  table: "JIT_TABLE",
  topicArn: "JIT_TOPIC_ARN",
  elevatedRoleArn: "JIT_ELEVATED_ROLE_ARN",
  bucketName: "JIT_BUCKET",
  kmsKeyArn: "JIT_KMS_KEY_ARN",
  accountId: "JIT_ACCOUNT_ID",
  scheduleGroup: "JIT_SCHEDULE_GROUP",
  endFunctionArn: "JIT_END_FUNCTION_ARN",
  schedulerRoleArn: "JIT_SCHEDULER_ROLE_ARN",
} as const;

export function need(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`missing environment variable ${name}`);
  return v;
}

export function configFromEnv(): JitConfig {
  return JSON.parse(need(ENV.config)) as JitConfig;
}

export function targetFromEnv(): BrokerTarget {
  const kms = process.env[ENV.kmsKeyArn];
  return {
    elevatedRoleArn: need(ENV.elevatedRoleArn),
    bucketName: need(ENV.bucketName),
    region: need("AWS_REGION"),
    accountId: need(ENV.accountId),
    ...(kms ? { kmsKeyArn: kms } : {}),
  };
}
