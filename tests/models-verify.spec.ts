// The release verifier on generated directories: a complete release passes; each defect a serving team
// meets (missing shard or config, truncated shard, corrupt header, overlapping offsets, a tensor the
// index misplaces) is one line naming the file, exit 1; bad input is one line, exit 2.
import { strict as assert } from "node:assert";
import { promises as fs } from "node:fs";
import * as path from "node:path";
import { runModelsCli } from "../models/cli";
import { LocalSource } from "../models/local-source";
import { verifyRelease } from "../models/verify";
import { MANIFEST_FILE } from "../models/layout";
import { tempDir, writeSafetensors, writeShardedModel } from "./support/model-dir";

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runModelsCli(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** Writes a safetensors file whose header JSON is given verbatim, followed by `dataBytes` zero bytes. */
async function rawSafetensors(file: string, header: unknown, dataBytes: number): Promise<void> {
  const json = Buffer.from(typeof header === "string" ? header : JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  await fs.writeFile(file, Buffer.concat([len, json, Buffer.alloc(dataBytes)]));
}

const SHARD1 = "model-00001-of-00002.safetensors";
const SHARD2 = "model-00002-of-00002.safetensors";

describe("models verify: local directories", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir("verify");
    await writeShardedModel(dir);
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it("passes a complete sharded release (exit 0)", async () => {
    const r = await cli("verify", dir);
    assert.equal(r.code, 0, r.out.join("\n"));
    assert.match(r.out.at(-1) ?? "", /complete \(\d+ files, 2 safetensors headers checked/);
  });

  const defects: [string, (d: string) => Promise<void>, RegExp][] = [
    ["a missing shard", (d) => fs.rm(path.join(d, SHARD2)), /^model-00002-of-00002\.safetensors: missing: shard 2 of 2$/],
    ["a missing config.json", (d) => fs.rm(path.join(d, "config.json")), /^config\.json: missing$/],
    ["an invalid config.json", (d) => fs.writeFile(path.join(d, "config.json"), "{ nope"), /^config\.json: not valid JSON/],
    ["no tokenizer", (d) => fs.rm(path.join(d, "tokenizer.json")), /^tokenizer\.json \| tokenizer\.model: missing: no tokenizer$/],
    ["a truncated shard", async (d) => fs.truncate(path.join(d, SHARD1), (await fs.stat(path.join(d, SHARD1))).size - 10), /^model-00001-of-00002\.safetensors: truncated: tensors need 192 data bytes but the file holds 182/],
    ["a shard cut inside its header", (d) => fs.truncate(path.join(d, SHARD1), 20), /^model-00001-of-00002\.safetensors: truncated: header length \d+ runs past the end of the file \(20 bytes\)$/],
    ["a corrupt header (not JSON)", (d) => rawSafetensors(path.join(d, SHARD1), "{ not json", 0), /^model-00001-of-00002\.safetensors: corrupt header: not UTF-8 JSON/],
    [
      "a header length beyond any real header",
      async (d) => {
        const fh = await fs.open(path.join(d, SHARD1), "r+");
        const b = Buffer.alloc(8);
        b.writeBigUInt64LE(2n ** 40n);
        await fh.write(b, 0, 8, 0);
        await fh.close();
      },
      /^model-00001-of-00002\.safetensors: corrupt header: declared header length 1099511627776 exceeds/,
    ],
    [
      "overlapping offsets",
      (d) =>
        rawSafetensors(
          path.join(d, SHARD1),
          {
            "model.layers.1.w0.weight": { dtype: "F16", shape: [8, 4], data_offsets: [0, 64] },
            "model.layers.1.w1.weight": { dtype: "F16", shape: [8, 4], data_offsets: [32, 96] },
            "model.layers.1.w2.weight": { dtype: "F16", shape: [8, 4], data_offsets: [96, 160] },
          },
          160,
        ),
      /^model-00001-of-00002\.safetensors: tensor model\.layers\.1\.w1\.weight: data_offsets \[32, 96\] overlap the previous tensor/,
    ],
    [
      "a tensor whose bytes do not match shape × dtype",
      (d) => rawSafetensors(path.join(d, SHARD1), { "model.layers.1.w0.weight": { dtype: "F32", shape: [8, 4], data_offsets: [0, 64] } }, 64),
      /^model-00001-of-00002\.safetensors: tensor model\.layers\.1\.w0\.weight: 64 bytes but shape \[8, 4\] × F32 needs 128$/,
    ],
    [
      "an index naming a tensor the shard lacks",
      (d) => writeSafetensors(path.join(d, SHARD2), [{ name: "model.layers.2.w0.weight", dtype: "F16", shape: [8, 4] }, { name: "model.layers.2.w1.weight", dtype: "F16", shape: [8, 4] }, { name: "other", dtype: "F16", shape: [8, 4] }]).then(() => undefined),
      /^model-00002-of-00002\.safetensors: lacks tensor model\.layers\.2\.w2\.weight that model\.safetensors\.index\.json places in it$/,
    ],
    [
      "an inconsistent total_size",
      async (d) => {
        const p = path.join(d, "model.safetensors.index.json");
        const idx = JSON.parse(await fs.readFile(p, "utf8"));
        idx.metadata.total_size += 2;
        await fs.writeFile(p, JSON.stringify(idx));
      },
      /^model\.safetensors\.index\.json: metadata\.total_size 386 but its shards hold 384 bytes of tensors$/,
    ],
    [
      "an index naming a shard that is absent (no series)",
      async (d) => {
        const p = path.join(d, "model.safetensors.index.json");
        const idx = JSON.parse(await fs.readFile(p, "utf8"));
        idx.weight_map["extra.weight"] = "extra.safetensors";
        await fs.writeFile(p, JSON.stringify(idx));
      },
      /^extra\.safetensors: missing: named by model\.safetensors\.index\.json$/,
    ],
  ];
  for (const [what, breakIt, expected] of defects) {
    it(`reports ${what}: one line naming the file, exit 1`, async () => {
      await breakIt(dir);
      const r = await cli("verify", dir);
      assert.equal(r.code, 1);
      assert.ok(r.out.some((l) => expected.test(l)), `expected ${expected} in:\n${r.out.join("\n")}`);
      assert.match(r.err.join("\n"), /incomplete, \d+ problem/);
    });
  }

  it("reports every problem at once", async () => {
    await fs.rm(path.join(dir, "config.json"));
    await fs.rm(path.join(dir, SHARD2));
    const r = await verifyRelease(new LocalSource(dir));
    assert.deepEqual(r.problems.map((p) => p.file).sort(), ["config.json", SHARD2].sort());
  });

  it("handles a single-file model.safetensors", async () => {
    const d = await tempDir("single");
    try {
      await fs.writeFile(path.join(d, "config.json"), "{}");
      await fs.writeFile(path.join(d, "tokenizer.model"), "x");
      await writeSafetensors(path.join(d, "model.safetensors"), [{ name: "w", dtype: "BF16", shape: [16, 16] }]);
      assert.equal((await cli("verify", d)).code, 0);
      await fs.truncate(path.join(d, "model.safetensors"), 100);
      const r = await cli("verify", d);
      assert.equal(r.code, 1);
      assert.match(r.out[0], /^model\.safetensors: truncated/);
    } finally {
      await fs.rm(d, { recursive: true, force: true });
    }
  });

  it("handles pytorch_model*.bin shards with their index", async () => {
    const d = await tempDir("pt");
    try {
      await fs.writeFile(path.join(d, "config.json"), "{}");
      await fs.writeFile(path.join(d, "tokenizer.json"), "{}");
      const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]);
      await fs.writeFile(path.join(d, "pytorch_model-00001-of-00002.bin"), zip);
      await fs.writeFile(path.join(d, "pytorch_model-00002-of-00002.bin"), zip);
      await fs.writeFile(path.join(d, "pytorch_model.bin.index.json"), JSON.stringify({ metadata: { total_size: 12 }, weight_map: { a: "pytorch_model-00001-of-00002.bin", b: "pytorch_model-00002-of-00002.bin" } }));
      assert.equal((await cli("verify", d)).code, 0);
      await fs.writeFile(path.join(d, "pytorch_model-00002-of-00002.bin"), "<html>AccessDenied</html>");
      await fs.rm(path.join(d, "pytorch_model-00001-of-00002.bin"));
      const r = await cli("verify", d);
      assert.equal(r.code, 1);
      assert.deepEqual(r.out.sort(), [
        "pytorch_model-00001-of-00002.bin: missing: shard 1 of 2",
        "pytorch_model-00002-of-00002.bin: not a PyTorch checkpoint (neither a zip archive nor a pickle)",
      ]);
    } finally {
      await fs.rm(d, { recursive: true, force: true });
    }
  });
});

describe("models verify: bad input is one clear line, exit 2", () => {
  it("a directory that is not a model", async () => {
    const d = await tempDir("empty");
    await fs.writeFile(path.join(d, "README.md"), "hi");
    const r = await cli("verify", d);
    await fs.rm(d, { recursive: true, force: true });
    assert.equal(r.code, 2);
    assert.equal(r.err.length, 1);
    assert.match(r.err[0], /is not a model directory: no config\.json and no \*\.safetensors/);
  });
  it("a path that does not exist", async () => {
    const r = await cli("verify", "/nonexistent/model");
    assert.deepEqual([r.code, r.err], [2, ["/nonexistent/model: no such directory"]]);
  });
  it("a URL that is not S3", async () => {
    const r = await cli("verify", "https://example.com/model/");
    assert.deepEqual([r.code, r.err], [2, ["https://example.com/model/ is not an S3 URL: expected s3://BUCKET/PREFIX/"]]);
  });
  it("a missing argument", async () => {
    const r = await cli("verify");
    assert.equal(r.code, 2);
    assert.match(r.err.join(""), /missing required argument 'target'/);
  });
});

describe("models manifest", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir("manifest");
    await writeShardedModel(dir);
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  it("writes a schema-valid manifest that verify then checks", async () => {
    const w = await cli("manifest", dir);
    assert.equal(w.code, 0, w.err.join("\n"));
    const m = JSON.parse(await fs.readFile(path.join(dir, MANIFEST_FILE), "utf8"));
    assert.equal(m.files.length, 6);
    assert.ok(m.files.every((f: { sha256: string; s3ChecksumSHA256: string }) => /^[0-9a-f]{64}$/.test(f.sha256) && !f.s3ChecksumSHA256.includes("-")));
    const v = await cli("verify", "--checksums", dir);
    assert.equal(v.code, 0, v.out.join("\n"));
    assert.match(v.out.at(-1) ?? "", /manifest matched/);
  });

  it("catches a file changed, resized or added after the manifest", async () => {
    await cli("manifest", dir);
    await fs.writeFile(path.join(dir, "generation_config.json"), "[]"); // same size, other bytes
    await fs.appendFile(path.join(dir, "tokenizer.json"), " ");
    await fs.writeFile(path.join(dir, "stray.txt"), "x");
    const r = await cli("verify", "--checksums", dir);
    assert.equal(r.code, 1);
    const lines = r.out.join("\n");
    assert.match(lines, /^generation_config\.json: SHA-256 [0-9a-f]{64} differs from model-vault\.manifest\.json/m);
    assert.match(lines, /^tokenizer\.json: 18 bytes but model-vault\.manifest\.json says 17$/m);
    assert.match(lines, /^stray\.txt: not listed in model-vault\.manifest\.json$/m);
  });

  it("refuses a manifest that breaks the schema, naming each key", async () => {
    await fs.writeFile(path.join(dir, MANIFEST_FILE), JSON.stringify({ format: "model-vault.release/1", createdAt: "yesterday", partSize: 0, files: [{ path: "../x", size: -1, sha256: "z", s3ChecksumSHA256: "" }] }));
    const r = await cli("verify", dir);
    assert.equal(r.code, 1);
    for (const key of ["createdAt", "partSize", "files.0.path", "files.0.size", "files.0.sha256", "files.0.s3ChecksumSHA256"])
      assert.ok(r.out.some((l) => l.startsWith(`${MANIFEST_FILE}: ${key}:`)), `${key} in ${r.out.join("\n")}`);
  });

  it("writes no manifest for an incomplete release", async () => {
    await fs.rm(path.join(dir, SHARD1));
    const r = await cli("manifest", dir);
    assert.equal(r.code, 1);
    await assert.rejects(fs.stat(path.join(dir, MANIFEST_FILE)));
  });
});
