// The `model-vault:role` tag: the key and every value model-vault writes, in one place. The plan
// finds the stack's resources by it, and the organization's SCPs protect the keys and the
// distribution by it (aws:ResourceTag, their ARNs being random). The policy pack keeps its own copy
// of the key (policypack/lib/values.ts); tests/tags.spec.ts holds them equal.
export const ROLE_TAG = "model-vault:role";

export const MODEL_BUCKET_ROLE = "model-bucket";
export const LOG_BUCKET_ROLE = "log-bucket";
/** The model bucket's KMS key: losing it loses every model object (SCP-protected). */
export const MODEL_KEY_ROLE = "model-bucket-key";
/** The audit trail's KMS key: every log (SCP-protected). */
export const AUDIT_KEY_ROLE = "audit-key";
/** The alarm topic's KMS key: disabling it silences every alarm (SCP-protected). */
export const ALARM_KEY_ROLE = "alarm-key";
/** The CloudFront distribution: dropping its key groups would serve the weights to anyone (SCP-protected). */
export const CDN_ROLE = "model-cdn";
/** The publisher role (object writes after approval). */
export const ELEVATED_ROLE = "elevated";
export const CONSUMER_ROLE = "consumer";

export type JitRolePart = "issuer" | "revoker" | "scheduler";
/** The JIT broker's roles: `jit-issuer`, `jit-revoker`, `jit-scheduler`. */
export const jitRoleTag = (part: JitRolePart) => `jit-${part}` as const;

/** A consumer role's `model-vault:consumer` tag: the consumer's name in the config. */
export const CONSUMER_NAME_TAG = "model-vault:consumer";

/** What a data store holds: the broker's request table is `jit-audit` (its approvals and revocations). */
export const DATA_TAG = "model-vault:data";
export const JIT_AUDIT_DATA = "jit-audit";
