// The verifier on an S3 prefix served by s3rver on 127.0.0.1: same verdicts as locally, and only
// listing plus ranged GETs of headers — never a whole shard.
import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { DeleteObjectCommand } from "@aws-sdk/client-s3";
import { runModelsCli } from "../models/cli";
import { tempDir, writeShardedModel } from "./support/model-dir";
import { startLocalS3, uploadDir, type LocalS3 } from "./support/s3-server";

const BUCKET = "models-test";

describe("models verify: an S3 prefix (s3rver on 127.0.0.1)", function () {
  this.timeout(30000);
  let s3: LocalS3;
  let dir: string;
  before(async () => {
    s3 = await startLocalS3([BUCKET]);
    dir = await tempDir("verify-s3");
    // Shards of 1 MiB of data each: a whole-object GET would show up in the recorded ranges.
    await writeShardedModel(dir, 3, 4, [256, 512]);
    await uploadDir(s3.client(), BUCKET, "mistral/v1/", dir);
    await uploadDir(s3.client(), BUCKET, "mistral/v2/", dir);
    await s3.client().send(new DeleteObjectCommand({ Bucket: BUCKET, Key: "mistral/v2/model-00002-of-00003.safetensors" }));
  });
  after(async () => {
    await s3?.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  const cli = async (...argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runModelsCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l), s3: s3.client });
    return { code, out, err };
  };

  it("passes a complete release, reading each shard's header with one ranged GET", async () => {
    s3.sent.length = 0;
    const r = await cli("verify", `s3://${BUCKET}/mistral/v1/`);
    assert.equal(r.code, 0, r.out.join("\n") + r.err.join("\n"));
    const shardGets = s3.sent.filter((x) => x.command === "GetObjectCommand" && x.key?.endsWith(".safetensors"));
    assert.equal(shardGets.length, 3);
    for (const g of shardGets) assert.match(g.range ?? "", /^bytes=0-\d+$/);
    const shardSize = (await fs.stat(path.join(dir, "model-00001-of-00003.safetensors"))).size;
    for (const g of shardGets) assert.ok(Number(/-(\d+)$/.exec(g.range as string)?.[1]) < shardSize - 1, `${g.range} would read the whole shard (${shardSize} bytes)`);
    assert.deepEqual([...new Set(s3.sent.map((x) => x.command))].sort(), ["GetObjectCommand", "ListObjectsV2Command"]);
  });

  it("reports a shard missing from the prefix, exit 1", async () => {
    const r = await cli("verify", `s3://${BUCKET}/mistral/v2`);
    assert.equal(r.code, 1);
    assert.deepEqual(r.out, ["model-00002-of-00003.safetensors: missing: shard 2 of 3"]);
  });

  it("an empty prefix is not a model: one line, exit 2", async () => {
    const r = await cli("verify", `s3://${BUCKET}/nothing/`);
    assert.deepEqual([r.code, r.err], [2, [`s3://${BUCKET}/nothing/ is not a model directory: no config.json and no *.safetensors or pytorch_model*.bin files`]]);
  });

  it("a bucket S3 refuses: one line, exit 2", async () => {
    const r = await cli("verify", "s3://no-such-bucket/x/");
    assert.equal(r.code, 2);
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], /^S3 refused the request: NoSuchBucket \(HTTP 404\)/);
  });
});

describe("models verify: no AWS credentials", () => {
  it("is one line naming how to get them, exit 2", async function () {
    this.timeout(20000);
    const saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith("AWS_")) delete process.env[k];
    Object.assign(process.env, { AWS_REGION: "us-east-1", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent", AWS_EC2_METADATA_DISABLED: "true" });
    try {
      const err: string[] = [];
      const code = await runModelsCli(["verify", "s3://some-bucket/models/x/"], { out: () => undefined, err: (l) => err.push(l) });
      assert.equal(code, 2);
      assert.deepEqual(err, ["no AWS credentials: set AWS_PROFILE (e.g. a credential_process profile from `npm run jit -- claim --credential-process`) or the AWS_* environment variables"]);
    } finally {
      process.env = saved;
    }
  });
});
