// A tiny hand-made attacker-path model: one bucket, one key, no SCPs. The edge and verdict specs
// build their cases on it and write only the documents each case is about.
import type { PolicyDocument, Statement } from "../../iam/types";
import type { PathModel, PathPrincipal } from "../../plan/paths/model";

export const TINY_ACCOUNT = "111111111111";

export const doc = (...Statement: Statement[]): PolicyDocument => ({ Version: "2012-10-17", Statement });

export const allow = (Action: string | string[], Resource: string | string[] = "*", Condition?: Statement["Condition"]): Statement => ({
  Effect: "Allow",
  Action,
  Resource,
  ...(Condition ? { Condition } : {}),
});

/** A stack role with nothing but what `over` gives it; a starting point of the search unless `over` says not. */
export function tinyPrincipal(arn: string, over: Partial<PathPrincipal> = {}): PathPrincipal {
  return { id: arn, arn, label: arn.split("/").pop()!, kind: "stack-role", identityPolicies: [], boundary: null, attachedPolicyArns: [], trust: null, tags: {}, underScps: false, start: true, ...over };
}

export function tinyModel(principals: PathPrincipal[], extra: Partial<PathModel> = {}): PathModel {
  return {
    accountId: TINY_ACCOUNT,
    region: "us-east-1",
    scps: [],
    principals,
    bucket: { arn: "arn:aws:s3:::tiny", name: "tiny", policy: null, blockPublicAccess: true },
    objectKeys: { read: ["models/example.safetensors"], write: ["models/example.safetensors"] },
    bucketKey: { arn: `arn:aws:kms:us-east-1:${TINY_ACCOUNT}:key/00000000-0000-0000-0000-000000000000`, policy: null },
    keys: [],
    revocationPolicyName: "jit-revocations",
    directPublisher: false,
    ...extra,
  };
}
