// sign-url: URLs signed with @aws-sdk/cloudfront-signer verify against the public key the way
// CloudFront checks them (RSA over the canned/custom policy, CloudFront's base64 alphabet), and
// stop verifying once anything in the URL is altered.
import { strict as assert } from "node:assert";
import { generateKeyPairSync, verify } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkObjectPath, parseExpiry, readPrivateKey, signModelUrl, SignUrlError } from "../tools/signUrl";
import { main } from "../tools/signUrlCli";

const pair = () => generateKeyPairSync("rsa", { modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" } });
const { publicKey, privateKey } = pair();
const other = pair();
const PREFIXES = ["models/llama/", "models/mistral/"];
const NOW = new Date("2026-06-01T12:00:00Z");
const SIGNING_PARAMS = ["Expires", "Signature", "Key-Pair-Id", "Policy", "Hash-Algorithm"];

/** CloudFront's URL-safe base64: '+' -> '-', '=' -> '_', '/' -> '~'. */
const cfDecode = (s: string) => Buffer.from(s.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");

/** What CloudFront does with a signed URL: rebuild the policy, check it covers the URL, verify the signature. */
function cloudFrontAccepts(signedUrl: string, pubPem: string, now = NOW): boolean {
  const u = new URL(signedUrl);
  const q = u.searchParams;
  const sig = q.get("Signature");
  if (!sig || !q.get("Key-Pair-Id")) return false;
  const hash = q.get("Hash-Algorithm") === "SHA256" ? "RSA-SHA256" : "RSA-SHA1";
  const rest = new URL(signedUrl);
  for (const p of SIGNING_PARAMS) rest.searchParams.delete(p);
  const resource = rest.toString();
  let policy: string;
  if (q.get("Policy")) policy = cfDecode(q.get("Policy")!).toString("utf8");
  else if (q.get("Expires")) policy = `{"Statement":[{"Resource":"${resource}","Condition":{"DateLessThan":{"AWS:EpochTime":${q.get("Expires")}}}}]}`;
  else return false;
  if (!verify(hash, Buffer.from(policy), pubPem, cfDecode(sig))) return false;
  const st = JSON.parse(policy).Statement[0];
  if (st.Resource !== resource) return false;
  if (now.getTime() / 1000 >= st.Condition.DateLessThan["AWS:EpochTime"]) return false;
  return true;
}

const req = (over: Partial<Parameters<typeof signModelUrl>[0]> = {}) => ({
  domain: "d111111abcdef8.cloudfront.net",
  path: "models/llama/7b/model.safetensors",
  prefixes: PREFIXES,
  keyPairId: "K2JCJMDEHXQW5F",
  privateKeyPem: privateKey,
  expiresAt: new Date(NOW.getTime() + 3600_000),
  ...over,
});

describe("sign-url", () => {
  it("a canned-policy URL verifies against the public key and only against it", () => {
    const url = signModelUrl(req());
    assert.match(url, /^https:\/\/d111111abcdef8\.cloudfront\.net\/models\/llama\/7b\/model\.safetensors\?Expires=\d+&Key-Pair-Id=K2JCJMDEHXQW5F&Signature=/);
    assert.equal(new URL(url).searchParams.get("Expires"), String(Math.floor(NOW.getTime() / 1000) + 3600));
    assert.equal(cloudFrontAccepts(url, publicKey), true);
    assert.equal(cloudFrontAccepts(url, other.publicKey), false);
  });

  it("stops verifying when the path, the expiry, the host or the signature is altered, or after expiry", () => {
    const url = signModelUrl(req());
    assert.equal(cloudFrontAccepts(url.replace("/7b/", "/70b/"), publicKey), false);
    assert.equal(cloudFrontAccepts(url.replace(/Expires=(\d+)/, (_m, e) => `Expires=${Number(e) + 86400}`), publicKey), false);
    assert.equal(cloudFrontAccepts(url.replace("d111111abcdef8", "d222222abcdef8"), publicKey), false);
    const sig = new URL(url).searchParams.get("Signature")!;
    const flipped = (sig[10] === "A" ? "B" : "A");
    assert.equal(cloudFrontAccepts(url.replace(sig, sig.slice(0, 10) + flipped + sig.slice(11)), publicKey), false);
    assert.equal(cloudFrontAccepts(url, publicKey, new Date(NOW.getTime() + 3601_000)), false);
  });

  it("--ip-cidr: a custom policy carrying the expiry and AWS:SourceIp; altering the policy breaks it", () => {
    const url = signModelUrl(req({ ipCidr: "203.0.113.0/24" }));
    const q = new URL(url).searchParams;
    assert.equal(q.get("Expires"), null);
    const policy = JSON.parse(cfDecode(q.get("Policy")!).toString("utf8"));
    assert.deepEqual(policy.Statement[0].Condition, { DateLessThan: { "AWS:EpochTime": Math.floor(NOW.getTime() / 1000) + 3600 }, IpAddress: { "AWS:SourceIp": "203.0.113.0/24" } });
    assert.equal(policy.Statement[0].Resource, "https://d111111abcdef8.cloudfront.net/models/llama/7b/model.safetensors");
    assert.equal(cloudFrontAccepts(url, publicKey), true); // the viewer-IP check itself is CloudFront's
    const widened = Buffer.from(JSON.stringify({ Statement: [{ ...policy.Statement[0], Condition: { DateLessThan: policy.Statement[0].Condition.DateLessThan } }] }))
      .toString("base64").replace(/\+/g, "-").replace(/=/g, "_").replace(/\//g, "~");
    assert.equal(cloudFrontAccepts(url.replace(q.get("Policy")!, widened), publicKey), false);
    const single = JSON.parse(cfDecode(new URL(signModelUrl(req({ ipCidr: "198.51.100.7" }))).searchParams.get("Policy")!).toString("utf8"));
    assert.equal(single.Statement[0].Condition.IpAddress["AWS:SourceIp"], "198.51.100.7/32");
    assert.throws(() => signModelUrl(req({ ipCidr: "203.0.113.0/33" })), /--ip-cidr: "203\.0\.113\.0\/33" is not an IP address or CIDR/);
  });

  it("SHA256 signatures verify too", () => {
    const url = signModelUrl(req({ algorithm: "SHA256" }));
    assert.equal(new URL(url).searchParams.get("Hash-Algorithm"), "SHA256");
    assert.equal(cloudFrontAccepts(url, publicKey), true);
  });

  it("refuses paths outside the distributed prefixes, wildcards and traversal", () => {
    assert.throws(() => checkObjectPath("models/internal/x.bin", PREFIXES), /outside the distributed prefixes \(models\/llama\/, models\/mistral\/\)/);
    assert.throws(() => checkObjectPath("models/llamas/x.bin", PREFIXES), /outside the distributed prefixes/);
    assert.throws(() => checkObjectPath("models/llama/../internal/x", PREFIXES), /'\.\.'/);
    assert.throws(() => checkObjectPath("models/llama/*", PREFIXES), /wildcard/);
    assert.throws(() => checkObjectPath("models/llama/", PREFIXES), /not an object key/);
    assert.equal(checkObjectPath("/models/llama/a b.bin", PREFIXES), "models/llama/a b.bin");
    assert.match(signModelUrl(req({ path: "models/llama/a b+c.bin" })), /\/models\/llama\/a%20b%2Bc\.bin\?/);
  });

  it("refuses a past, malformed or too long expiry", () => {
    assert.equal(parseExpiry("1h", NOW).toISOString(), "2026-06-01T13:00:00.000Z");
    assert.equal(parseExpiry("2026-06-02T00:00:00Z", NOW).toISOString(), "2026-06-02T00:00:00.000Z");
    assert.throws(() => parseExpiry("2026-05-01T00:00:00Z", NOW), /is not in the future/);
    assert.throws(() => parseExpiry("0s", NOW), /is not in the future/);
    assert.throws(() => parseExpiry("soon", NOW), /not a duration/);
    assert.throws(() => parseExpiry("-1h", NOW), /not a duration/);
    assert.throws(() => parseExpiry("365d", NOW), /longer than the 30 days/);
  });

  it("refuses a missing, unreadable or non-private key file", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "signurl-"));
    try {
      assert.throws(() => readPrivateKey(path.join(dir, "nope.pem")), (e: Error) => e instanceof SignUrlError && /cannot read .*nope\.pem: no such file/.test(e.message));
      assert.throws(() => readPrivateKey(dir), /is a directory/);
      fs.writeFileSync(path.join(dir, "pub.pem"), publicKey);
      assert.throws(() => readPrivateKey(path.join(dir, "pub.pem")), /not a usable RSA private key/);
      fs.writeFileSync(path.join(dir, "key.pem"), privateKey, { mode: 0o600 });
      assert.equal(readPrivateKey(path.join(dir, "key.pem")), privateKey);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("CLI", () => {
    let dir: string;
    const small = generateKeyPairSync("rsa", { modulusLength: 1024, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "signurl-cli-"));
      fs.writeFileSync(path.join(dir, "key.pem"), privateKey, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, "other.pem"), other.privateKey, { mode: 0o600 });
      fs.writeFileSync(path.join(dir, "small.pem"), small.privateKey, { mode: 0o600 });
      // A stack whose key group trusts this test's key (the dev stack's demo key has no private half here).
      const pem = publicKey.trim().split("\n").map((l) => `            ${l}`).join("\n");
      fs.writeFileSync(
        path.join(dir, "Pulumi.signer.yaml"),
        `config:\n  model-vault:cdn:\n    enabled: true\n    prefixes: [models/llama/, models/mistral/]\n    signing:\n      publicKeys:\n        - name: ci-signer\n          pem: |\n${pem}\n`,
      );
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function cli(args: string[], at: { root?: string } = { root: dir }): Promise<{ code: number; out: string; err: string }> {
      let out = "";
      let err = "";
      const code = await main(args, (s) => (out += s), (s) => (err += s), at.root);
      return { code, out, err };
    }
    const base = (key = "key.pem") => ["--stack", "signer", "--key-pair-id", "K2JCJMDEHXQW5F", "--private-key", path.join(dir, key)];

    it("prints one verifiable URL and names the configured key it signed with", async () => {
      const r = await cli([...base(), "--domain", "d111111abcdef8.cloudfront.net", "--path", "models/llama/7b/model.safetensors", "--expires-in", "1h"]);
      assert.equal(r.code, 0, r.err);
      assert.equal(cloudFrontAccepts(r.out.trim(), publicKey, new Date()), true);
      assert.match(r.err, /private half of public key "ci-signer" \(Pulumi\.signer\.yaml cdn\.signing\.publicKeys\) for key pair id K2JCJMDEHXQW5F/);
    });

    it("refuses a private key that matches none of the stack's public keys (CloudFront would refuse its URLs)", async () => {
      const r = await cli([...base("other.pem"), "--domain", "d1.cloudfront.net", "--path", "models/llama/x.bin"]);
      assert.notEqual(r.code, 0);
      assert.equal(r.out, "");
      assert.match(r.err, /^sign-url: --private-key: matches none of the public keys in Pulumi\.signer\.yaml: model-vault:cdn\.signing\.publicKeys \(ci-signer\)/);
      // The dev stack's demo key has no private half anywhere: a generated key is refused there too.
      const dev = await cli(["--stack", "dev", "--key-pair-id", "K2JCJMDEHXQW5F", "--private-key", path.join(dir, "key.pem"), "--domain", "d1.cloudfront.net", "--path", "models/llama/x.bin"], {});
      assert.equal(dev.code, 2);
      assert.match(dev.err, /matches none of the public keys in Pulumi\.dev\.yaml: model-vault:cdn\.signing\.publicKeys \(dev-demo\)/);
    });

    it("refuses a 1,024-bit key: CloudFront only takes RSA 2048-bit key pairs", async () => {
      const r = await cli([...base("small.pem"), "--domain", "d1.cloudfront.net", "--path", "models/llama/x.bin"]);
      assert.equal(r.code, 2);
      assert.equal(r.out, "");
      assert.match(r.err, /small\.pem is an RSA 1024-bit key; CloudFront only accepts RSA 2048-bit key pairs/);
    });

    it("one clear line and exit 2 for each problem", async () => {
      const bad = async (extra: string[], re: RegExp) => {
        const r = await cli(extra);
        assert.equal(r.code, 2);
        assert.equal(r.out, "");
        assert.match(r.err, re);
      };
      await bad([...base(), "--domain", "d1.cloudfront.net", "--path", "models/internal/x.bin"], /outside the distributed prefixes/);
      await bad([...base(), "--domain", "d1.cloudfront.net", "--path", "models/llama/x.bin", "--expires-in", "2020-01-01T00:00:00Z"], /is not in the future/);
      await bad(["--stack", "signer", "--key-pair-id", "K2JCJMDEHXQW5F", "--private-key", path.join(dir, "missing.pem"), "--path", "models/llama/x.bin"], /cannot read .*missing\.pem: no such file/);
      await bad([...base(), "--stack", "nosuchstack", "--path", "models/llama/x.bin"], /unknown stack "nosuchstack"/);
      await bad([...base().slice(0, 4), "--path", "models/llama/x.bin"], /required option '--private-key/);
    });
  });
});
