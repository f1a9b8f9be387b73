// What a new user trips over in a stack file, and what they are told: values `pulumi config set
// --path` wrote, list entries named as people name them, typos with a suggestion, YAML syntax
// errors with their line, every problem in one run, and namespaces that were silently ignored.
// Each problem is one line naming the key path and what was expected; nothing is registered.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ConfigError, loadStackConfig } from "../config";
import { lastRunRegistrations, runProgram } from "../plan/run";
import { readStackConfig } from "../plan/stackFiles";
import { serially } from "./support/plans";

const dev = readStackConfig("dev");
const json = (k: string) => JSON.parse(dev[`model-vault:${k}`]) as Record<string, unknown> & unknown[];
type Entry = Record<string, unknown>;
const consumers = (edit: (c: Entry, i: number) => Entry) => JSON.stringify((json("consumers") as Entry[]).map(edit));

function problems(over: Record<string, string>, stack = "dev", base: Record<string, string> = dev): string[] {
  try {
    loadStackConfig(stack, { ...base, ...over });
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    assert.equal(e.stackFile, `Pulumi.${stack}.yaml`);
    return e.problems;
  }
  return assert.fail("expected a ConfigError");
}

describe("newcomer: what pulumi config set --path writes", () => {
  it("reads numbers and booleans it stored in tags and external ids as the text that was typed", () => {
    const cfg = loadStackConfig("dev", {
      ...dev,
      "model-vault:tags": JSON.stringify({ team: "ml", costCenter: 4711, billable: true }),
      "model-vault:consumers": consumers((c) => (c.kind === "account" ? { ...c, externalId: 123456 } : c)),
    });
    assert.deepEqual({ costCenter: cfg.tags.costCenter, billable: cfg.tags.billable }, { costCenter: "4711", billable: "true" });
    assert.equal((cfg.access.consumers.find((c) => c.kind === "account") as { externalId: string }).externalId, "123456");
  });

  it("where a number cannot be read back exactly or text is expected, gives the exact --type string fix", () => {
    const p = problems({
      "model-vault:tags": JSON.stringify({ serial: 12345678901234567890 }),
      "model-vault:publisher": JSON.stringify({ ...json("publisher"), trustedPrincipals: [5] }),
    });
    assert.ok(p.includes(`model-vault:tags.serial: expected a tag value (text), got the number 12345678901234567000: quote it in the stack file ("12345678901234567000") or set it with pulumi config set --path --type string 'model-vault:tags.serial' 12345678901234567000`), p.join("\n"));
    assert.ok(p.some((x) => x.startsWith("model-vault:publisher.trustedPrincipals[0]: expected an IAM role ARN") && x.endsWith("pulumi config set --path --type string 'model-vault:publisher.trustedPrincipals[0]' 5")), p.join("\n"));
  });
});

describe("newcomer: messages a person can act on", () => {
  it("names list entries by their name, not their index", () => {
    const p = problems({ "model-vault:consumers": consumers((c, i) => (i === 0 ? { ...c, prefixes: ["models/x"] } : i === 4 ? { ...c, externalId: "x" } : c)) });
    assert.deepEqual(p, [
      `model-vault:consumers["sagemaker-inference"].prefixes[0]: a prefix must end with '/' (e.g. models/llama/)`,
      `model-vault:consumers["partner-research"].externalId: expected an external id of 2-1224 characters [A-Za-z0-9_+=,.@:/-]`,
    ]);
  });

  it("suggests the key a typo meant, at the top level and inside sections and list entries", () => {
    const p = problems({
      "model-vault:bucketNmae": "x",
      "model-vault:cdn": JSON.stringify({ ...json("cdn"), priceClas: "PriceClass_100" }),
      "model-vault:consumers": consumers((c, i) => (i === 1 ? { ...c, instanceprofile: true } : c)),
    });
    assert.ok(p.some((x) => x.startsWith("model-vault:bucketNmae: unknown key; did you mean bucketName? (valid keys: ")), p.join("\n"));
    assert.ok(p.some((x) => x.startsWith("model-vault:cdn.priceClas: unknown key; did you mean priceClass? (valid keys of model-vault:cdn: ")), p.join("\n"));
    assert.ok(p.some((x) => x.startsWith(`model-vault:consumers["ec2-batch"].instanceprofile: unknown key; did you mean instanceProfile?`)), p.join("\n"));
  });

  it("reports every problem of the file in one run, across areas and cross-key rules", () => {
    const p = problems({
      "model-vault:bucketName": "UP",
      "model-vault:immutableReleases": "true",
      "model-vault:cdn": JSON.stringify({ ...json("cdn"), prefixes: ["other/"] }),
      "aws:region": "moon-1",
    });
    assert.equal(p.length, 4, p.join("\n"));
    assert.ok(p.some((x) => x.startsWith("aws:region: ")));
    assert.ok(p.some((x) => x.startsWith("model-vault:bucketName: ")));
    assert.ok(p.some((x) => x.startsWith("model-vault:publisher.allowDelete: must be false while model-vault:immutableReleases is on")));
    assert.ok(p.some((x) => x.startsWith(`model-vault:cdn.prefixes[0]: "other/" is not inside the prefixes the bucket serves`)));
  });

  it("refuses a key in an unknown namespace with the one it meant, and a bare key shadowing its namespaced twin", () => {
    const p = problems({ "modelvault:deployerRoleArn": "arn:aws:iam::111111111111:role/x", "model_vault:tags": "{}", "awz:region": "us-east-1" });
    assert.deepEqual(p.slice(0, 3), [
      "awz:region: unknown namespace awz:; did you mean aws:region? (this program reads model-vault: and its providers' aws:, kubernetes:, pulumi:)",
      "model_vault:tags: unknown namespace model_vault:; did you mean model-vault:tags? (this program reads model-vault: and its providers' aws:, kubernetes:, pulumi:)",
      "modelvault:deployerRoleArn: unknown namespace modelvault:; did you mean model-vault:deployerRoleArn? (this program reads model-vault: and its providers' aws:, kubernetes:, pulumi:)",
    ]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newcomer-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.twin.yaml"), "config:\n  aws:region: us-east-1\n  model-vault:accountId: \"111111111111\"\n  model-vault:bucketName: acme-weights\n  bucketName: acme-weights-typo\n");
      assert.deepEqual(problems({}, "twin", readStackConfig("twin", dir)), [
        "bucketName: set both bare and as model-vault:bucketName; Pulumi reads a bare key as model-vault:bucketName, so one silently replaces the other: keep only model-vault:bucketName",
      ]);
      // A bare key alone is what Pulumi means by the project namespace: fine.
      fs.writeFileSync(path.join(dir, "Pulumi.bare.yaml"), "config:\n  aws:region: us-east-1\n  accountId: \"111111111111\"\n  bucketName: acme-weights\n");
      assert.equal(loadStackConfig("bare", readStackConfig("bare", dir)).storage.bucketName, "acme-weights");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("shows every YAML syntax error with its line, column and the line as written", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "newcomer-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  aws:region: us-east-1\n  model-vault:tags:\n    team: ml\n   env: dev\n  model-vault:bucketName: \"acme\n");
      assert.throws(
        () => readStackConfig("bad", dir),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.equal(e.stackFile, "Pulumi.bad.yaml");
          assert.equal(e.problems[0], `line 5, column 1: All mapping items must start at the same column: "   env: dev"`);
          assert.ok(e.problems.length >= 2 && e.problems.every((p) => /^line \d+, column \d+: /.test(p)), e.problems.join("\n"));
          return true;
        },
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("registers nothing when the stack file has a problem, even one that used to be ignored", async () => {
    const overs: Record<string, string>[] = [{ "modelvault:deployerRoleArn": "arn:aws:iam::111111111111:role/x" }, { "model-vault:cdn": JSON.stringify({ ...json("cdn"), priceClas: "x" }) }];
    for (const over of overs) {
      await assert.rejects(
        serially(() => runProgram("dev", { config: { ...dev, ...over } })),
        (e: unknown) => e instanceof ConfigError,
      );
      assert.equal(lastRunRegistrations(), 0);
    }
  });
});
