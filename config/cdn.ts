// The `cdn` section of a stack's config: the CloudFront distribution that serves model weights
// to a wide audience (ModelCdn). Pure (zod + node:crypto) so the component, the sign-url tool and
// the plan share it. Every key is optional; the default is written next to it and applied by zod,
// so `cdnConfigSchema.parse(x)` returns the resolved section (`CdnConfig`).
//
// Checks that depend on the section being on (a public key when signing is required, a
// certificate with aliases...) only run when `enabled` is true, so a disabled section may be partial.
import { createPublicKey, KeyObject } from "node:crypto";
import { z } from "zod";
import { flag, keyPrefix, wholeNumber } from "./fields";

/** ISO 3166-1 alpha-2 codes (officially assigned), the only country codes CloudFront accepts. */
export const ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(
  (
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD " +
    "CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF " +
    "GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN " +
    "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA " +
    "NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI " +
    "SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI " +
    "VN VU WF WS YE YT ZA ZM ZW"
  ).split(" "),
);

/** Query-string names CloudFront reserves for signed URLs: never part of a cache key. */
export const SIGNED_URL_PARAMS = ["Expires", "Signature", "Key-Pair-Id", "Policy"] as const;

/** CloudFront accepts at most 5 public keys in one key group. */
export const MAX_KEYS_PER_GROUP = 5;

/**
 * CloudFront trusted key groups take RSA key pairs of exactly 2048 bits
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/private-content-trusted-signers.html#private-content-creating-cloudfront-key-pairs).
 */
export const CLOUDFRONT_RSA_BITS = 2048;

/** The result of checking a public-key PEM: the normalized SPKI PEM CloudFront stores, or why not. */
export type PemCheck = { ok: true; pem: string } | { ok: false; reason: string };

/**
 * CloudFront trusted key groups take RSA 2048-bit public keys in SPKI PEM form. A private key is
 * refused outright (createPublicKey would happily derive the public half, and the private key
 * would then sit in the stack file and the state).
 */
export function checkPublicKeyPem(pem: string): PemCheck {
  if (/PRIVATE KEY/.test(pem)) return { ok: false, reason: "this is a PRIVATE key: only the public key goes in config (openssl rsa -in key.pem -pubout)" };
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: "pem" });
  } catch (e) {
    return { ok: false, reason: `not a readable PEM public key (${(e as Error).message})` };
  }
  if (key.asymmetricKeyType !== "rsa") return { ok: false, reason: `expected an RSA key, got ${key.asymmetricKeyType ?? "an unknown key type"}` };
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (bits !== CLOUDFRONT_RSA_BITS) return { ok: false, reason: `CloudFront requires an RSA ${CLOUDFRONT_RSA_BITS}-bit key, this one has ${bits ?? "an unknown number of"} bits` };
  return { ok: true, pem: key.export({ type: "spki", format: "pem" }).toString() };
}

/** Only a wrong type gets the custom message; unknown keys keep zod's message, which names them. */
function objectError(message: string) {
  return (issue: { code?: string }) => (issue.code === "invalid_type" ? message : undefined);
}

const keyName = z
  .string({ error: "expected a key name" })
  .regex(/^[A-Za-z0-9_-]{1,128}$/, "expected a key name of 1-128 characters [A-Za-z0-9_-]");

const publicKeySchema = z
  .strictObject(
    {
      /** Name of the CloudFront public key (unique in the list). Required. */
      name: keyName,
      /** RSA 2048-bit public key, PEM ("-----BEGIN PUBLIC KEY-----..."). Required. Never a private key. */
      pem: z.string({ error: "expected a PEM public key" }),
    },
    { error: objectError("expected an object { name, pem }") },
  )
  .superRefine((k, ctx) => {
    const r = checkPublicKeyPem(k.pem);
    if (!r.ok) ctx.addIssue({ code: "custom", path: ["pem"], message: `public key "${k.name}": ${r.reason}`, input: k.pem });
  })
  // Store the normalized SPKI PEM: what CloudFront receives and what the tests verify against.
  .transform((k) => {
    const r = checkPublicKeyPem(k.pem);
    return { name: k.name, pem: r.ok ? r.pem : k.pem };
  });

const signingSchema = z.strictObject(
  {
    /** Every cache behavior requires a signed URL (trusted key group). Default true. */
    required: flag().default(true),
    /** Public keys of the trusted key group (1 to 5 when `required`). Default []. */
    publicKeys: z.array(publicKeySchema, { error: "expected a list of { name, pem }" }).max(MAX_KEYS_PER_GROUP, `a key group holds at most ${MAX_KEYS_PER_GROUP} public keys`).default([]),
  },
  { error: objectError("expected an object { required, publicKeys }") },
);

const geoSchema = z.strictObject(
  {
    /** none, allow (only these countries) or deny (all but these countries). Default none. */
    type: z.enum(["none", "allow", "deny"], { error: "expected none, allow or deny" }).default("none"),
    /** ISO 3166-1 alpha-2 country codes (upper case), required unless type is none. Default []. */
    countries: z
      .array(
        z
          .string({ error: "expected an ISO 3166-1 alpha-2 country code" })
          .refine((c) => ISO_COUNTRY_CODES.has(c), { error: (i) => `"${String(i.input)}" is not an ISO 3166-1 alpha-2 country code (upper case, e.g. DE, US)` }),
      )
      .default([]),
  },
  { error: objectError("expected an object { type, countries }") },
);

const loggingSchema = z.strictObject(
  {
    /** Standard access logs (CloudFront logging v2) into the stack's log bucket. Default true. */
    enabled: flag().default(true),
    /** Key prefix in the log bucket. Default "cloudfront/". */
    prefix: keyPrefix.default("cloudfront/"),
    /** Log record format. Default json. */
    format: z.enum(["json", "w3c", "plain", "parquet"], { error: "expected json, w3c, plain or parquet" }).default("json"),
  },
  { error: objectError("expected an object { enabled, prefix, format }") },
);

/** An ACM certificate for CloudFront lives in us-east-1, whatever the stack's region. */
export const ACM_CERT_ARN = /^arn:aws:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;
/** A WAFv2 web ACL for CloudFront has scope CLOUDFRONT: region us-east-1, path global/webacl. */
export const CLOUDFRONT_WEB_ACL_ARN = /^arn:aws:wafv2:us-east-1:\d{12}:global\/webacl\/[\w-]{1,128}\/[0-9a-f-]{36}$/;
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export const cdnConfigSchema = z
  .strictObject(
    {
      /** Build the distribution. Default false. */
      enabled: flag().default(false),
      /** Object-key prefixes the distribution may read (CloudFront gets s3:GetObject on these only). Default ["models/"]. */
      prefixes: z.array(keyPrefix, { error: "expected a list of key prefixes" }).min(1, "expected at least one prefix").default(["models/"]),
      /** Custom domain names (CNAMEs), lower case. Default [] (the *.cloudfront.net name only). */
      aliases: z
        .array(z.string({ error: "expected a domain name" }).regex(DOMAIN, "expected a lower-case domain name such as models.example.com"))
        .default([]),
      /** ACM certificate covering the aliases; must be in us-east-1. Required with aliases. Default none. */
      certificateArn: z
        .string({ error: "expected an ACM certificate ARN" })
        .regex(ACM_CERT_ARN, "expected an ACM certificate ARN in us-east-1 (arn:aws:acm:us-east-1:123456789012:certificate/UUID): CloudFront only uses certificates from us-east-1")
        .optional(),
      /** Minimum viewer TLS version with a custom certificate. Default TLSv1.2_2021. */
      minimumProtocolVersion: z.enum(["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"], { error: "expected TLSv1.2_2021, TLSv1.2_2025 or TLSv1.3_2025" }).default("TLSv1.2_2021"),
      /** Edge locations used. Default PriceClass_100 (North America, Europe, Israel). */
      priceClass: z.enum(["PriceClass_100", "PriceClass_200", "PriceClass_All"], { error: "expected PriceClass_100, PriceClass_200 or PriceClass_All" }).default("PriceClass_100"),
      /** Region of an Origin Shield cache in front of the bucket (usually the bucket's region). Default none (off). */
      originShieldRegion: z
        .string({ error: "expected an AWS region such as us-east-1" })
        .regex(/^(us|eu|ap|sa|ca|me|af|il|mx)-(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d$/, "expected an AWS region such as us-east-1")
        .optional(),
      /** Query-string names forwarded to S3 and part of the cache key (an allow-list). Default [] (none). */
      forwardQueryStrings: z
        .array(
          z
            .string({ error: "expected a query-string name" })
            .regex(/^[A-Za-z0-9_.~-]{1,128}$/, "expected a query-string name of [A-Za-z0-9_.~-]")
            .refine((q) => !(SIGNED_URL_PARAMS as readonly string[]).includes(q), `${SIGNED_URL_PARAMS.join(", ")} are reserved for signed URLs`),
        )
        .max(10, "a cache policy allows at most 10 query strings")
        .default([]),
      /** Minimum seconds an object stays cached. Default 0 (S3's Cache-Control may ask for less than the default). */
      minTtl: wholeNumber(0, 31536000).default(0),
      /** Seconds an object stays cached when S3 sends no Cache-Control. Default 604800 (7 days: weights are immutable). */
      defaultTtl: wholeNumber(0, 31536000).default(604800),
      /** Maximum seconds an object stays cached. Default 31536000 (1 year). */
      maxTtl: wholeNumber(0, 31536000).default(31536000),
      /** Signed URLs: a trusted key group on every behavior. Default { required: true, publicKeys: [] }. */
      signing: signingSchema.prefault({}),
      /** Country allow/deny list. Default { type: none }. */
      geoRestriction: geoSchema.prefault({}),
      /** WAFv2 web ACL (scope CLOUDFRONT, us-east-1) attached to the distribution. Default none. */
      webAclArn: z
        .string({ error: "expected a WAFv2 web ACL ARN" })
        .regex(CLOUDFRONT_WEB_ACL_ARN, "expected a WAFv2 web ACL ARN with scope CLOUDFRONT (arn:aws:wafv2:us-east-1:123456789012:global/webacl/NAME/UUID)")
        .optional(),
      /** Standard access logs. Default { enabled: true, prefix: "cloudfront/", format: json }. */
      logging: loggingSchema.prefault({}),
    },
    { error: objectError("expected an object (see docs/cdn.md)") },
  )
  .superRefine((c, ctx) => {
    if (!(c.minTtl <= c.defaultTtl && c.defaultTtl <= c.maxTtl)) {
      ctx.addIssue({ code: "custom", path: ["defaultTtl"], message: `expected minTtl <= defaultTtl <= maxTtl (got ${c.minTtl} <= ${c.defaultTtl} <= ${c.maxTtl})`, input: c.defaultTtl });
    }
    const names = c.signing.publicKeys.map((k) => k.name);
    names.forEach((n, i) => {
      if (names.indexOf(n) !== i) ctx.addIssue({ code: "custom", path: ["signing", "publicKeys", i, "name"], message: `duplicate key name "${n}"`, input: n });
    });
    c.prefixes.forEach((p, i) => {
      const other = c.prefixes.find((q, j) => j !== i && p.startsWith(q));
      if (other !== undefined) ctx.addIssue({ code: "custom", path: ["prefixes", i], message: `"${p}" is already inside "${other}"`, input: p });
    });
    if (c.geoRestriction.type !== "none" && c.geoRestriction.countries.length === 0) {
      ctx.addIssue({ code: "custom", path: ["geoRestriction", "countries"], message: `expected at least one country code when type is ${c.geoRestriction.type}`, input: c.geoRestriction.countries });
    }
    if (c.geoRestriction.type === "none" && c.geoRestriction.countries.length > 0) {
      ctx.addIssue({ code: "custom", path: ["geoRestriction", "type"], message: "countries are listed but type is none: set allow or deny", input: c.geoRestriction.type });
    }
    if (!c.enabled) return;
    if (c.signing.required && c.signing.publicKeys.length === 0) {
      ctx.addIssue({
        code: "custom",
        path: ["signing", "publicKeys"],
        message: "expected at least one public key: signed URLs are required (signing.required defaults to true; set it to false only for a deliberately public distribution)",
        input: c.signing.publicKeys,
      });
    }
    if (c.aliases.length > 0 && c.certificateArn === undefined) {
      ctx.addIssue({ code: "custom", path: ["certificateArn"], message: "is required with aliases: an ACM certificate in us-east-1 covering them", input: undefined });
    }
    if (c.aliases.length === 0 && c.certificateArn !== undefined) {
      ctx.addIssue({ code: "custom", path: ["aliases"], message: "a certificateArn is set but no aliases: list the domain names it covers", input: c.aliases });
    }
  });

/** Raw section as written in Pulumi.<stack>.yaml. */
export type CdnConfigInput = z.input<typeof cdnConfigSchema>;
/** The resolved section: every default applied, PEMs normalized to SPKI. */
export type CdnConfig = z.output<typeof cdnConfigSchema>;

/** The section when the stack file has no `cdn` key: disabled, every default visible. */
export function defaultCdnConfig(): CdnConfig {
  return cdnConfigSchema.parse({});
}

/** What the bucket serves: every prefix the publisher writes or a consumer reads. */
export function servedPrefixes(access: { consumers: readonly { prefixes: readonly string[] }[]; publisher: { prefixes: readonly string[] } | null }): string[] {
  const all = [...(access.publisher?.prefixes ?? []), ...access.consumers.flatMap((c) => c.prefixes)];
  return [...new Set(all)].sort();
}

/**
 * "prefixes must be inside what the bucket serves": every CDN prefix must start with one of the
 * prefixes the bucket serves (e.g. the union of the consumers' prefixes). Returns one message per
 * offending prefix, naming the key path; [] when all are inside (or when `served` is empty: no bound).
 */
export function prefixesOutsideServed(cdnPrefixes: readonly string[], served: readonly string[]): string[] {
  if (served.length === 0) return [];
  return cdnPrefixes
    .map((p, i) => (served.some((s) => p.startsWith(s)) ? null : `cdn.prefixes[${i}]: "${p}" is not inside the prefixes the bucket serves (${served.join(", ")})`))
    .filter((m): m is string => m !== null);
}

/**
 * What a valid but risky `cdn` section deserves a word about in the plan. A distribution without
 * signed URLs serves every object under its prefixes to anyone; configured keys then do nothing
 * (no key group trusts them), which is easy to miss when signing was switched off by hand.
 */
export function cdnWarnings(cdn: CdnConfig, namespace = "model-vault"): string[] {
  if (!cdn.enabled || cdn.signing.required) return [];
  const keys = cdn.signing.publicKeys.map((k) => k.name);
  const ignored =
    keys.length === 0 ? "" : `; public key${keys.length > 1 ? "s" : ""} ${keys.join(", ")} ${keys.length > 1 ? "are" : "is"} registered but trusted by no key group`;
  return [
    `${namespace}:cdn.signing.required is false: the distribution serves every object under ${cdn.prefixes.join(", ")} to anyone, unsigned${ignored}; set it to true unless the weights are meant to be public (prod's policy pack refuses it without a waiver)`,
  ];
}
