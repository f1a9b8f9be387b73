// The admin paths issue 16 found still open under the SCPs, each played by an account administrator
// (AdministratorAccess) against the org plan's registered SCPs with the IAM engine: passing a consumer
// role to compute it launches, adding its own key to the distribution's key group, switching a log
// bucket to Requester Pays or deleting the CloudFront log delivery, and rewriting or detaching the
// guardrails as a delegated administrator. Each was Allowed before the SCP statements that close it.
import { strict as assert } from "node:assert";
import type { PolicyDocument } from "../iam/types";
import { decide } from "./support/iam";
import { orgScpDocuments } from "./support/plans";
import { ADMINISTRATOR_ACCESS } from "../plan/planDocuments";

const ACCOUNT = "111111111111";
const role = (pathAndName: string) => `arn:aws:iam::${ACCOUNT}:role/${pathAndName}`;
const ADMIN = role("workload-admin");
const DEPLOYER = role("model-vault-deployer");
// Pulumi.org.yaml names this pipeline in organization.consumerRolePassers.
const PIPELINE = role("ml-pipelines/sagemaker-deploy");
const CONSUMER = role("model-vault/access-consumer-ec2-batch-4b1e2f3");
const ADMINISTRATOR = ADMINISTRATOR_ACCESS;

describe("org: the remaining admin paths are closed by the SCPs (issue 16 item 4)", function () {
  let scps: PolicyDocument[];
  before(async function () {
    scps = await orgScpDocuments();
  });

  const as = (principal: string, action: string, resource: string, context: Record<string, string> = {}) =>
    decide({ principal, action, resource, context: { "aws:PrincipalArn": principal, "aws:SecureTransport": "true", ...context }, identityPolicies: [ADMINISTRATOR], scps });

  it("an administrator cannot pass a consumer role to EC2, SageMaker or an EKS Pod Identity association; the deployer and the named pipeline can", async () => {
    for (const service of ["ec2.amazonaws.com", "sagemaker.amazonaws.com", "pods.eks.amazonaws.com"]) {
      assert.equal(await as(ADMIN, "iam:PassRole", CONSUMER, { "iam:PassedToService": service }), "ExplicitlyDenied", service);
    }
    assert.equal(await as(DEPLOYER, "iam:PassRole", CONSUMER, { "iam:PassedToService": "ec2.amazonaws.com" }), "Allowed");
    assert.equal(await as(PIPELINE, "iam:PassRole", CONSUMER, { "iam:PassedToService": "sagemaker.amazonaws.com" }), "Allowed");
  });

  it("an administrator cannot add a public key or change a key group (account-wide: key groups have no resource-level permissions)", async () => {
    for (const action of ["cloudfront:CreatePublicKey", "cloudfront:UpdatePublicKey", "cloudfront:DeletePublicKey", "cloudfront:CreateKeyGroup", "cloudfront:UpdateKeyGroup", "cloudfront:DeleteKeyGroup"]) {
      assert.equal(await as(ADMIN, action, "*"), "ExplicitlyDenied", action);
    }
    assert.equal(await as(DEPLOYER, "cloudfront:UpdateKeyGroup", "*"), "Allowed");
  });

  it("an administrator cannot switch the model or log buckets to Requester Pays (server access logs stop)", async () => {
    for (const b of ["acme-model-weights-dev", "acme-model-weights-dev-logs", "acme-model-weights-dev-audit"]) {
      assert.equal(await as(ADMIN, "s3:PutBucketRequestPayment", `arn:aws:s3:::${b}`), "ExplicitlyDenied", b);
    }
    assert.equal(await as(DEPLOYER, "s3:PutBucketRequestPayment", "arn:aws:s3:::acme-model-weights-dev-logs"), "Allowed");
  });

  it("an administrator cannot delete the CloudFront log delivery, its source or destination (account-wide)", async () => {
    const logs = `arn:aws:logs:us-east-1:${ACCOUNT}`;
    for (const [action, resource] of [
      ["logs:DeleteDelivery", `${logs}:delivery:abcdef0123456789`],
      // (logs:DeleteDeliverySource is denied by the same statement; the action catalogue iam-simulate
      // reads lists delivery-destination as its resource, so the engine cannot ask it with a source ARN.)
      ["logs:DeleteDeliveryDestination", `${logs}:delivery-destination:cdn-logs-destination-1a2b3c`],
      ["logs:UpdateDeliveryConfiguration", `${logs}:delivery:abcdef0123456789`],
    ]) {
      assert.equal(await as(ADMIN, action, resource), "ExplicitlyDenied", action);
    }
    assert.equal(await as(DEPLOYER, "logs:DeleteDelivery", `${logs}:delivery:abcdef0123456789`), "Allowed");
  });

  it("nobody in a member account (a delegated administrator included) rewrites, detaches or re-types Organizations policies", async () => {
    const policy = "arn:aws:organizations::999999999999:policy/o-a1b2c3d4e5/service_control_policy/p-12345678";
    for (const action of ["organizations:UpdatePolicy", "organizations:DetachPolicy", "organizations:DeletePolicy", "organizations:AttachPolicy", "organizations:CreatePolicy"]) {
      assert.equal(await as(ADMIN, action, policy), "ExplicitlyDenied", action);
      assert.equal(await as(DEPLOYER, action, policy), "ExplicitlyDenied", `${action} (deployer)`);
    }
    assert.equal(await as(ADMIN, "organizations:DisablePolicyType", "arn:aws:organizations::999999999999:root/o-a1b2c3d4e5/r-ab12"), "ExplicitlyDenied");
  });
});
