// The session policy passed on AssumeRole: it can only narrow the elevated role, to the approved
// actions on the approved prefix, until the window's end, so access stops on time even if every
// cleanup job fails. STS limits it to 2,048 characters: keep it compact (no whitespace, merged
// statements) and prove the bound for the largest request config allows (tests/jit-policy.spec.ts).
import type { JitAction } from "../config/jit";
import { policyDocument, toJson, type PolicyDocument, type Statement } from "../iam/types";
import { SESSION_POLICY_MAX } from "../iam/limits";
import { arn, dnsSuffix, partitionOf } from "../iam/arn";


export interface SessionTarget {
  bucketName: string;
  region: string;
  accountId: string;
  /** Bucket KMS key; when unknown, keys of the account, still only via S3. */
  kmsKeyArn?: string;
}

const OBJECT_ACTIONS: Record<JitAction, string[]> = {
  write: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
  delete: ["s3:DeleteObject"],
};

export function buildSessionPolicy(
  req: { prefix: string; actions: readonly JitAction[]; windowEnd?: string },
  t: SessionTarget,
): PolicyDocument {
  if (!req.windowEnd) throw new Error("session policy needs the window's end");
  const until = { DateLessThan: { "aws:CurrentTime": req.windowEnd } };
  const actions = [...new Set(req.actions)].sort().flatMap((a) => OBJECT_ACTIONS[a]);
  // The broker runs in the stack's region, which decides the partition of every ARN it names.
  const partition = partitionOf(t.region);
  const bucket = arn(partition, "s3", "", "", t.bucketName);
  const statements: Statement[] = [
    { Sid: "Obj", Effect: "Allow", Action: actions, Resource: `${bucket}/${req.prefix}*`, Condition: until },
    {
      Sid: "List",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: bucket,
      Condition: { ...until, StringLike: { "s3:prefix": `${req.prefix}*` } },
    },
  ];
  if (req.actions.includes("write")) {
    // SSE-KMS uploads need data keys; only through S3 in this region.
    statements.push({
      Sid: "Kms",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: t.kmsKeyArn ?? arn(partition, "kms", t.region, t.accountId, "key/*"),
      Condition: { ...until, StringEquals: { "kms:ViaService": `s3.${t.region}.${dnsSuffix(partition)}` } },
    });
  }
  const doc = policyDocument(statements);
  const size = toJson(doc).length;
  if (size > SESSION_POLICY_MAX) throw new Error(`session policy is ${size} characters, over STS's ${SESSION_POLICY_MAX}`);
  return doc;
}
