// The access diff (issue 19 item 3): `--baseline OLD.json` prints only what changed in access, and
// `--fail-on new-access` exits 1 when the change lets a principal do what it could not. Planted
// changes: a consumer given a new prefix (config), a statement widened (code, by a transformation
// on the real program); each also read the other way round, where it only removes access.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildPlan } from "../plan/build";
import { main } from "../plan/cli";
import { diffPlans } from "../plan/diff";
import { gained } from "../plan/diffDocuments";
import { markOfRow } from "../plan/expectation";
import { readStackConfig } from "../plan/stackFiles";
import type { Plan } from "../plan/types";
import { planFor, serially } from "./support/plans";

/** Dev with eks-serving reading only models/llama/ (it reads llama and mistral in Pulumi.dev.yaml). */
async function devWithoutMistralForEksServing(): Promise<Plan> {
  const config = { ...readStackConfig("dev") };
  const consumers = JSON.parse(config["model-vault:consumers"]) as { name: string; prefixes: string[] }[];
  consumers.find((c) => c.name === "eks-serving")!.prefixes = ["models/llama/"];
  config["model-vault:consumers"] = JSON.stringify(consumers);
  return JSON.parse(JSON.stringify((await serially(() => buildPlan("dev", { config }))).plan)) as Plan;
}

/** Dev whose ec2-batch read statement covers the whole bucket: a one-line slip in a builder. */
async function devWithWidenedStatement(): Promise<Plan> {
  const program = require("../index") as () => Promise<Record<string, unknown>>;
  const r = await serially(() =>
    buildPlan("dev", {
      program: async () => {
        pulumi.runtime.registerStackTransformation((args) => {
          if (args.type !== "aws:iam/rolePolicy:RolePolicy" || args.name !== "access-consumer-ec2-batch-read") return undefined;
          const policy = pulumi.output(args.props.policy as pulumi.Input<string>).apply((p) => {
            const doc = JSON.parse(p) as { Statement: { Sid?: string; Resource: unknown }[] };
            for (const s of doc.Statement) if (s.Sid === "ReadObjectsInPrefixes") s.Resource = "arn:aws:s3:::acme-model-weights-dev/*";
            return JSON.stringify(doc);
          });
          return { props: { ...args.props, policy }, opts: args.opts };
        });
        return program();
      },
    }),
  );
  return JSON.parse(JSON.stringify(r.plan)) as Plan;
}

describe("review: the access diff", () => {
  let dev: Plan;
  before(async () => {
    dev = JSON.parse(JSON.stringify((await planFor("dev")).plan)) as Plan;
  });

  it("a plan against itself: nothing changed, no new access", () => {
    assert.deepEqual(diffPlans(dev, dev), { rows: [], paths: [], documents: [], newAccess: [] });
  });

  it("a consumer given a new prefix: its role policy changed and widened, named by resource and role", async () => {
    const base = await devWithoutMistralForEksServing();
    const d = diffPlans(base, dev);
    assert.deepEqual(d.documents.map((x) => [x.type, x.name, x.field]), [["aws:iam/rolePolicy:RolePolicy", "access-consumer-eks-serving-read", "policy"]]);
    assert.match(d.documents[0].attachedTo ?? "", /^role access-consumer-eks-serving-/);
    assert.ok(d.newAccess.some((n) => /access-consumer-eks-serving-read .*ReadObjectsInPrefixes: \+Resource arn:aws:s3:::acme-model-weights-dev\/models\/mistral\/\*/.test(n)), d.newAccess.join("\n"));
    // The prefix taken away again only removes access.
    const back = diffPlans(dev, base);
    assert.equal(back.documents.length, 1);
    assert.deepEqual(back.newAccess, []);
  });

  it("a statement widened: the outside-prefix cells turn Allowed, the plan breaches, and the diff says new access", async () => {
    const wide = await devWithWidenedStatement();
    const d = diffPlans(dev, wide);
    const gainedRows = d.rows.filter((r) => r.after === "Allowed");
    assert.ok(gainedRows.length >= 1, JSON.stringify(d.rows));
    assert.ok(gainedRows.every((r) => r.label === "consumer ec2-batch (service)" && /outside/.test(r.column) && r.before === "ImplicitlyDenied"), JSON.stringify(gainedRows));
    assert.ok(d.newAccess.some((n) => /^consumer ec2-batch \(service\) is allowed s3:GetObject\(outside\) on s3:\/\/acme-model-weights-dev\/outside\//.test(n)), d.newAccess.join("\n"));
    assert.ok(d.newAccess.some((n) => /access-consumer-ec2-batch-read .*ReadObjectsInPrefixes: \+Resource arn:aws:s3:::acme-model-weights-dev\/\*/.test(n)), d.newAccess.join("\n"));
    assert.ok(wide.access!.some((c) => c.label === "consumer ec2-batch (service)" && markOfRow(c) === "breach"), "the widened plan is itself a breach");
    assert.deepEqual(diffPlans(wide, dev).newAccess, [], "narrowing it back grants nothing");
  });

  it("statements: a Deny whose exemptions grew, or an Allow that lost a condition, may widen; a narrower Allow does not", () => {
    type St = Parameters<typeof gained>[0];
    const deny = (names: string[]): St => ({ Sid: "D", Effect: "Deny", Action: "s3:PutObject", Resource: "*", Condition: { ArnNotLike: { "aws:PrincipalArn": names } } });
    assert.deepEqual(gained(deny(["arn:aws:iam::*:role/a"]), deny(["arn:aws:iam::*:role/a", "arn:aws:iam::*:role/b"])), ['Condition ArnNotLike:aws:PrincipalArn: ["arn:aws:iam::*:role/a"] -> ["arn:aws:iam::*:role/a","arn:aws:iam::*:role/b"]']);
    const allow = (resource: string, cond?: St): St => ({ Sid: "A", Effect: "Allow", Action: "s3:GetObject", Resource: resource, ...(cond ? { Condition: cond } : {}) });
    assert.deepEqual(gained(allow("arn:aws:s3:::b/*", { Bool: { "aws:SecureTransport": "true" } }), allow("arn:aws:s3:::b/*")), ["-Condition Bool:aws:SecureTransport"]);
    assert.deepEqual(gained(allow("arn:aws:s3:::b/*"), allow("arn:aws:s3:::b/models/*")), []);
    assert.deepEqual(gained({ Effect: "Allow", Action: "s3:Get*", Resource: "*" }, { Effect: "Allow", Action: "s3:GetObject", Resource: "*" }), []);
  });

  describe("the CLI", () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "mv-diff-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function cli(args: string[]) {
      let out = "";
      let err = "";
      const code = await serially(() => main(args, { out: (s) => (out += s), err: (s) => (err += s), env: {} }));
      return { code, out, err };
    }

    it("--fail-on new-access exits 1 on the new prefix and prints only what changed, verdict first and last", async () => {
      const file = path.join(dir, "base.json");
      fs.writeFileSync(file, JSON.stringify(await devWithoutMistralForEksServing()));
      const r = await cli(["--stack", "dev", "--baseline", file, "--fail-on", "new-access", "--width", "200"]);
      assert.equal(r.code, 1, r.err);
      const lines = r.out.trimEnd().split("\n");
      assert.match(lines[0], /^NEW-ACCESS access against .*base\.json: 0 row\(s\) changed · 0 path\(s\) added, 0 removed · 1 IAM document\(s\) changed · 2 new access$/);
      assert.equal(lines[lines.length - 1], lines[0]);
      assert.doesNotMatch(r.out, /Access matrix|Who can reach what/);
      assert.match(r.err, /new access since .*base\.json: aws:RolePolicy access-consumer-eks-serving-read/);
      // Without --fail-on the same diff is a report, not a failure.
      assert.equal((await cli(["--stack", "dev", "--baseline", file])).code, 0);
    });

    it("against its own plan: UNCHANGED, exit 0", async () => {
      const file = path.join(dir, "same.json");
      fs.writeFileSync(file, JSON.stringify(dev));
      const r = await cli(["--stack", "dev", "--baseline", file, "--fail-on", "new-access"]);
      assert.equal(r.code, 0, r.err);
      assert.match(r.out, /^UNCHANGED access against /);
    });

    it("bad input: --fail-on without --baseline, an unknown --fail-on, a baseline that is not a plan (exit 2, naming it)", async () => {
      assert.equal((await cli(["--stack", "dev", "--fail-on", "new-access"])).code, 2);
      const unknown = await cli(["--stack", "dev", "--baseline", "x.json", "--fail-on", "anything"]);
      assert.notEqual(unknown.code, 0);
      assert.match(unknown.err, /expected one of: new-access/);
      const file = path.join(dir, "not-a-plan.json");
      fs.writeFileSync(file, "{}");
      const r = await cli(["--stack", "dev", "--baseline", file]);
      assert.equal(r.code, 2);
      assert.match(r.err, /--baseline .*not-a-plan\.json: not a plan/);
    });
  });
});
