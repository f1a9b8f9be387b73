// The plan contract of ARCHITECTURE.md, and the CLI's exit statuses.
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as awsSdk from "@pulumi/aws";
import { buildPlan } from "../plan/build";
import { main } from "../plan/cli";
import { lastRunRegistrations } from "../plan/run";
import type { Plan } from "../plan/types";
import { planFor, serially } from "./support/plans";

async function runCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await serially(() => main(args, { out: (s) => (out += s), err: (s) => (err += s) }));
  return { code, out, err };
}

describe("offline plan", () => {
  for (const stack of ["dev", "prod"]) {
    it(`${stack}: --json prints the contract: project, stack, resources with urn/type/name/parent/inputs/outputs, stack outputs`, async () => {
      const { code, out } = await runCli(["--stack", stack, "--json"]);
      const plan = JSON.parse(out) as Plan;
      assert.equal(plan.project, "model-vault");
      assert.equal(plan.stack, stack);
      assert.ok(plan.resources.length > 15);
      const urns = new Set(plan.resources.map((r) => r.urn));
      for (const r of plan.resources) {
        assert.match(r.urn, new RegExp(`^urn:pulumi:${stack}::model-vault::`));
        assert.equal(typeof r.type, "string");
        assert.equal(typeof r.name, "string");
        assert.ok(r.parent === null || urns.has(r.parent), `${r.urn} has a parent that is in the plan`);
        assert.equal(typeof r.inputs, "object");
        assert.equal(typeof r.outputs, "object");
      }
      const bucket = plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "models")!;
      assert.equal(bucket.outputs.arn, `arn:aws:s3:::${String(bucket.inputs.bucket)}`);
      assert.match(String(bucket.outputs.bucketRegionalDomainName), /^[a-z0-9-]+\.s3\.us-east-1\.amazonaws\.com$/);
      const key = plan.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "models-key")!;
      assert.match(String(key.outputs.arn), /^arn:aws:kms:us-east-1:\d{12}:key\/[0-9a-f-]{36}$/);
      assert.equal(plan.outputs.bucketArn, bucket.outputs.arn);
      assert.equal(code, 0, "our own stacks plan cleanly");
    });
  }

  // The tree moved behind --tree (issue 19): a reviewer reads access first; the page and --json keep it.
  it("prints a readable tree of components and their resources with --tree", async () => {
    const { out } = await runCli(["--stack", "dev", "--tree"]);
    assert.match(out, /^Resources: \d+ in \d+ components/m);
    assert.match(out, /└─ storage:ModelBucket {2}models|├─ storage:ModelBucket {2}models/);
    assert.match(out, /aws:Bucket {2}models {2}arn:aws:s3:::acme-model-weights-dev/);
  });

  it("is the same plan twice: ids and ARNs are stable run to run", async () => {
    const again = await runCli(["--stack", "dev", "--json"]);
    const first = (await planFor("dev")).plan;
    assert.deepEqual(JSON.parse(again.out).resources.map((r: { outputs: unknown }) => r.outputs), JSON.parse(JSON.stringify(first.resources.map((r) => r.outputs))));
  });

  it("exits 2 with the config message and no plan for a bad stack file, registering nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mv-plan-"));
    try {
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: us-east-1\n  model-vault:accountId: '111111111111'\n  model-vault:bucketName: Bad_Name\n");
      const { code, out, err } = await runCli(["--stack", "dev", "--root", dir]);
      assert.equal(code, 2);
      assert.equal(out, "");
      assert.match(err, /^Pulumi\.dev\.yaml: invalid configuration\n {2}- model-vault:bucketName: /);
      assert.equal(lastRunRegistrations(), 0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("prints the whole --json plan through a pipe as a separate process (as `npm run plan | jq` does)", () => {
    const r = spawnSync(process.execPath, ["-r", "./tools/register.js", "plan/cli.ts", "--stack", "dev", "--json"], {
      cwd: path.resolve(__dirname, ".."),
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.stdout.length > 65_536, "larger than one pipe buffer");
    assert.equal((JSON.parse(r.stdout) as Plan).stack, "dev");
  });

  it("exits 2 naming the stacks that exist for an unknown stack", async () => {
    const { code, err } = await runCli(["--stack", "staging"]);
    assert.equal(code, 2);
    assert.match(err, /unknown stack "staging": no Pulumi\.staging\.yaml \(stacks here: .*dev.*prod/);
  });
});

describe("offline plan judges what a team adds next to model-vault", () => {
  // The real program plus one more resource, as a team building on this stack would add it.
  async function planWith(extra: () => void) {
    const program = require("../index") as () => Promise<Record<string, unknown>>;
    return serially(() =>
      buildPlan("dev", {
        program: async () => {
          const outputs = await program();
          extra();
          return outputs;
        },
      }),
    );
  }

  it("fails on a wildcard action", async () => {
    const { failures, plan } = await planWith(() => {
      new awsSdk.iam.Policy("team-wide", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:Get*", Resource: "arn:aws:s3:::acme-model-weights-dev/*" }] }) });
    });
    assert.ok(plan.policy!.violations.some((v) => v.policy === "no-wildcard-actions" && v.level === "mandatory" && v.urn.endsWith("::team-wide")));
    assert.ok(failures.some((f) => f.startsWith("policy no-wildcard-actions")));
  });

  it("fails on a public principal", async () => {
    const { failures } = await planWith(() => {
      new awsSdk.sns.TopicPolicy("team-topic", {
        arn: "arn:aws:sns:us-east-1:111111111111:models-published",
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sns:Subscribe", Resource: "arn:aws:sns:us-east-1:111111111111:models-published" }] }),
      });
    });
    assert.ok(failures.some((f) => f.startsWith("policy no-public-principals")), failures.join("\n"));
  });
});
