// The `network` perimeter's config (config/network.ts): every problem at once, each naming the key
// path and, on a consumer, the consumer by its name; ranges aws:SourceIp can never hold are refused.
import { strict as assert } from "node:assert";
import { ConfigError, loadStackConfig } from "../config";
import { addressIn, inRanges, parseCidr } from "../iam/network";

const base = {
  "aws:region": "eu-west-1",
  "model-vault:accountId": "111111111111",
  "model-vault:bucketName": "acme-models-dev",
};
const sm = (network: unknown, name = "sm-inference") => ({ name, kind: "service", service: "sagemaker.amazonaws.com", prefixes: ["models/a/"], network });

function load(extra: Record<string, unknown>) {
  const all: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(extra)) all[`model-vault:${k}`] = JSON.stringify(v);
  return loadStackConfig("dev", all);
}

function problems(extra: Record<string, unknown>): string[] {
  try {
    load(extra);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.problems;
  }
  assert.fail("expected the config to be rejected");
}

describe("network perimeter config", () => {
  it("resolves a consumer's and the stack's perimeter with every list explicit, sorted, without duplicates", () => {
    const cfg = load({
      consumers: [sm({ vpcEndpoints: ["vpce-0a1b2c3d4e5f60718", "vpce-0a1b2c3d4e5f60718", "vpce-01234567"] })],
      network: { sourceIps: ["203.0.113.0/24", "2001:db8::/32"] },
    });
    assert.deepEqual(cfg.access.consumers[0].network, { vpcEndpoints: ["vpce-01234567", "vpce-0a1b2c3d4e5f60718"], vpcs: [], sourceIps: [] });
    assert.deepEqual(cfg.access.network, { vpcEndpoints: [], vpcs: [], sourceIps: ["2001:db8::/32", "203.0.113.0/24"] });
  });

  it("leaves a consumer without a perimeter as it was (no network key)", () => {
    const cfg = load({ consumers: [{ ...sm(undefined), network: undefined }] });
    assert.equal("network" in cfg.access.consumers[0], false);
    assert.equal(cfg.access.network, null);
  });

  it("names the consumer (by its name in the key path) and the key of every bad entry, all at once, with the consumer's other problems", () => {
    const got = problems({
      consumers: [
        { ...sm({ vpcEndpoints: ["vpc-0a1b2c3d"], vpcs: ["vpce-0a1b2c3d"], sourceIps: ["10.1.0.0/16", "203.0.113.7/24", "0.0.0.0/0", "203.0.113.0"] }), prefixes: ["models/*"] },
        sm({}, "eks-batch"),
        sm({ vpcEndpoint: ["vpce-0a1b2c3d"] }, "typo"),
      ],
      network: { sourceIps: ["192.168.1.0/24"], vpcs: "vpc-0a1b2c3d" },
    });
    const has = (re: RegExp) => assert.ok(got.some((p) => re.test(p)), `no problem matches ${re}:\n${got.join("\n")}`);
    has(/^model-vault:consumers\["sm-inference"\]\.prefixes\[0\]: .*wildcard/);
    has(/^model-vault:consumers\["sm-inference"\]\.network\.vpcEndpoints\[0\]: expected a VPC endpoint id: vpce- .*$/);
    has(/^model-vault:consumers\["sm-inference"\]\.network\.vpcs\[0\]: expected a VPC id: vpc- .*$/);
    has(/^model-vault:consumers\["sm-inference"\]\.network\.sourceIps\[0\]: 10\.1\.0\.0\/16 is not a public range: aws:SourceIp holds only public addresses .*vpcEndpoints.*$/);
    has(/^model-vault:consumers\["sm-inference"\]\.network\.sourceIps\[1\]: 203\.0\.113\.7\/24 has host bits set: did you mean 203\.0\.113\.0\/24\?$/);
    has(/^model-vault:consumers\["sm-inference"\]\.network\.sourceIps\[2\]: 0\.0\.0\.0\/0 admits every address/);
    has(/^model-vault:consumers\["sm-inference"\]\.network\.sourceIps\[3\]: expected a CIDR range such as 203\.0\.113\.0\/24 .*got "203\.0\.113\.0"$/);
    has(/^model-vault:consumers\["eks-batch"\]\.network: expected at least one of vpcEndpoints, vpcs, sourceIps/);
    has(/^model-vault:consumers\["typo"\]\.network\.vpcEndpoint: unknown key; did you mean vpcEndpoints\?/);
    has(/^model-vault:network\.sourceIps\[0\]: 192\.168\.1\.0\/24 is not a public range/);
    has(/^model-vault:network\.vpcs: expected a list of VPC ids/);
  });

  it("ranges: IPv4 and IPv6, containment, an address inside", () => {
    assert.equal(typeof parseCidr("2001:db8::/32"), "object");
    assert.match(parseCidr("fd00::/8") as string, /not a public range/);
    assert.match(parseCidr("203.0.113.0/33") as string, /longer than 32 bits/);
    assert.equal(inRanges("203.0.113.9", ["203.0.113.0/24"]), true);
    assert.equal(inRanges("198.51.100.7", ["203.0.113.0/24", "2001:db8::/32"]), false);
    assert.equal(inRanges("2001:db8::7", ["2001:db8::/32"]), true);
    assert.equal(addressIn("203.0.113.0/24"), "203.0.113.1");
    assert.equal(addressIn("198.51.100.7/32"), "198.51.100.7");
    assert.equal(inRanges(addressIn("2001:db8::/32"), ["2001:db8::/32"]), true);
  });
});
