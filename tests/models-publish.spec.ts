// Publish against s3rver on 127.0.0.1: weights first and the manifest last; an interrupted publish
// leaves no manifest (so the release is not "published"), and a second run resumes: files already
// there with the manifest's checksum and multipart parts already sent are not sent again.
// s3rver keeps no S3 checksums and ignores If-None-Match: the immutability itself is proven by the IAM
// engine (tests/models-immutable.spec.ts); here the requests are recorded to show publish always asks for it.
import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { runModelsCli } from "../models/cli";
import { formatProgress } from "../models/progress";
import { multipartStatePath, publishRelease } from "../models/publish";
import { buildManifest } from "../models/build-manifest";
import { LocalSource } from "../models/local-source";
import { MANIFEST_FILE } from "../models/layout";
import { tempDir, writeSafetensors, writeShardedModel } from "./support/model-dir";
import { startLocalS3, type LocalS3 } from "./support/s3-server";

const BUCKET = "publish-test";

/** A client that fails the `n`-th `command`, as a dropped connection or a killed process would. */
function failingAt(s3: LocalS3, n: number, command = "UploadPartCommand"): S3Client {
  const c = s3.client();
  let calls = 0;
  c.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === command && ++calls === n) throw Object.assign(new Error("connection reset (simulated)"), { name: "NetworkingError" });
      return next(args);
    },
    { step: "initialize", name: "interrupt" },
  );
  return c;
}

async function exists(c: S3Client, key: string): Promise<boolean> {
  return c.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key })).then(
    () => true,
    () => false,
  );
}

describe("models publish (s3rver on 127.0.0.1)", function () {
  this.timeout(60000);
  let s3: LocalS3;
  let dir: string;
  let state: string;
  before(async () => {
    s3 = await startLocalS3([BUCKET]);
    dir = await tempDir("publish");
    state = await tempDir("publish-state");
    await writeShardedModel(dir);
    // A 12 MiB shard: three parts at S3's 5 MiB minimum, so multipart and its resume are exercised.
    await writeSafetensors(path.join(dir, "model-00002-of-00002.safetensors"), [
      { name: "model.layers.2.w0.weight", dtype: "F32", shape: [1024, 1024] },
      { name: "model.layers.2.w1.weight", dtype: "F32", shape: [1024, 1024] },
      { name: "model.layers.2.w2.weight", dtype: "F32", shape: [1024, 1024] },
    ]);
    const idxPath = path.join(dir, "model.safetensors.index.json");
    const idx = JSON.parse(await fs.readFile(idxPath, "utf8"));
    idx.metadata.total_size = 3 * 64 + 3 * 4 * 1024 * 1024;
    await fs.writeFile(idxPath, JSON.stringify(idx));
  });
  after(async () => {
    await s3?.close();
    await fs.rm(dir, { recursive: true, force: true });
    await fs.rm(state, { recursive: true, force: true });
  });

  it("an interrupted publish leaves no manifest; the rerun resumes parts and files, writes the manifest last and verifies", async () => {
    const loc = { bucket: BUCKET, prefix: "mistral/v1/" };
    await assert.rejects(publishRelease(failingAt(s3, 2), dir, loc, { concurrency: 1, stateDir: state, partBytes: 5 * 1024 * 1024 }), /connection reset/);
    const c = s3.client();
    assert.equal(await exists(c, `mistral/v1/${MANIFEST_FILE}`), false, "no manifest after an interrupted publish");
    assert.equal(await exists(c, "mistral/v1/config.json"), false, "weights go first: the interruption came before the small files");

    s3.sent.length = 0;
    const r = await publishRelease(c, dir, loc, { concurrency: 1, stateDir: state, partBytes: 5 * 1024 * 1024 });
    assert.equal(r.partsResumed, 1, "the part sent before the interruption is not sent again");
    assert.equal(r.partsSent, 2);
    assert.deepEqual(r.skipped, [], "the interruption came inside the first file");
    const writes = s3.sent.filter((x) => ["PutObjectCommand", "CompleteMultipartUploadCommand", "UploadPartCommand"].includes(x.command));
    assert.equal(writes.at(-1)?.key, `mistral/v1/${MANIFEST_FILE}`, "the manifest is the last write");
    assert.equal(writes[0].key, "mistral/v1/model-00002-of-00002.safetensors", "the largest shard goes first");
    assert.deepEqual(await fs.readdir(state), [], "no multipart state left once complete");

    const v = await runModelsCli(["verify", "--checksums", "s3://publish-test/mistral/v1/"], { out: () => undefined, err: () => undefined, s3: s3.client });
    assert.equal(v, 0);
  });

  it("a rerun skips whole files already uploaded with the manifest's checksum", async () => {
    const loc = { bucket: BUCKET, prefix: "mistral/v3/" };
    // Fails the second single PUT: the multipart shard and the first small shard are already up.
    await assert.rejects(publishRelease(failingAt(s3, 2, "PutObjectCommand"), dir, loc, { concurrency: 1, stateDir: state, partBytes: 5 * 1024 * 1024 }), /connection reset/);
    const r = await publishRelease(s3.client(), dir, loc, { concurrency: 1, stateDir: state, partBytes: 5 * 1024 * 1024 });
    assert.deepEqual(r.skipped, ["model-00002-of-00002.safetensors", "model-00001-of-00002.safetensors"]);
    assert.equal(r.partsSent, 0);
  });

  it("starts a multipart upload afresh when the recorded one is gone (NoSuchUpload)", async () => {
    const loc = { bucket: BUCKET, prefix: "mistral/v5/" };
    const m = await buildManifest(new LocalSource(dir), 5 * 1024 * 1024);
    const big = m.files.find((f) => f.path === "model-00002-of-00002.safetensors")!;
    await fs.writeFile(multipartStatePath(state, loc, big), JSON.stringify({ uploadId: "aborted-by-lifecycle", parts: { 1: { ETag: '"x"', ChecksumSHA256: "x" } } }));
    // s3rver does not track upload ids: answer as S3 does for an aborted upload.
    const c = s3.client();
    c.middlewareStack.add(
      (next) => async (args) => {
        const i = args.input as { UploadId?: string };
        if (i.UploadId === "aborted-by-lifecycle") throw Object.assign(new Error("The specified upload does not exist."), { name: "NoSuchUpload", $metadata: { httpStatusCode: 404 } });
        return next(args);
      },
      { step: "initialize", name: "abortedUpload" },
    );
    const r = await publishRelease(c, dir, loc, { concurrency: 1, stateDir: state, partBytes: 5 * 1024 * 1024 });
    assert.equal(r.partsSent, 3);
    assert.ok(r.uploaded.includes(big.path));
  });

  it("keeps at most --concurrency uploads in flight, single PUTs and parts together", async () => {
    const c = s3.client();
    let active = 0;
    let peak = 0;
    c.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "PutObjectCommand" && context.commandName !== "UploadPartCommand") return next(args);
        peak = Math.max(peak, ++active);
        try {
          return await next(args);
        } finally {
          active--;
        }
      },
      { step: "initialize", name: "inFlight" },
    );
    await publishRelease(c, dir, { bucket: BUCKET, prefix: "mistral/v6/" }, { concurrency: 2, stateDir: state, partBytes: 5 * 1024 * 1024 });
    assert.ok(peak <= 2, `peak ${peak}`);
    assert.equal(peak, 2, "and does use the concurrency it is given");
  });

  it("refuses a directory whose local manifest no longer matches its files", async () => {
    const d = await tempDir("publish-stale");
    try {
      await writeShardedModel(d);
      assert.equal((await runModelsCli(["manifest", d], { out: () => undefined, err: () => undefined })), 0);
      await fs.appendFile(path.join(d, "config.json"), " ");
      await assert.rejects(
        publishRelease(s3.client(), d, { bucket: BUCKET, prefix: "stale/v1/" }, { stateDir: state }),
        /is incomplete; nothing uploaded:\nconfig\.json: \d+ bytes but model-vault\.manifest\.json says \d+/,
      );
    } finally {
      await fs.rm(d, { recursive: true, force: true });
    }
  });

  it("refuses to replace a file already under the prefix with other content", async () => {
    await s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: "mistral/v4/config.json", Body: "{}", Metadata: { sha256: "0".repeat(64) } }));
    await assert.rejects(
      publishRelease(s3.client(), dir, { bucket: BUCKET, prefix: "mistral/v4/" }, { stateDir: state, partBytes: 5 * 1024 * 1024 }),
      /^PublishError: s3:\/\/publish-test\/mistral\/v4\/config\.json already exists with other content: a published file is never replaced/,
    );
  });

  it("every object write asks S3 for If-None-Match and carries a SHA-256 checksum", async () => {
    const c = s3.client();
    const seen: { command: string; ifNoneMatch?: string; checksum?: string; algorithm?: string }[] = [];
    c.middlewareStack.add(
      (next, context) => async (args) => {
        const i = args.input as { IfNoneMatch?: string; ChecksumSHA256?: string; ChecksumAlgorithm?: string };
        seen.push({ command: context.commandName ?? "", ifNoneMatch: i.IfNoneMatch, checksum: i.ChecksumSHA256, algorithm: i.ChecksumAlgorithm });
        return next(args);
      },
      { step: "initialize", name: "inspect" },
    );
    await publishRelease(c, dir, { bucket: BUCKET, prefix: "mistral/v2/" }, { stateDir: state, partBytes: 5 * 1024 * 1024 });
    for (const x of seen.filter((s) => s.command === "PutObjectCommand" || s.command === "CompleteMultipartUploadCommand")) assert.equal(x.ifNoneMatch, "*", x.command);
    for (const x of seen.filter((s) => s.command === "PutObjectCommand" || s.command === "UploadPartCommand")) assert.match(x.checksum ?? "", /^[A-Za-z0-9+/]{43}=$/, x.command);
    for (const x of seen.filter((s) => s.command === "CreateMultipartUploadCommand")) assert.equal(x.algorithm, "SHA256");
  });

  it("refuses to publish over a published release, in one line", async () => {
    const err: string[] = [];
    const code = await runModelsCli(["publish", dir, "s3://publish-test/mistral/v1/"], { out: () => undefined, err: (l) => err.push(l), s3: s3.client, publishStateDir: state });
    assert.equal(code, 1);
    assert.deepEqual(err, [`s3://publish-test/mistral/v1/ is already published (its ${MANIFEST_FILE} exists): publish a new version prefix instead`]);
  });

  it("refuses an incomplete local release before uploading anything", async () => {
    const broken = await tempDir("publish-broken");
    try {
      await writeShardedModel(broken);
      await fs.rm(path.join(broken, "config.json"));
      s3.sent.length = 0;
      const err: string[] = [];
      const code = await runModelsCli(["publish", broken, "s3://publish-test/broken/"], { out: () => undefined, err: (l) => err.push(l), s3: s3.client, publishStateDir: state });
      assert.equal(code, 1);
      assert.match(err.join("\n"), /is incomplete; nothing uploaded:\nconfig\.json: missing/);
      assert.equal(s3.sent.length, 0);
    } finally {
      await fs.rm(broken, { recursive: true, force: true });
    }
  });

  it("bad targets are one line, exit 2", async () => {
    const run = async (...argv: string[]) => {
      const err: string[] = [];
      const code = await runModelsCli(argv, { out: () => undefined, err: (l) => err.push(l), s3: s3.client });
      return [code, err];
    };
    assert.deepEqual(await run("publish", dir, "gs://bucket/x/"), [2, ["gs://bucket/x/ is not an S3 URL: expected s3://BUCKET/PREFIX/"]]);
    assert.deepEqual(await run("publish", "/nope", "s3://publish-test/x/"), [2, ["/nope: no such directory"]]);
    assert.deepEqual(await run("publish", dir, "s3://publish-test/x/", "--concurrency", "0"), [2, ["--concurrency: expected a whole number 1-64, got 0"]]);
  });

  it("draws a progress line", () => {
    assert.equal(formatProgress({ bytesDone: 5e9, bytesTotal: 1e10, filesDone: 1, filesTotal: 4, bytesSkipped: 2e9 }, 10), "[#####-----] 50% 5.0 GB/10.0 GB, files 1/4, 2.0 GB already there");
  });
});
