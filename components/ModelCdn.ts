// ModelCdn: the CloudFront distribution that serves model weights to a wide audience. The bucket
// stays private; the distribution is the only door, through Origin Access Control, over HTTPS,
// with signed URLs (trusted key group) on every behavior when signing is required.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { prefixesOutsideServed, type CdnConfig } from "../config/cdn";
import { accountOfDistributionArn, cloudFrontDecryptStatement, cloudFrontReadStatement, logDeliveryWriteStatement } from "../iam/cdnPolicies";
import { CDN_ROLE } from "../iam/arns";
import type { Statement } from "../iam/types";
import { ROLE_TAG } from "../iam/tags";
import type { BucketPolicyOwner, CdnOrigin } from "./bucketSurface";

/** Where standard access logs go: the stack's log bucket, whose policy its owner merges. */
export type CdnLogTarget = BucketPolicyOwner;
export type { CdnOrigin };

export interface ModelCdnArgs {
  origin: CdnOrigin;
  /** Required when cdn.logging.enabled (the default). */
  logs?: CdnLogTarget;
  /** The resolved `cdn` section; must be enabled. */
  cdn: CdnConfig;
  /** What the bucket serves (config/cdn.ts servedPrefixes): every cdn prefix must lie inside one. Default: no bound. */
  servedPrefixes?: readonly string[];
  /** The stack's tags, put on every resource that takes tags. */
  tags: Record<string, string>;
}

/** A bucket that lets others contribute to its log bucket's policy (ModelBucket, once it offers it). */
interface LogBucketOwner {
  logBucket: { arn: pulumi.Input<string> };
  addLogBucketPolicyStatements?: (owner: string, statements: pulumi.Input<Statement[]>) => void;
}

/**
 * The log target of a ModelBucket: its log bucket, when the ModelBucket merges contributions into
 * the log bucket's policy (`addLogBucketPolicyStatements`); undefined otherwise.
 */
export function cdnLogTarget(bucket: LogBucketOwner): CdnLogTarget | undefined {
  const add = bucket.addLogBucketPolicyStatements;
  if (typeof add !== "function") return undefined;
  return { bucketArn: bucket.logBucket.arn, addBucketPolicyStatements: (owner, statements) => add.call(bucket, owner, statements) };
}

/** Owner name of this component's statements in the merged bucket/key/log policies. */
export const CDN_POLICY_OWNER = "cdn";
/** CloudFront's global resources (logging v2 sources, ACM certificates, WAF ACLs) live in us-east-1. */
export const CLOUDFRONT_REGION = "us-east-1";
const ORIGIN_ID = "model-bucket";
/** Two years, the HSTS preload list's minimum. */
const HSTS_MAX_AGE = 63_072_000;

export class ModelCdn extends pulumi.ComponentResource {
  readonly distribution: aws.cloudfront.Distribution;
  readonly distributionArn: pulumi.Output<string>;
  readonly distributionId: pulumi.Output<string>;
  /** The *.cloudfront.net name; with aliases, point their DNS records at it. */
  readonly domainName: pulumi.Output<string>;
  readonly originAccessControl: aws.cloudfront.OriginAccessControl;
  readonly cachePolicy: aws.cloudfront.CachePolicy;
  readonly responseHeadersPolicy: aws.cloudfront.ResponseHeadersPolicy;
  readonly publicKeys: aws.cloudfront.PublicKey[];
  /** The key pair ids signers use (--key-pair-id), by config key name. */
  readonly keyPairIds: Record<string, pulumi.Output<string>>;
  readonly keyGroup?: aws.cloudfront.KeyGroup;
  /** The distributed prefixes: the only keys CloudFront may read. */
  readonly prefixes: string[];

  constructor(name: string, args: ModelCdnArgs, opts?: pulumi.ComponentResourceOptions) {
    super("model-vault:delivery:ModelCdn", name, {}, opts);
    const { cdn, origin } = args;
    if (!cdn.enabled) throw new Error(`ModelCdn ${name}: cdn.enabled is false; do not build the component`);
    if (cdn.logging.enabled && !args.logs) {
      throw new Error(`ModelCdn ${name}: cdn.logging.enabled needs the log bucket (args.logs: { bucketArn, addBucketPolicyStatements }) or set cdn.logging.enabled: false`);
    }
    const outside = prefixesOutsideServed(cdn.prefixes, args.servedPrefixes ?? []);
    if (outside.length > 0) throw new Error(`ModelCdn ${name}: ${outside.join("; ")}`);
    const signed = cdn.signing.required;
    this.prefixes = [...cdn.prefixes];
    const tags = { ...args.tags, [ROLE_TAG]: CDN_ROLE, ...(signed ? { "model-vault:signed-urls": "required" } : {}) };

    this.originAccessControl = new aws.cloudfront.OriginAccessControl(
      `${name}-oac`,
      {
        description: `SigV4-signed reads of the model bucket by the ${name} distribution`,
        originAccessControlOriginType: "s3",
        signingBehavior: "always",
        signingProtocol: "sigv4",
      },
      { parent: this },
    );

    const queryStrings = cdn.forwardQueryStrings;
    this.cachePolicy = new aws.cloudfront.CachePolicy(
      `${name}-cache`,
      {
        comment: "Large immutable model files: no cookies, no headers, allow-listed query strings only, long TTLs",
        minTtl: cdn.minTtl,
        defaultTtl: cdn.defaultTtl,
        maxTtl: cdn.maxTtl,
        parametersInCacheKeyAndForwardedToOrigin: {
          cookiesConfig: { cookieBehavior: "none" },
          headersConfig: { headerBehavior: "none" },
          queryStringsConfig: queryStrings.length > 0 ? { queryStringBehavior: "whitelist", queryStrings: { items: queryStrings } } : { queryStringBehavior: "none" },
          // Weights do not compress; a second cache entry per encoding would only halve the hit rate.
          enableAcceptEncodingGzip: false,
          enableAcceptEncodingBrotli: false,
        },
      },
      { parent: this },
    );

    this.responseHeadersPolicy = new aws.cloudfront.ResponseHeadersPolicy(
      `${name}-headers`,
      {
        comment: "HSTS, nosniff, no framing, no referrer",
        securityHeadersConfig: {
          strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE, includeSubdomains: true, preload: false, override: true },
          contentTypeOptions: { override: true },
          frameOptions: { frameOption: "DENY", override: true },
          referrerPolicy: { referrerPolicy: "no-referrer", override: true },
        },
      },
      { parent: this },
    );

    // Signed URLs: the public halves only. The private key never enters config or state.
    this.publicKeys = [];
    this.keyPairIds = {};
    for (const k of cdn.signing.publicKeys) {
      const pk = new aws.cloudfront.PublicKey(`${name}-key-${k.name}`, { comment: `model-vault signer ${k.name}`, encodedKey: k.pem }, { parent: this });
      this.publicKeys.push(pk);
      this.keyPairIds[k.name] = pk.id;
    }
    if (signed) {
      this.keyGroup = new aws.cloudfront.KeyGroup(
        `${name}-signers`,
        { comment: `Signers of ${name} URLs`, items: this.publicKeys.map((k) => k.id) },
        { parent: this },
      );
    }

    const geo = cdn.geoRestriction;
    const customCert = cdn.aliases.length > 0;
    this.distribution = new aws.cloudfront.Distribution(
      name,
      {
        enabled: true,
        comment: `model-vault ${name}: ${cdn.prefixes.join(", ")}`,
        httpVersion: "http2and3",
        isIpv6Enabled: true,
        priceClass: cdn.priceClass,
        aliases: cdn.aliases,
        origins: [
          {
            originId: ORIGIN_ID,
            domainName: origin.regionalDomainName,
            originAccessControlId: this.originAccessControl.id,
            ...(cdn.originShieldRegion ? { originShield: { enabled: true, originShieldRegion: cdn.originShieldRegion } } : {}),
          },
        ],
        defaultCacheBehavior: {
          targetOriginId: ORIGIN_ID,
          // A signed URL sent over plain HTTP would already be exposed: refuse, do not redirect.
          viewerProtocolPolicy: "https-only",
          allowedMethods: ["GET", "HEAD", "OPTIONS"],
          cachedMethods: ["GET", "HEAD"],
          compress: false,
          cachePolicyId: this.cachePolicy.id,
          responseHeadersPolicyId: this.responseHeadersPolicy.id,
          ...(this.keyGroup ? { trustedKeyGroups: [this.keyGroup.id] } : {}),
        },
        restrictions: {
          geoRestriction:
            geo.type === "none" ? { restrictionType: "none", locations: [] } : { restrictionType: geo.type === "allow" ? "whitelist" : "blacklist", locations: [...geo.countries] },
        },
        viewerCertificate: customCert
          ? { acmCertificateArn: cdn.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: cdn.minimumProtocolVersion }
          : { cloudfrontDefaultCertificate: true },
        ...(cdn.webAclArn ? { webAclId: cdn.webAclArn } : {}),
        tags,
      },
      { parent: this },
    );
    this.distributionArn = this.distribution.arn;
    this.distributionId = this.distribution.id;
    this.domainName = this.distribution.domainName;

    // The bucket lets this distribution, and only it, read the distributed prefixes; the key lets it decrypt.
    const prefixes = this.prefixes;
    origin.addBucketPolicyStatements(
      CDN_POLICY_OWNER,
      pulumi.all([origin.bucketArn, this.distributionArn]).apply(([bucketArn, distributionArn]) => [cloudFrontReadStatement({ bucketArn, prefixes, distributionArn })]),
    );
    origin.addKeyPolicyStatements(
      CDN_POLICY_OWNER,
      this.distributionArn.apply((distributionArn) => [cloudFrontDecryptStatement({ distributionArn })]),
    );

    if (cdn.logging.enabled && args.logs) this.standardLogs(name, args.logs, cdn.logging, args.tags);

    this.registerOutputs({
      distributionArn: this.distributionArn,
      distributionId: this.distributionId,
      domainName: this.domainName,
      keyPairIds: this.keyPairIds,
    });
  }

  /** CloudFront standard logging v2 (CloudWatch vended logs) into the log bucket: needs no bucket ACLs. */
  private standardLogs(name: string, logs: CdnLogTarget, logging: CdnConfig["logging"], tags: Record<string, string>): void {
    const source = new aws.cloudwatch.LogDeliverySource(
      `${name}-logs-source`,
      { region: CLOUDFRONT_REGION, logType: "ACCESS_LOGS", resourceArn: this.distributionArn, tags },
      { parent: this },
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
      `${name}-logs-destination`,
      {
        region: CLOUDFRONT_REGION,
        outputFormat: logging.format,
        deliveryDestinationConfiguration: { destinationResourceArn: pulumi.interpolate`${logs.bucketArn}/${logging.prefix.replace(/\/$/, "")}` },
        tags,
      },
      { parent: this },
    );
    const statement = pulumi
      .all([logs.bucketArn, this.distributionArn, source.arn])
      .apply(([logBucketArn, distributionArn, deliverySourceArn]) => [
        logDeliveryWriteStatement({ logBucketArn, prefix: logging.prefix, accountId: accountOfDistributionArn(distributionArn), deliverySourceArn }),
      ]);
    logs.addBucketPolicyStatements(CDN_POLICY_OWNER, statement);
    new aws.cloudwatch.LogDelivery(
      `${name}-logs`,
      { region: CLOUDFRONT_REGION, deliverySourceName: source.name, deliveryDestinationArn: destination.arn, tags },
      { parent: this },
    );
  }
}
