// KMS, CloudTrail and IAM role settings.

import type { ResourceValidationPolicy } from "@pulumi/policy";
import { resourceRule } from "../lib/rule";
import { T } from "../lib/tokens";
import { readBool, readNumber, readString, ROLE_TAG, tag } from "../lib/values";

// Automatic rotation is only possible for symmetric encryption keys with AWS-generated material in
// the AWS KMS key store: "Automatic key rotation is not supported on asymmetric KMS keys, HMAC KMS
// keys, KMS keys in custom key stores, and KMS keys with imported key material"
// (https://docs.aws.amazon.com/kms/latest/developerguide/rotating-keys-enable.html). Demanding it
// there asks for what AWS refuses; aws.kms.ExternalKey / ReplicaExternalKey (imported material)
// are not checked at all.
function cannotRotate(props: Record<string, unknown>): string | undefined {
  const usage = readString(props["keyUsage"]);
  const spec = readString(props["customerMasterKeySpec"] ?? props["keySpec"]);
  if (usage.kind === "value" && usage.value !== "ENCRYPT_DECRYPT") return `keyUsage ${usage.value}`;
  if (spec.kind === "value" && spec.value !== "SYMMETRIC_DEFAULT") return `key spec ${spec.value}`;
  for (const f of ["customKeyStoreId", "xksKeyId"]) {
    const v = readString(props[f]);
    if (v.kind === "value" && v.value !== "") return `a custom key store (${f})`;
  }
  return undefined;
}

export const kmsKeyRotation: ResourceValidationPolicy = resourceRule({
  name: "kms-key-rotation",
  description:
    "Symmetric encryption KMS keys have automatic rotation on. Keys AWS cannot rotate automatically are skipped: asymmetric, HMAC, " +
    "custom key stores (CloudHSM or external), imported material (ExternalKey).",
  enforcementLevel: "mandatory",
  severity: "medium",
  types: [T.kmsKey],
  check: (r, report) => {
    if (cannotRotate(r.props)) return;
    const rot = readBool(r.props["enableKeyRotation"]);
    if (rot.kind === "unknown") report.unknown(".enableKeyRotation");
    else if (rot.kind === "absent" || !rot.value) report.violation("enableKeyRotation is off; turn on automatic rotation for symmetric keys.");
  },
});

export const cloudTrailHardened: ResourceValidationPolicy = resourceRule({
  name: "cloudtrail-hardened",
  description: "CloudTrail trails are multi-region, validate log files, encrypt with KMS (kmsKeyId) and are logging.",
  enforcementLevel: "mandatory",
  severity: "high",
  types: [T.trail],
  check: (r, report) => {
    const problems: string[] = [];
    const mustBeTrue = (field: string, defaultValue: boolean, what: string): void => {
      const v = readBool(r.props[field]);
      if (v.kind === "unknown") report.unknown(`.${field}`);
      else if (!(v.kind === "value" ? v.value : defaultValue)) problems.push(what);
    };
    mustBeTrue("isMultiRegionTrail", false, "isMultiRegionTrail is off");
    mustBeTrue("enableLogFileValidation", false, "enableLogFileValidation is off");
    mustBeTrue("enableLogging", true, "enableLogging is false");
    const kms = readString(r.props["kmsKeyId"]);
    if (kms.kind === "unknown") report.unknown(".kmsKeyId");
    else if (kms.kind === "absent" || kms.value === "") problems.push("kmsKeyId is not set (logs are only SSE-S3 encrypted)");
    if (problems.length > 0) report.violation(`${problems.join("; ")}.`);
  },
});

export const MAX_ELEVATED_SESSION = 3600;

export const elevatedRoleSession: ResourceValidationPolicy = resourceRule({
  name: "elevated-role-session",
  description: `IAM roles tagged \`model-vault:role\` = \`elevated\` or \`jit-issuer\` have maxSessionDuration <= ${MAX_ELEVATED_SESSION} seconds (absent means 3600).`,
  enforcementLevel: "mandatory",
  severity: "high",
  types: [T.role],
  check: (r, report) => {
    const role = tag(r.props, ROLE_TAG);
    if (role !== "elevated" && role !== "jit-issuer") return;
    const d = readNumber(r.props["maxSessionDuration"]);
    if (d.kind === "unknown") report.unknown(".maxSessionDuration");
    else if (d.kind === "value" && d.value > MAX_ELEVATED_SESSION) {
      report.violation(`maxSessionDuration is ${d.value}s; a ${role} role's sessions may last at most ${MAX_ELEVATED_SESSION}s.`);
    }
  },
});

/**
 * The IAM path of model-vault's roles. The organization's SCPs protect model-vault's roles by it
 * (role/model-vault/*), so a role outside it escapes them. Equal to iam/arns.ts ROLE_PATH (a test
 * holds them together; the pack is its own package and does not import the program).
 */
export const MODEL_VAULT_ROLE_PATH = "/model-vault/";

export const modelVaultRolePath: ResourceValidationPolicy = resourceRule({
  name: "model-vault-role-path",
  description: `IAM roles tagged \`model-vault:role\` have the path ${MODEL_VAULT_ROLE_PATH}: the organization's SCPs name model-vault's roles by it.`,
  enforcementLevel: "mandatory",
  severity: "high",
  types: [T.role],
  check: (r, report) => {
    const role = tag(r.props, ROLE_TAG);
    if (role === undefined) return;
    const p = readString(r.props["path"]);
    if (p.kind === "unknown") report.unknown(".path");
    else if ((p.kind === "value" ? p.value : "/") !== MODEL_VAULT_ROLE_PATH)
      report.violation(`a ${role} role has path ${p.kind === "value" ? p.value : "/ (none set)"}; model-vault's roles need ${MODEL_VAULT_ROLE_PATH}, which is how the org SCPs protect them.`);
  },
});
