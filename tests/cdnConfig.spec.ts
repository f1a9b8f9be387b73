// The `cdn` config section: defaults, and clear errors naming the key path.
import { strict as assert } from "node:assert";
import { generateKeyPairSync } from "node:crypto";
import { cdnConfigSchema, checkPublicKeyPem, defaultCdnConfig, prefixesOutsideServed } from "../config/cdn";
import { loadStackConfig } from "../config";
import { readStackConfig } from "../plan/stackFiles";

const rsa = (bits: number) =>
  generateKeyPairSync("rsa", { modulusLength: bits, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const { publicKey, privateKey } = rsa(2048);

function problems(input: unknown): string[] {
  const r = cdnConfigSchema.safeParse(input);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
}

describe("cdn config", () => {
  it("is off by default with safe, explicit defaults", () => {
    const d = defaultCdnConfig();
    assert.equal(d.enabled, false);
    assert.deepEqual(d.prefixes, ["models/"]);
    assert.equal(d.signing.required, true);
    assert.deepEqual(d.forwardQueryStrings, []);
    assert.equal(d.minimumProtocolVersion, "TLSv1.2_2021");
    assert.equal(d.priceClass, "PriceClass_100");
    assert.deepEqual(d.geoRestriction, { type: "none", countries: [] });
    assert.deepEqual(d.logging, { enabled: true, prefix: "cloudfront/", format: "json" });
    assert.ok(d.minTtl <= d.defaultTtl && d.defaultTtl <= d.maxTtl && d.defaultTtl >= 86400);
  });

  it("accepts a full section and normalizes the PEM to SPKI", () => {
    const r = cdnConfigSchema.parse({
      enabled: true,
      prefixes: ["models/public/"],
      aliases: ["models.example.com"],
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/12345678-1234-1234-1234-123456789012",
      signing: { publicKeys: [{ name: "release-2026", pem: `\n${publicKey}\n` }] },
      geoRestriction: { type: "deny", countries: ["KP", "IR"] },
      webAclArn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/models/12345678-1234-1234-1234-123456789012",
      forwardQueryStrings: ["versionId"],
      originShieldRegion: "eu-west-1",
    });
    assert.equal(r.signing.publicKeys[0].pem, publicKey);
  });

  it("requires a public key when signing is on (the default), and refuses private keys by name", () => {
    assert.match(problems({ enabled: true }).join("\n"), /^signing\.publicKeys: expected at least one public key/m);
    assert.deepEqual(problems({ enabled: true, signing: { required: false } }), []);
    assert.match(problems({ enabled: true, signing: { publicKeys: [{ name: "k1", pem: privateKey }] } }).join(), /signing\.publicKeys\.0\.pem: public key "k1": this is a PRIVATE key/);
    assert.match(problems({ enabled: true, signing: { publicKeys: [{ name: "k2", pem: "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----" }] } }).join(), /public key "k2": not a readable PEM public key/);
    assert.match(problems({ enabled: true, signing: { publicKeys: [{ name: "k3", pem: rsa(1024).publicKey }] } }).join(), /public key "k3": CloudFront requires an RSA 2048-bit key, this one has 1024 bits/);
    const ec = generateKeyPairSync("ec", { namedCurve: "P-256", publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
    assert.match(problems({ enabled: true, signing: { publicKeys: [{ name: "k4", pem: ec.publicKey }] } }).join(), /public key "k4": expected an RSA key/);
    assert.match(problems({ enabled: true, signing: { publicKeys: [{ name: "a", pem: publicKey }, { name: "a", pem: publicKey }] } }).join(), /duplicate key name "a"/);
  });

  it("validates certificate, web ACL, countries, TTLs, prefixes and query strings", () => {
    const base = { enabled: true, signing: { required: false } };
    assert.match(problems({ ...base, aliases: ["models.example.com"] }).join(), /^certificateArn: is required with aliases/);
    assert.match(
      problems({ ...base, aliases: ["models.example.com"], certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-1234-1234-1234-123456789012" }).join(),
      /certificateArn: expected an ACM certificate ARN in us-east-1/,
    );
    assert.match(problems({ ...base, webAclArn: "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/12345678-1234-1234-1234-123456789012" }).join(), /webAclArn: expected a WAFv2 web ACL ARN with scope CLOUDFRONT/);
    assert.match(problems({ ...base, geoRestriction: { type: "allow", countries: ["de"] } }).join(), /geoRestriction\.countries\.0: "de" is not an ISO 3166-1 alpha-2/);
    assert.match(problems({ ...base, geoRestriction: { type: "allow" } }).join(), /geoRestriction\.countries: expected at least one country/);
    assert.match(problems({ ...base, geoRestriction: { type: "block", countries: ["DE"] } }).join(), /geoRestriction\.type: expected none, allow or deny/);
    assert.match(problems({ ...base, minTtl: 100, defaultTtl: 10 }).join(), /defaultTtl: expected minTtl <= defaultTtl <= maxTtl/);
    assert.match(problems({ ...base, prefixes: ["models/*"] }).join(), /prefixes\.0: a prefix may not contain wildcards/);
    assert.match(problems({ ...base, prefixes: ["models/", "models/a/"] }).join(), /prefixes\.1: "models\/a\/" is already inside "models\/"/);
    assert.match(problems({ ...base, forwardQueryStrings: ["Signature"] }).join(), /reserved for signed URLs/);
    assert.match(problems({ ...base, priceClass: "cheap" }).join(), /priceClass: expected PriceClass_100/);
    assert.match(problems({ ...base, bogus: 1 }).join(), /bogus/);
  });

  it("checks the CDN prefixes against what the bucket serves", () => {
    assert.deepEqual(prefixesOutsideServed(["models/public/"], ["models/"]), []);
    assert.deepEqual(prefixesOutsideServed(["datasets/"], ["models/"]), ['cdn.prefixes[0]: "datasets/" is not inside the prefixes the bucket serves (models/)']);
  });

  it("checkPublicKeyPem accepts the tests' own RSA 2048 key", () => {
    assert.deepEqual(checkPublicKeyPem(publicKey), { ok: true, pem: publicKey });
  });

  describe("through the stack loader (Pulumi.dev.yaml + a replaced cdn section)", () => {
    const load = (cdn: unknown) => () => loadStackConfig("dev", { ...readStackConfig("dev"), "model-vault:cdn": JSON.stringify(cdn) });
    it("names the stack file and the full key path", () => {
      assert.throws(load({ enabled: true, signing: { publicKeys: [{ name: "k1", pem: privateKey }] } }), /Pulumi\.dev\.yaml: invalid configuration\n {2}- model-vault:cdn\.signing\.publicKeys\["k1"\]\.pem: public key "k1": this is a PRIVATE key/);
      assert.throws(load({ enabled: "yes" }), /model-vault:cdn\.enabled: expected true or false/);
    });
    it("refuses prefixes outside what the bucket serves (publisher and consumer prefixes)", () => {
      assert.throws(load({ enabled: true, prefixes: ["datasets/"], signing: { required: false } }), /model-vault:cdn\.prefixes\[0\]: "datasets\/" is not inside the prefixes the bucket serves/);
    });
    it("resolves the dev stack's section, demo key included", () => {
      const c = loadStackConfig("dev", readStackConfig("dev")).cdn;
      assert.equal(c.enabled, true);
      assert.equal(c.signing.publicKeys.length, 1);
      assert.equal(checkPublicKeyPem(c.signing.publicKeys[0].pem).ok, true);
    });
  });
});
