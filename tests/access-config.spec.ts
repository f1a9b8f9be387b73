// Bad access config gets one clear message naming the key path; prod refuses a missing deployer role.
import { strict as assert } from "node:assert";
import { ConfigError, loadStackConfig } from "../config";

const base = {
  "aws:region": "eu-west-1",
  "model-vault:accountId": "111111111111",
  "model-vault:bucketName": "acme-models-dev",
};
const sagemaker = { name: "sm", kind: "service", service: "sagemaker.amazonaws.com", prefixes: ["models/a/"] };

function load(extra: Record<string, unknown>, stack = "dev") {
  const all: Record<string, string> = { ...base };
  for (const [k, v] of Object.entries(extra)) all[`model-vault:${k}`] = typeof v === "string" ? v : JSON.stringify(v);
  return loadStackConfig(stack, all);
}

function problems(extra: Record<string, unknown>, stack = "dev"): string {
  try {
    load(extra, stack);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.message;
  }
  assert.fail("expected the config to be rejected");
}

describe("access config", () => {
  it("resolves every default explicitly", () => {
    const cfg = load({
      consumers: [sagemaker, { name: "pods", kind: "eks-pod-identity", clusterName: "ml", namespace: "ns", serviceAccount: "sa", prefixes: ["models/b/"] }],
      publisher: { trustedPrincipals: ["arn:aws:iam::111111111111:role/humans"], prefixes: ["models/"] },
    });
    assert.deepEqual(cfg.access.consumers[0], { ...sagemaker, instanceProfile: false });
    assert.equal((cfg.access.consumers[1] as { createAssociation: boolean }).createAssociation, false);
    assert.deepEqual(cfg.access.publisher, { trustedPrincipals: ["arn:aws:iam::111111111111:role/humans"], prefixes: ["models/"], allowDelete: false, maxMfaAgeSeconds: 3600 });
    assert.equal(cfg.access.deployerRoleArn, null);
    assert.equal(cfg.access.permissionsBoundaryArn, null);
  });

  it("defaults to no consumers and no publisher", () => {
    const cfg = load({});
    assert.deepEqual(cfg.access, { consumers: [], publisher: null, deployerRoleArn: null, permissionsBoundaryArn: null, network: null });
  });

  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["unknown kind", { consumers: [{ ...sagemaker, kind: "lambda" }] }, /model-vault:consumers\["sm"\]\.kind: .*service, eks-irsa, eks-pod-identity, account/],
    ["a prefix with a wildcard", { consumers: [{ ...sagemaker, prefixes: ["models/*"] }] }, /model-vault:consumers\["sm"\]\.prefixes\[0\]: .*wildcard/],
    ["an empty prefix list", { consumers: [{ ...sagemaker, prefixes: [] }] }, /model-vault:consumers\["sm"\]\.prefixes: expected at least one prefix/],
    ["a prefix without trailing slash", { consumers: [{ ...sagemaker, prefixes: ["models/a"] }] }, /prefixes\[0\]: a prefix must end with '\/'/],
    [
      "a malformed OIDC provider ARN",
      { consumers: [{ name: "k", kind: "eks-irsa", oidcProviderArn: "arn:aws:iam::1:oidc-provider/x", namespace: "n", serviceAccount: "s", prefixes: ["m/"] }] },
      /consumers\["k"\]\.oidcProviderArn: expected an EKS OIDC provider ARN/,
    ],
    [
      "a malformed account principal",
      { consumers: [{ name: "p", kind: "account", principalArn: "333333333333", externalId: "abc", prefixes: ["m/"] }] },
      /consumers\["p"\]\.principalArn: expected a role ARN/,
    ],
    ["a missing external id", { consumers: [{ name: "p", kind: "account", principalArn: "arn:aws:iam::333333333333:root", prefixes: ["m/"] }] }, /consumers\["p"\]\.externalId: is required/],
    ["a malformed deployer role ARN", { deployerRoleArn: "arn:aws:iam::111111111111:user/bob" }, /model-vault:deployerRoleArn: expected an IAM role ARN/],
    ["a malformed boundary", { permissionsBoundaryArn: "boundary" }, /model-vault:permissionsBoundaryArn: expected an IAM policy ARN/],
    ["duplicate consumer names", { consumers: [sagemaker, sagemaker] }, /consumers\[1\]\.name: duplicate consumer name sm/],
    ["an unknown consumer key", { consumers: [{ ...sagemaker, bucket: "x" }] }, /consumers\["sm"\].*bucket/],
    ["an instance profile for a non-EC2 service", { consumers: [{ ...sagemaker, instanceProfile: true }] }, /consumers\["sm"\]\.instanceProfile: .*ec2\.amazonaws\.com/],
    ["a publisher with no trusted principals", { publisher: { trustedPrincipals: [], prefixes: ["models/"] } }, /model-vault:publisher\.trustedPrincipals: expected at least one/],
    ["an MFA age over an hour", { publisher: { trustedPrincipals: ["arn:aws:iam::111111111111:role/h"], prefixes: ["models/"], maxMfaAgeSeconds: 7200 } }, /publisher\.maxMfaAgeSeconds: expected a whole number <= 3600/],
  ];
  for (const [what, extra, message] of cases) {
    it(`rejects ${what}`, () => {
      const m = problems(extra);
      assert.match(m, /^Pulumi\.dev\.yaml: invalid configuration/);
      assert.match(m, message);
    });
  }

  it("refuses a prod stack without a deployer role, accepts it with one", () => {
    assert.match(problems({ environment: "prod" }, "prod"), /model-vault:deployerRoleArn: is required in prod/);
    const cfg = load({ environment: "prod", deployerRoleArn: "arn:aws:iam::111111111111:role/deployer" }, "prod");
    assert.equal(cfg.access.deployerRoleArn, "arn:aws:iam::111111111111:role/deployer");
  });

  it("accepts a dev stack without a deployer role (the plan warns instead)", () => {
    assert.equal(load({}).access.deployerRoleArn, null);
  });
});
