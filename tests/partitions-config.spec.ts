// The partition as configuration: derived from aws:region (never a second key that could disagree),
// and what it refuses in a stack file, each problem naming its key, all at once, before anything is
// registered.
import { strict as assert } from "node:assert";
import { ConfigError, loadStackConfig } from "../config";
import { arn, dnsSuffix, partitionOf, servicePrincipal } from "../iam/arn";
import { bucketArn, objectsArn } from "../iam/arns";
import { buildSessionPolicy } from "../jit/session-policy";
import { lambdaFunctionArn } from "../jit/trust";
import { lastRunRegistrations, runProgram } from "../plan/run";
import { readStackConfig } from "../plan/stackFiles";
import { serially } from "./support/plans";

function problems(stack: string, all: Record<string, string>): string[] {
  try {
    loadStackConfig(stack, all);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
    return e.problems;
  }
  return assert.fail("expected the config to be rejected");
}

const minimal = (region: string) => ({ "aws:region": region, "model-vault:accountId": "111111111111", "model-vault:bucketName": "acme-models-dev" });

describe("partitions: one home for the partition (iam/arn.ts)", () => {
  it("maps each region to its partition and refuses the ISO partitions", () => {
    assert.equal(partitionOf("us-east-1"), "aws");
    assert.equal(partitionOf("eu-central-2"), "aws");
    assert.equal(partitionOf("cn-north-1"), "aws-cn");
    assert.equal(partitionOf("cn-northwest-1"), "aws-cn");
    assert.equal(partitionOf("us-gov-west-1"), "aws-us-gov");
    assert.equal(partitionOf("us-gov-east-1"), "aws-us-gov");
    for (const iso of ["us-iso-east-1", "us-isob-east-1", "eu-isoe-west-1", "us-isof-south-1"]) assert.throws(() => partitionOf(iso), /ISO partition/);
  });

  it("builds ARNs, endpoints and service principals per partition", () => {
    assert.equal(bucketArn("aws-cn", "b"), "arn:aws-cn:s3:::b");
    assert.equal(objectsArn("aws-us-gov", "b", "models/"), "arn:aws-us-gov:s3:::b/models/*");
    assert.equal(arn("aws-cn", "kms", "cn-north-1", "111111111111", "key/x"), "arn:aws-cn:kms:cn-north-1:111111111111:key/x");
    assert.equal(dnsSuffix("aws-cn"), "amazonaws.com.cn");
    assert.equal(dnsSuffix("aws-us-gov"), "amazonaws.com");
    assert.equal(servicePrincipal("cloudtrail"), "cloudtrail.amazonaws.com");
    assert.equal(lambdaFunctionArn("us-gov-west-1", "111111111111", "f"), "arn:aws-us-gov:lambda:us-gov-west-1:111111111111:function:f");
  });

  it("the JIT session policy names the broker region's partition and S3 endpoint", () => {
    const doc = JSON.stringify(
      buildSessionPolicy({ prefix: "models/", actions: ["write"], windowEnd: "2026-12-02T20:00:00Z" }, { bucketName: "b", region: "cn-northwest-1", accountId: "111111111111" }),
    );
    assert.ok(!doc.includes("arn:aws:"), doc);
    assert.ok(doc.includes('"arn:aws-cn:s3:::b/models/*"'));
    assert.ok(doc.includes('"arn:aws-cn:kms:cn-northwest-1:111111111111:key/*"'));
    assert.ok(doc.includes('"s3.cn-northwest-1.amazonaws.com.cn"'));
  });
});

describe("partitions: the stack config", () => {
  it("derives partition from aws:region", () => {
    assert.equal(loadStackConfig("dev", minimal("us-east-1")).partition, "aws");
    assert.equal(loadStackConfig("dev", minimal("cn-north-1")).partition, "aws-cn");
    assert.equal(loadStackConfig("dev", minimal("us-gov-west-1")).partition, "aws-us-gov");
  });

  it("refuses an ISO region at aws:region", () => {
    assert.deepEqual(problems("dev", minimal("us-iso-east-1")).map((p) => p.split(":")[0] + ":" + p.split(":")[1]), ["aws:region"]);
  });

  it("GovCloud: refuses cdn.enabled and jit.enabled, each once, naming the key, the region and why", () => {
    const all = { ...readStackConfig("dev"), "aws:region": "us-gov-west-1" };
    const found = problems("dev", all);
    const cdn = found.filter((p) => p.startsWith("model-vault:cdn.enabled:"));
    const jit = found.filter((p) => p.startsWith("model-vault:jit.enabled:"));
    assert.equal(cdn.length, 1, found.join("\n"));
    assert.equal(jit.length, 1, found.join("\n"));
    assert.match(cdn[0], /us-gov-west-1 is in partition aws-us-gov/);
    assert.match(cdn[0], /CloudFront is not part of the AWS GovCloud \(US\) partition/);
    assert.match(jit[0], /function URL, which AWS Lambda does not offer in AWS GovCloud/);
  });

  it("China: refuses cdn.enabled as unverified and jit.enabled as unavailable", () => {
    const found = problems("dev", { ...readStackConfig("dev"), "aws:region": "cn-north-1" });
    assert.match(found.find((p) => p.startsWith("model-vault:cdn.enabled:")) ?? "", /cn-north-1 is in partition aws-cn .*unverified/);
    assert.match(found.find((p) => p.startsWith("model-vault:jit.enabled:")) ?? "", /does not offer in the China Regions/);
  });

  it("reports every ARN of another partition at once, by key path, with the refusals", () => {
    const found = problems("dev", { ...readStackConfig("dev"), "aws:region": "cn-north-1" });
    for (const key of [
      "model-vault:deployerRoleArn",
      'model-vault:consumers["eks-serving"].oidcProviderArn',
      'model-vault:consumers["partner-research"].principalArn',
      "model-vault:publisher.trustedPrincipals[0]",
      "model-vault:jit.approvers[1]",
    ]) {
      const hit = found.filter((p) => p.startsWith(`${key}: "arn:aws:`));
      assert.equal(hit.length, 1, `${key} in:\n${found.join("\n")}`);
      assert.match(hit[0], /names partition aws, but aws:region cn-north-1 is in partition aws-cn \(China\): expected arn:aws-cn:/);
    }
  });

  it("registers nothing when the partition refuses the stack file", async () => {
    const config = { ...readStackConfig("dev"), "aws:region": "us-gov-west-1" };
    await serially(async () => {
      await assert.rejects(runProgram("dev", { config }), (e: unknown) => e instanceof ConfigError && e.problems.some((p) => p.startsWith("model-vault:cdn.enabled:")));
      assert.equal(lastRunRegistrations(), 0);
    });
  });

  it("org stack: the organization's partition is its region's; a contradicting organization.partition is refused", () => {
    const org = readStackConfig("org");
    const cfg = loadStackConfig("org", { ...org, "aws:region": "cn-northwest-1" });
    assert.equal(cfg.organization?.partition, "aws-cn");
    const organization = JSON.parse(org["model-vault:organization"]) as Record<string, unknown>;
    const found = problems("org", { ...org, "aws:region": "cn-northwest-1", "model-vault:organization": JSON.stringify({ ...organization, partition: "aws" }) });
    assert.deepEqual(found, [
      'model-vault:organization.partition: "aws" contradicts aws:region cn-northwest-1 is in partition aws-cn (China) (leave it out: the org stack\'s region decides it)',
    ]);
  });
});
