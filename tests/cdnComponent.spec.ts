// ModelCdn under the plan runner (Pulumi mocks + fake cloud): security properties on the inputs
// as registered, and the statements it contributes to the bucket, key and log-bucket policies.
import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { decide } from "./support/iam";
import { cdnConfigSchema, type CdnConfigInput } from "../config/cdn";
import { ModelCdn, type CdnLogTarget } from "../components/ModelCdn";
import { ModelBucket } from "../components/ModelBucket";
import { runProgram } from "../plan/run";
import type { PlanResource } from "../plan/types";
import type { PolicyDocument, Statement } from "../iam/types";

const ACCOUNT = "111111111111";
const REGION = "eu-west-1";
const pem = () => generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } }).publicKey;

interface Run {
  resources: PlanResource[];
  outputs: Record<string, unknown>;
  logStatements: Statement[];
}

async function plan(cdnInput: CdnConfigInput, opts: { protect?: boolean } = {}): Promise<Run> {
  const cdn = cdnConfigSchema.parse(cdnInput);
  const logStatements: Statement[] = [];
  const run = await runProgram("cdntest", {
    config: { "aws:region": REGION, "model-vault:accountId": ACCOUNT },
    program: async () => {
      const models = new ModelBucket("models", {
        storage: { bucketName: "acme-weights-test", noncurrentVersionDays: 7, abortIncompleteUploadDays: 7, objectLock: false, immutableReleases: false, accessLogRetentionDays: 30, kmsDeletionWindowDays: 30 },
        accountId: ACCOUNT,
        region: REGION,
        protect: opts.protect ?? false,
        tags: { team: "ml", "model-vault:stack": "cdntest" },
      });
      const logs: CdnLogTarget = {
        bucketArn: models.logBucket.arn,
        addBucketPolicyStatements: (_owner, s) => void pulumi.output(s).apply((list) => logStatements.push(...(list as Statement[]))),
      };
      const site = new ModelCdn("cdn", { origin: models, logs, cdn, tags: { team: "ml", "model-vault:stack": "cdntest" } });
      models.finalize();
      return { cdnDomainName: site.domainName, cdnDistributionArn: site.distributionArn, keyPairIds: site.keyPairIds };
    },
  });
  return { ...run, logStatements };
}

const one = (r: Run, type: string): PlanResource => {
  const found = r.resources.filter((x) => x.type === type);
  assert.equal(found.length, 1, `expected one ${type}, got ${found.length}`);
  return found[0];
};
const all = (r: Run, type: string) => r.resources.filter((x) => x.type === type);
type Dict = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe("ModelCdn (plan runner)", function () {
  let signed: Run;
  const keys = [pem(), pem()];

  before(async () => {
    signed = await plan({
      enabled: true,
      prefixes: ["models/public/", "models/partners/"],
      signing: { publicKeys: [{ name: "release-a", pem: keys[0] }, { name: "release-b", pem: keys[1] }] },
      forwardQueryStrings: ["response-content-disposition"],
      originShieldRegion: REGION,
      geoRestriction: { type: "deny", countries: ["KP"] },
      webAclArn: "arn:aws:wafv2:us-east-1:111111111111:global/webacl/models/12345678-1234-1234-1234-123456789012",
    });
  });

  it("registers the component with its type token and parents every child", () => {
    const comp = one(signed, "model-vault:delivery:ModelCdn");
    for (const t of ["aws:cloudfront/distribution:Distribution", "aws:cloudfront/originAccessControl:OriginAccessControl", "aws:cloudfront/cachePolicy:CachePolicy", "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "aws:cloudfront/keyGroup:KeyGroup"]) {
      assert.equal(one(signed, t).parent, comp.urn, t);
    }
    assert.equal(all(signed, "aws:cloudfront/publicKey:PublicKey").length, 2);
  });

  it("OAC: s3, sigv4, always; attached to the only origin, the bucket's regional endpoint; no OAI", () => {
    const oac = one(signed, "aws:cloudfront/originAccessControl:OriginAccessControl");
    assert.deepEqual([oac.inputs.originAccessControlOriginType, oac.inputs.signingProtocol, oac.inputs.signingBehavior], ["s3", "sigv4", "always"]);
    const d = one(signed, "aws:cloudfront/distribution:Distribution").inputs as Dict;
    assert.equal(d.origins.length, 1);
    const o = d.origins[0];
    assert.equal(o.originAccessControlId, oac.outputs.id);
    assert.equal(o.domainName, `acme-weights-test.s3.${REGION}.amazonaws.com`);
    assert.equal(o.s3OriginConfig, undefined);
    assert.equal(o.customOriginConfig, undefined);
    assert.deepEqual(o.originShield, { enabled: true, originShieldRegion: REGION });
    assert.equal(all(signed, "aws:cloudfront/originAccessIdentity:OriginAccessIdentity").length, 0);
  });

  it("every behavior: HTTPS only, GET/HEAD/OPTIONS, the cache and headers policies, the trusted key group", () => {
    const d = one(signed, "aws:cloudfront/distribution:Distribution").inputs as Dict;
    const kg = one(signed, "aws:cloudfront/keyGroup:KeyGroup");
    const behaviors = [d.defaultCacheBehavior, ...(d.orderedCacheBehaviors ?? [])];
    for (const b of behaviors) {
      assert.ok(["https-only", "redirect-to-https"].includes(b.viewerProtocolPolicy));
      assert.deepEqual([...b.allowedMethods].sort(), ["GET", "HEAD", "OPTIONS"]);
      assert.deepEqual(b.trustedKeyGroups, [kg.outputs.id]);
      assert.equal(b.trustedSigners, undefined);
      assert.equal(b.cachePolicyId, one(signed, "aws:cloudfront/cachePolicy:CachePolicy").outputs.id);
      assert.equal(b.responseHeadersPolicyId, one(signed, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").outputs.id);
      assert.equal(b.forwardedValues, undefined);
    }
    const pkIds = all(signed, "aws:cloudfront/publicKey:PublicKey").map((k) => k.outputs.id);
    assert.deepEqual(kg.inputs.items, pkIds);
    const encoded = all(signed, "aws:cloudfront/publicKey:PublicKey").map((k) => k.inputs.encodedKey);
    assert.deepEqual(encoded, keys);
    assert.ok(encoded.every((e) => !/PRIVATE/.test(String(e))));
  });

  it("tags the distribution with the stack's tags, its role (what the org SCPs protect) and signed-urls=required", () => {
    const d = one(signed, "aws:cloudfront/distribution:Distribution").inputs as Dict;
    assert.deepEqual(d.tags, { team: "ml", "model-vault:stack": "cdntest", "model-vault:role": "model-cdn", "model-vault:signed-urls": "required" });
    for (const t of ["aws:cloudwatch/logDeliverySource:LogDeliverySource", "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination", "aws:cloudwatch/logDelivery:LogDelivery"]) {
      assert.equal((one(signed, t).inputs as Dict).tags.team, "ml", t);
    }
  });

  it("cache policy: no cookies, no headers, only the allow-listed query strings, long TTLs", () => {
    const c = one(signed, "aws:cloudfront/cachePolicy:CachePolicy").inputs as Dict;
    const p = c.parametersInCacheKeyAndForwardedToOrigin;
    assert.equal(p.cookiesConfig.cookieBehavior, "none");
    assert.equal(p.headersConfig.headerBehavior, "none");
    assert.deepEqual(p.queryStringsConfig, { queryStringBehavior: "whitelist", queryStrings: { items: ["response-content-disposition"] } });
    assert.deepEqual([c.minTtl, c.defaultTtl, c.maxTtl], [0, 604800, 31536000]);
  });

  it("response headers: HSTS, nosniff, frame DENY", () => {
    const h = (one(signed, "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy").inputs as Dict).securityHeadersConfig;
    assert.ok(h.strictTransportSecurity.accessControlMaxAgeSec >= 31536000 && h.strictTransportSecurity.override === true);
    assert.equal(h.contentTypeOptions.override, true);
    assert.deepEqual(h.frameOptions, { frameOption: "DENY", override: true });
  });

  it("default certificate without aliases; geo deny list; web ACL; price class", () => {
    const d = one(signed, "aws:cloudfront/distribution:Distribution").inputs as Dict;
    assert.deepEqual(d.viewerCertificate, { cloudfrontDefaultCertificate: true });
    assert.deepEqual(d.restrictions.geoRestriction, { restrictionType: "blacklist", locations: ["KP"] });
    assert.equal(d.webAclId, "arn:aws:wafv2:us-east-1:111111111111:global/webacl/models/12345678-1234-1234-1234-123456789012");
    assert.equal(d.priceClass, "PriceClass_100");
    assert.equal(d.loggingConfig, undefined, "legacy logging needs bucket ACLs; v2 delivery is used");
  });

  it("the bucket policy lets CloudFront read the distributed prefixes only, as this distribution (iam-simulate)", async () => {
    const dist = one(signed, "aws:cloudfront/distribution:Distribution");
    const arn = String(dist.outputs.arn);
    assert.match(arn, /^arn:aws:cloudfront::111111111111:distribution\/E[A-Z0-9]+$/);
    const policy = JSON.parse(String(all(signed, "aws:s3/bucketPolicy:BucketPolicy").find((p) => p.name === "models-policy")!.inputs.policy)) as PolicyDocument;
    const mine = policy.Statement.filter((s) => JSON.stringify(s.Principal ?? "").includes("cloudfront.amazonaws.com"));
    assert.equal(mine.length, 1);
    assert.deepEqual(mine[0].Condition, { StringEquals: { "AWS:SourceArn": arn } });
    const b = "arn:aws:s3:::acme-weights-test";
    const as = (src: string) => ({ "aws:SourceArn": src, "aws:SourceAccount": ACCOUNT, "aws:SecureTransport": "true" });
    assert.equal(await decide({ principal: "cloudfront.amazonaws.com", action: "s3:GetObject", resource: `${b}/models/public/m.safetensors`, context: as(arn), resourcePolicy: policy }), "Allowed");
    assert.equal(await decide({ principal: "cloudfront.amazonaws.com", action: "s3:GetObject", resource: `${b}/models/internal/m.safetensors`, context: as(arn), resourcePolicy: policy }), "ImplicitlyDenied");
    assert.equal(await decide({ principal: "cloudfront.amazonaws.com", action: "s3:GetObject", resource: `${b}/models/public/m.safetensors`, context: as("arn:aws:cloudfront::999999999999:distribution/EOTHER"), resourcePolicy: policy }), "ImplicitlyDenied");
    assert.equal(await decide({ principal: "cloudfront.amazonaws.com", action: "s3:PutObject", resource: `${b}/models/public/m.safetensors`, context: as(arn), resourcePolicy: policy }), "ImplicitlyDenied");
  });

  it("the key policy lets CloudFront decrypt only as this distribution", () => {
    const arn = String(one(signed, "aws:cloudfront/distribution:Distribution").outputs.arn);
    const kp = JSON.parse(String(one(signed, "aws:kms/keyPolicy:KeyPolicy").inputs.policy)) as PolicyDocument;
    const mine = kp.Statement.filter((s) => JSON.stringify(s.Principal ?? "").includes("cloudfront.amazonaws.com"));
    assert.equal(mine.length, 1);
    assert.equal(mine[0].Action, "kms:Decrypt");
    assert.deepEqual(mine[0].Condition, { StringEquals: { "AWS:SourceArn": arn } });
  });

  it("standard logs (v2) go to the log bucket under cloudfront/, delivery pinned to this source", () => {
    const src = one(signed, "aws:cloudwatch/logDeliverySource:LogDeliverySource");
    const dst = one(signed, "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination").inputs as Dict;
    const dist = one(signed, "aws:cloudfront/distribution:Distribution");
    assert.equal(src.inputs.resourceArn, dist.outputs.arn);
    assert.equal(src.inputs.logType, "ACCESS_LOGS");
    assert.equal(src.inputs.region, "us-east-1");
    assert.match(String(src.outputs.arn), /^arn:aws:logs:us-east-1:111111111111:delivery-source:/);
    assert.equal(dst.deliveryDestinationConfiguration.destinationResourceArn, "arn:aws:s3:::acme-weights-test-logs/cloudfront");
    assert.equal(signed.logStatements.length, 1);
    const s = signed.logStatements[0];
    assert.equal(s.Resource, "arn:aws:s3:::acme-weights-test-logs/cloudfront/*");
    assert.equal((s.Condition as Dict).ArnLike["aws:SourceArn"], src.outputs.arn);
  });

  it("exports the domain name and key pair ids", () => {
    assert.match(String(signed.outputs.cdnDomainName), /^d[0-9a-f]+\.cloudfront\.net$/);
    assert.deepEqual(Object.keys(signed.outputs.keyPairIds as object), ["release-a", "release-b"]);
  });

  it("custom domain: ACM cert, sni-only, TLSv1.2_2021; unsigned only when deliberately configured", async () => {
    const r = await plan({
      enabled: true,
      aliases: ["models.example.com"],
      certificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012",
      signing: { required: false },
      logging: { enabled: false },
    });
    const d = one(r, "aws:cloudfront/distribution:Distribution").inputs as Dict;
    assert.deepEqual(d.aliases, ["models.example.com"]);
    assert.deepEqual(d.viewerCertificate, {
      acmCertificateArn: "arn:aws:acm:us-east-1:111111111111:certificate/12345678-1234-1234-1234-123456789012",
      sslSupportMethod: "sni-only",
      minimumProtocolVersion: "TLSv1.2_2021",
    });
    assert.equal(d.defaultCacheBehavior.trustedKeyGroups, undefined);
    assert.equal(d.tags["model-vault:signed-urls"], undefined);
    assert.equal(all(r, "aws:cloudfront/keyGroup:KeyGroup").length, 0);
    assert.equal(all(r, "aws:cloudwatch/logDelivery:LogDelivery").length, 0);
    assert.deepEqual(d.restrictions.geoRestriction, { restrictionType: "none", locations: [] });
  });

  it("refuses to build without a log bucket when logging is on", async () => {
    await assert.rejects(
      runProgram("cdntest", {
        config: { "aws:region": REGION, "model-vault:accountId": ACCOUNT },
        program: async () => {
          const origin = { regionalDomainName: "b.s3.eu-west-1.amazonaws.com", bucketArn: "arn:aws:s3:::b", addBucketPolicyStatements: () => undefined, addKeyPolicyStatements: () => undefined };
          new ModelCdn("cdn", { origin, cdn: cdnConfigSchema.parse({ enabled: true, signing: { required: false } }), tags: {} });
        },
      }),
      /cdn\.logging\.enabled needs the log bucket/,
    );
  });
});
