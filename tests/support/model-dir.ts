// Generated Hugging Face model directories for the verifier's tests and bench: real headers, zero data.
import { promises as fs } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DTYPE_BYTES } from "../../models/safetensors";

export interface TensorSpec {
  name: string;
  dtype: string;
  shape: number[];
}

/** The bytes of a safetensors file's length prefix and header, and the data size it declares. */
export function safetensorsHeader(tensors: TensorSpec[]): { head: Buffer; dataBytes: number } {
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let offset = 0;
  for (const t of tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1) * DTYPE_BYTES[t.dtype];
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + n] };
    offset += n;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return { head: Buffer.concat([len, json]), dataBytes: offset };
}

/** Writes a safetensors file; its data is a hole (sparse) so a 7B layout costs no disk. */
export async function writeSafetensors(file: string, tensors: TensorSpec[]): Promise<number> {
  const { head, dataBytes } = safetensorsHeader(tensors);
  await fs.writeFile(file, head);
  await fs.truncate(file, head.length + dataBytes);
  return dataBytes;
}

/** A small sharded model: `shards` files of `perShard` F16 tensors, an index, config and tokenizer. */
export async function writeShardedModel(dir: string, shards = 2, perShard = 3, dims: [number, number] = [8, 4]): Promise<{ tensors: Map<string, string> }> {
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "config.json"), JSON.stringify({ model_type: "mistral", hidden_size: dims[0] }));
  await fs.writeFile(path.join(dir, "tokenizer.json"), JSON.stringify({ version: "1.0" }));
  await fs.writeFile(path.join(dir, "generation_config.json"), "{}");
  const weightMap = new Map<string, string>();
  let total = 0;
  const pad = (n: number) => String(n).padStart(5, "0");
  for (let s = 1; s <= shards; s++) {
    const file = `model-${pad(s)}-of-${pad(shards)}.safetensors`;
    const tensors = Array.from({ length: perShard }, (_, i) => ({ name: `model.layers.${s}.w${i}.weight`, dtype: "F16", shape: dims }));
    total += await writeSafetensors(path.join(dir, file), tensors);
    for (const t of tensors) weightMap.set(t.name, file);
  }
  await fs.writeFile(
    path.join(dir, "model.safetensors.index.json"),
    JSON.stringify({ metadata: { total_size: total }, weight_map: Object.fromEntries(weightMap) }, null, 2),
  );
  return { tensors: weightMap };
}

/** Mistral-7B's shapes (32 layers, hidden 4096, MLP 14336, vocab 32000, GQA 8 KV heads) over `shards` shards. */
export async function write7bLikeModel(dir: string, shards = 30): Promise<void> {
  const h = 4096, mlp = 14336, kv = 1024, vocab = 32000;
  const all: TensorSpec[] = [{ name: "model.embed_tokens.weight", dtype: "BF16", shape: [vocab, h] }];
  for (let l = 0; l < 32; l++) {
    const p = `model.layers.${l}`;
    all.push(
      { name: `${p}.self_attn.q_proj.weight`, dtype: "BF16", shape: [h, h] },
      { name: `${p}.self_attn.k_proj.weight`, dtype: "BF16", shape: [kv, h] },
      { name: `${p}.self_attn.v_proj.weight`, dtype: "BF16", shape: [kv, h] },
      { name: `${p}.self_attn.o_proj.weight`, dtype: "BF16", shape: [h, h] },
      { name: `${p}.mlp.gate_proj.weight`, dtype: "BF16", shape: [mlp, h] },
      { name: `${p}.mlp.up_proj.weight`, dtype: "BF16", shape: [mlp, h] },
      { name: `${p}.mlp.down_proj.weight`, dtype: "BF16", shape: [h, mlp] },
      { name: `${p}.input_layernorm.weight`, dtype: "BF16", shape: [h] },
      { name: `${p}.post_attention_layernorm.weight`, dtype: "BF16", shape: [h] },
    );
  }
  all.push({ name: "model.norm.weight", dtype: "BF16", shape: [h] }, { name: "lm_head.weight", dtype: "BF16", shape: [vocab, h] });
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, "config.json"), JSON.stringify({ model_type: "mistral" }));
  await fs.writeFile(path.join(dir, "tokenizer.model"), Buffer.from([0x0a, 0x00]));
  const pad = (n: number) => String(n).padStart(5, "0");
  const per = Math.ceil(all.length / shards);
  const weightMap: Record<string, string> = {};
  let total = 0;
  for (let s = 0; s < shards; s++) {
    const file = `model-${pad(s + 1)}-of-${pad(shards)}.safetensors`;
    const part = all.slice(s * per, (s + 1) * per);
    total += await writeSafetensors(path.join(dir, file), part);
    for (const t of part) weightMap[t.name] = file;
  }
  await fs.writeFile(path.join(dir, "model.safetensors.index.json"), JSON.stringify({ metadata: { total_size: total }, weight_map: weightMap }));
}

export async function tempDir(tag: string): Promise<string> {
  return fs.mkdtemp(path.join(os.tmpdir(), `model-vault-${tag}-`));
}
