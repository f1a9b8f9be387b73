// Non-IAM resource rules: S3, KMS, CloudTrail, IAM roles, CloudFront.
import * as assert from "assert";
import { resource, violationsOf } from "./support/policypack-fixtures";
import { T } from "../policypack/lib/tokens";
import { UNKNOWN_STRING } from "../policypack/lib/unknown";
import { MODEL_VAULT_ROLE_PATH } from "../policypack/rules/services";
import { ROLE_PATH } from "../iam/arns";

const n = (rule: string, type: string, props: Record<string, unknown>) => violationsOf(rule, [resource(type, props)]).length;
const ALL = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

describe("policypack: S3 rules", () => {
  it("Block Public Access needs all four flags (bucket, account, access point)", () => {
    assert.strictEqual(n("s3-bucket-public-access-block", T.bucketPab, { bucket: "b", ...ALL }), 0);
    assert.strictEqual(n("s3-bucket-public-access-block", T.bucketPab, { bucket: "b", ...ALL, restrictPublicBuckets: false }), 1);
    assert.strictEqual(n("s3-bucket-public-access-block", T.bucketPab, { bucket: "b" }), 1);
    assert.strictEqual(n("s3-account-public-access-block", T.accountPab, ALL), 0);
    assert.strictEqual(n("s3-account-public-access-block", T.accountPab, { ...ALL, blockPublicPolicy: false }), 1);
    assert.strictEqual(n("s3-bucket-public-access-block", T.accessPoint, { bucket: "b", publicAccessBlockConfiguration: { ...ALL, ignorePublicAcls: false } }), 1);
    assert.strictEqual(n("s3-bucket-public-access-block", T.accessPoint, { bucket: "b" }), 0);
  });
  it("rejects public canned ACLs and grants to AllUsers/AuthenticatedUsers", () => {
    assert.strictEqual(n("s3-no-public-acl", T.bucket, { acl: "public-read" }), 1);
    assert.strictEqual(n("s3-no-public-acl", T.bucketAcl, { bucket: "b", acl: "public-read-write" }), 1);
    assert.strictEqual(n("s3-no-public-acl", T.bucket, { grants: [{ type: "Group", permissions: ["READ"], uri: "http://acs.amazonaws.com/groups/global/AllUsers" }] }), 1);
    const acp = { owner: { id: "o" }, grants: [{ permission: "READ", grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" } }] };
    assert.strictEqual(n("s3-no-public-acl", T.bucketAcl, { bucket: "b", accessControlPolicy: acp }), 1);
    assert.strictEqual(n("s3-no-public-acl", T.bucket, { acl: "private" }), 0);
    assert.strictEqual(n("s3-no-public-acl", T.bucketAcl, { bucket: "b", acl: "log-delivery-write" }), 0);
  });
});

describe("policypack: KMS, CloudTrail, roles", () => {
  it("KMS symmetric keys rotate; asymmetric keys are skipped", () => {
    assert.strictEqual(n("kms-key-rotation", T.kmsKey, {}), 1);
    assert.strictEqual(n("kms-key-rotation", T.kmsKey, { enableKeyRotation: true }), 0);
    assert.strictEqual(n("kms-key-rotation", T.kmsKey, { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }), 0);
  });
  it("CloudTrail: multi-region, validation, KMS, logging on", () => {
    const good = { isMultiRegionTrail: true, enableLogFileValidation: true, kmsKeyId: "arn:aws:kms:us-east-1:1:key/k", s3BucketName: "logs" };
    assert.strictEqual(n("cloudtrail-hardened", T.trail, good), 0);
    for (const bad of [{ isMultiRegionTrail: false }, { enableLogFileValidation: false }, { kmsKeyId: undefined }, { enableLogging: false }]) {
      assert.strictEqual(n("cloudtrail-hardened", T.trail, { ...good, ...bad }), 1, JSON.stringify(bad));
    }
  });
  it("elevated and issuer roles keep sessions to an hour", () => {
    const tags = { "model-vault:role": "elevated" };
    assert.strictEqual(n("elevated-role-session", T.role, { tags, maxSessionDuration: 43200 }), 1);
    assert.strictEqual(n("elevated-role-session", T.role, { tags: { "model-vault:role": "jit-issuer" }, maxSessionDuration: 7200 }), 1);
    assert.strictEqual(n("elevated-role-session", T.role, { tags, maxSessionDuration: 3600 }), 0);
    assert.strictEqual(n("elevated-role-session", T.role, { tags }), 0);
    assert.strictEqual(n("elevated-role-session", T.role, { tags: { "model-vault:role": "consumer" }, maxSessionDuration: 43200 }), 0);
  });
  it("model-vault's roles have the path the org SCPs protect", () => {
    assert.strictEqual(MODEL_VAULT_ROLE_PATH, ROLE_PATH);
    for (const role of ["consumer", "elevated", "jit-issuer", "jit-revoker"]) {
      const tags = { "model-vault:role": role };
      assert.strictEqual(n("model-vault-role-path", T.role, { tags, path: "/model-vault/" }), 0, role);
      assert.strictEqual(n("model-vault-role-path", T.role, { tags }), 1, `${role} without a path`);
      assert.strictEqual(n("model-vault-role-path", T.role, { tags, path: "/other/" }), 1, `${role} elsewhere`);
    }
    assert.strictEqual(n("model-vault-role-path", T.role, { tags: { team: "x" } }), 0, "other teams' roles are theirs");
  });
  it("an unknown value is an advisory note, never a mandatory violation", () => {
    const v = violationsOf("kms-key-rotation", [resource(T.kmsKey, { enableKeyRotation: UNKNOWN_STRING })]);
    assert.deepStrictEqual(v.map((x) => x.level), ["advisory"]);
  });
});

describe("policypack: CloudFront rules", () => {
  const s3Origin = { originId: "models", domainName: "models.s3.us-east-1.amazonaws.com", originAccessControlId: "oac-1" };
  const behaviour = { targetOriginId: "models", viewerProtocolPolicy: "https-only", allowedMethods: ["GET", "HEAD"], cachedMethods: ["GET", "HEAD"], trustedKeyGroups: ["kg-1"] };
  const dist = (over: Record<string, unknown> = {}) => ({
    enabled: true,
    origins: [s3Origin],
    defaultCacheBehavior: behaviour,
    viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:1:certificate/c", minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" },
    tags: { "model-vault:signed-urls": "required" },
    ...over,
  });
  it("accepts a hardened distribution", () => {
    for (const rule of ["cloudfront-https-only", "cloudfront-tls12", "cloudfront-oac", "cloudfront-signed-urls"]) assert.strictEqual(n(rule, T.distribution, dist()), 0, rule);
  });
  it("rejects plain HTTP", () => {
    assert.strictEqual(n("cloudfront-https-only", T.distribution, dist({ defaultCacheBehavior: { ...behaviour, viewerProtocolPolicy: "allow-all" } })), 1);
    assert.strictEqual(n("cloudfront-https-only", T.distribution, dist({ origins: [{ originId: "x", domainName: "x.example.com", customOriginConfig: { originProtocolPolicy: "http-only" } }] })), 1);
  });
  it("rejects TLS below 1.2 with a custom certificate, accepts the default certificate", () => {
    assert.strictEqual(n("cloudfront-tls12", T.distribution, dist({ viewerCertificate: { acmCertificateArn: "arn:c", minimumProtocolVersion: "TLSv1_2016" } })), 1);
    assert.strictEqual(n("cloudfront-tls12", T.distribution, dist({ viewerCertificate: { cloudfrontDefaultCertificate: true } })), 0);
  });
  it("rejects an OAI or an S3 origin without OAC", () => {
    assert.strictEqual(n("cloudfront-oac", T.distribution, dist({ origins: [{ ...s3Origin, originAccessControlId: undefined, s3OriginConfig: { originAccessIdentity: "origin-access-identity/cloudfront/E1" } }] })), 2);
    assert.strictEqual(n("cloudfront-oac", T.distribution, dist({ origins: [{ ...s3Origin, originAccessControlId: undefined }] })), 1);
  });
  it("requires trusted key groups, and reports a distribution without the signed-urls tag too (a public one needs a waiver)", () => {
    const open = { ...behaviour, trustedKeyGroups: undefined };
    assert.strictEqual(n("cloudfront-signed-urls", T.distribution, dist({ defaultCacheBehavior: open })), 1);
    assert.strictEqual(n("cloudfront-signed-urls", T.distribution, dist({ defaultCacheBehavior: { ...open, trustedSigners: ["self"] } })), 1);
    assert.strictEqual(n("cloudfront-signed-urls", T.distribution, dist({ defaultCacheBehavior: open, tags: {} })), 1);
    assert.strictEqual(n("cloudfront-signed-urls", T.distribution, dist({ tags: {} })), 0);
  });
});
