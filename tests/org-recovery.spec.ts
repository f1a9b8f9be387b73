// Lockout recovery (issue 16 item 5): the SCPs bind a member account's root user, so "root can always
// delete the bucket policy" only holds for a privileged root session from centralized root access
// (sts:AssumeRoot with the S3UnlockBucketPolicy task policy). The IAM engine over the org plan's SCPs:
// that session may delete the model bucket's policy; an administrator and the root user's own
// credentials may not.
import { strict as assert } from "node:assert";
import { organizationSchema } from "../config/org";
import { ROOT_SESSION_KEY, lockoutRecoveryLines } from "../iam/scpRecovery";
import type { PolicyDocument } from "../iam/types";
import { decide } from "./support/iam";
import { orgScpDocuments } from "./support/plans";
import { ADMINISTRATOR_ACCESS } from "../plan/planDocuments";

const BUCKET_ARN = "arn:aws:s3:::acme-model-weights-dev";
const ROOT = "arn:aws:iam::111111111111:root";
const ADMIN = "arn:aws:iam::111111111111:role/Admin";

/** What the AWS managed task policy S3UnlockBucketPolicy grants a privileged root session (as an identity policy). */
const S3_UNLOCK: PolicyDocument = {
  Version: "2012-10-17",
  Statement: [{ Sid: "S3UnlockBucketPolicy", Effect: "Allow", Action: ["s3:DeleteBucketPolicy", "s3:GetBucketPolicy", "s3:ListAllMyBuckets"], Resource: "*" }],
};
const ADMINISTRATOR = ADMINISTRATOR_ACCESS;

describe("org: lockout recovery through centralized root access (SCPs leave sts:AssumeRoot's S3UnlockBucketPolicy open)", function () {
  let scps: PolicyDocument[];
  before(async function () {
    scps = await orgScpDocuments();
    assert.ok(scps.length >= 1);
  });

  const ask = (principal: string, context: Record<string, string>, policy: PolicyDocument, action = "s3:DeleteBucketPolicy") =>
    decide({ principal, action, resource: BUCKET_ARN, context: { "aws:SecureTransport": "true", ...context }, identityPolicies: [policy], scps });

  it("a privileged root session (aws:PrincipalArn the account root, aws:AssumedRoot true) deletes the model bucket's policy", async () => {
    assert.equal(await ask(ROOT, { "aws:PrincipalArn": ROOT, [ROOT_SESSION_KEY]: "true" }, S3_UNLOCK), "Allowed");
  });

  it("an account administrator may not", async () => {
    assert.equal(await ask(ADMIN, { "aws:PrincipalArn": ADMIN }, ADMINISTRATOR), "ExplicitlyDenied");
  });

  it("nor the root user signing in with its own credentials (no aws:AssumedRoot)", async () => {
    assert.equal(await ask(ROOT, { "aws:PrincipalArn": ROOT }, ADMINISTRATOR), "ExplicitlyDenied");
  });

  it("the root session's exemption is exactly DeleteBucketPolicy: it still cannot put a bucket policy", async () => {
    assert.equal(await ask(ROOT, { "aws:PrincipalArn": ROOT, [ROOT_SESSION_KEY]: "true" }, ADMINISTRATOR, "s3:PutBucketPolicy"), "ExplicitlyDenied");
  });

  it("the plan's lockout-recovery lines name both real paths and the policy to detach", () => {
    const org = organizationSchema.parse({ targets: ["ou-ab12-cd34ef56"] });
    const text = lockoutRecoveryLines(org).join("\n");
    assert.match(text, /sts:AssumeRoot/);
    assert.match(text, /S3UnlockBucketPolicy/);
    assert.match(text, /management account/);
    assert.match(text, /model-vault-guardrails/);
    assert.match(text, /ou-ab12-cd34ef56/);
    assert.doesNotMatch(text, /root (user )?can always/i);
  });
});
