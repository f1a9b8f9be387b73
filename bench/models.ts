// The verifier on a 7B-like layout (Mistral-7B's 291 tensors over 30 safetensors shards, sparse files):
// median time to read and check every header and the index, from a local directory and from an S3
// prefix on s3rver (127.0.0.1; the recorded ranged GETs show that no shard is read whole).
import { promises as fs } from "node:fs";
import { LocalSource } from "../models/local-source";
import { S3Source } from "../models/s3-source";
import { verifyRelease } from "../models/verify";
import { tempDir, write7bLikeModel } from "../tests/support/model-dir";
import { startLocalS3, uploadDir } from "../tests/support/s3-server";

export interface ModelsBenchResult {
  shards: number;
  localMedianMs: number;
  s3MedianMs: number;
  s3BytesPerShard: number;
}

async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    ms.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)];
}

export async function benchModels(opts: { shards?: number; runs?: number } = {}): Promise<ModelsBenchResult> {
  const shards = opts.shards ?? 30;
  const runs = opts.runs ?? 15;
  const dir = await tempDir("bench-7b");
  const s3 = await startLocalS3(["bench"]);
  try {
    await write7bLikeModel(dir, shards);
    const local = new LocalSource(dir);
    const check = async (src: LocalSource | S3Source) => {
      const r = await verifyRelease(src);
      if (r.problems.length || r.shardsChecked !== shards) throw new Error(`bench layout did not verify: ${JSON.stringify(r.problems.slice(0, 3))}`);
    };
    const localMedianMs = await median(runs, () => check(local));
    // Uploading 14 GB of holes to s3rver is not a bench: it gets each shard's first 256 KiB (the real
    // header and some data) instead. The verifier then reports those shards truncated, as it should;
    // what is timed is the same listing + one ranged GET per header a real 7B release costs.
    const f = fs;
    for (const name of await f.readdir(dir)) {
      if (!name.endsWith(".safetensors")) continue;
      const head = Buffer.alloc(256 * 1024);
      const fh = await f.open(`${dir}/${name}`, "r");
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      await fh.close();
      await f.writeFile(`${dir}/${name}`, head.subarray(0, bytesRead));
    }
    const client = s3.client();
    await uploadDir(client, "bench", "mistral-7b/", dir);
    const remote = new S3Source(client, { bucket: "bench", prefix: "mistral-7b/" });
    s3.sent.length = 0;
    const s3MedianMs = await median(runs, () => verifyRelease(remote));
    const gets = s3.sent.filter((x) => x.command === "GetObjectCommand" && x.key?.endsWith(".safetensors"));
    const bytes = gets.reduce((a, g) => a + (Number(/-(\d+)$/.exec(g.range ?? "")?.[1] ?? 0) + 1), 0) / gets.length;
    const result = { shards, localMedianMs, s3MedianMs, s3BytesPerShard: Math.round(bytes) };
    console.log(
      `models  verify a 7B-like release (${shards} shards, 291 tensors): local median ${localMedianMs.toFixed(1)} ms; ` +
        `S3 (s3rver, ranged GETs) median ${s3MedianMs.toFixed(1)} ms, ≤ ${result.s3BytesPerShard} bytes requested per shard`,
    );
    return result;
  } finally {
    await s3.close();
    await fs.rm(dir, { recursive: true, force: true });
  }
}
