// The release verifier: is this model directory complete enough to load? Pure: it reads through a
// ReleaseSource (local directory or S3 prefix) and only ever asks for JSON files and safetensors headers.
import { checkHeader, headerLength, type ParsedHeader } from "./safetensors";
import { CONFIG_FILE, MANIFEST_FILE, TOKENIZER_FILES, isPytorchBin, isPytorchIndex, isSafetensors, isSafetensorsIndex, isWeights, seriesMember, seriesName } from "./layout";
import { checkAgainstManifest, parseManifest } from "./manifest";
import type { Problem, ReleaseFile, ReleaseSource } from "./source";

/** One ranged read usually covers a whole header (a 7B shard's is ~20-40 KB): a second is made only when it does not. */
const FIRST_READ_BYTES = 64 * 1024;
/** JSON side files (config, index, manifest) larger than this are refused rather than read. */
const MAX_JSON_BYTES = 64 * 1024 * 1024;
const HEADER_CONCURRENCY = 16;

export class NotAModelError extends Error {}

export interface VerifyOptions {
  /** Compare stored/recomputed checksums with the manifest (S3: HeadObject's ChecksumSHA256; local: a full read). */
  checksums?: boolean;
}

export interface VerifyResult {
  problems: Problem[];
  files: number;
  shardsChecked: number;
  manifest: boolean;
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function readJson(src: ReleaseSource, f: ReleaseFile): Promise<{ value?: unknown; problem?: string; bytes?: Uint8Array }> {
  if (f.size > MAX_JSON_BYTES) return { problem: `${f.size} bytes: larger than ${MAX_JSON_BYTES} for a JSON file` };
  const bytes = await src.read(f.path, 0, f.size);
  try {
    return { value: JSON.parse(Buffer.from(bytes).toString("utf8")), bytes };
  } catch (e) {
    return { problem: `not valid JSON (${e instanceof Error ? e.message : String(e)})`, bytes };
  }
}

/** Reads and checks one safetensors header with one ranged read (two for a very large header). */
export async function readSafetensorsHeader(src: ReleaseSource, f: ReleaseFile): Promise<{ header?: ParsedHeader; problems: string[] }> {
  const first = await src.read(f.path, 0, Math.min(f.size, FIRST_READ_BYTES));
  const n = headerLength(first, f.size);
  if (typeof n === "string") return { problems: [n] };
  const json = n + 8 <= first.length ? first.subarray(8, 8 + n) : await src.read(f.path, 8, 8 + n);
  if (json.length < n) return { problems: [`truncated: header of ${n} bytes, ${json.length} readable`] };
  return checkHeader(json, f.size);
}

/** Every shard of a `-0000N-of-0000M` series present, and every series agreeing on M. */
function checkSeries(files: ReleaseFile[]): Problem[] {
  const problems: Problem[] = [];
  const groups = new Map<string, { stem: string; ext: string; totals: Set<number>; have: Set<number>; width: number }>();
  for (const f of files) {
    const m = seriesMember(f.path);
    if (!m) continue;
    const key = `${m.stem}\0${m.ext}`;
    const g = groups.get(key) ?? { stem: m.stem, ext: m.ext, totals: new Set(), have: new Set(), width: m.width };
    g.totals.add(m.total);
    g.have.add(m.index);
    groups.set(key, g);
  }
  for (const g of groups.values()) {
    if (g.totals.size > 1) {
      problems.push({ file: `${g.stem}-*.${g.ext}`, message: `shards disagree on the series length (${[...g.totals].sort((a, b) => a - b).join(", ")})` });
      continue;
    }
    const total = [...g.totals][0];
    for (let i = 1; i <= total; i++)
      if (!g.have.has(i)) problems.push({ file: seriesName(g.stem, i, total, g.ext, g.width), message: `missing: shard ${i} of ${total}` });
    for (const i of g.have) if (i < 1 || i > total) problems.push({ file: seriesName(g.stem, i, total, g.ext, g.width), message: `shard number outside 1..${total}` });
  }
  return problems;
}

interface IndexDoc {
  weightMap: Map<string, string>;
  totalSize?: number;
}

function parseIndex(value: unknown): IndexDoc | string {
  const v = value as { metadata?: { total_size?: unknown }; weight_map?: unknown } | null;
  if (typeof v !== "object" || v === null || typeof v.weight_map !== "object" || v.weight_map === null || Array.isArray(v.weight_map))
    return "no weight_map object";
  const entries = Object.entries(v.weight_map as Record<string, unknown>);
  const bad = entries.filter(([, s]) => typeof s !== "string" || s.includes("..") || s.startsWith("/"));
  if (bad.length) return `weight_map entry ${bad[0][0]} names no valid shard file`;
  const ts = v.metadata?.total_size;
  return { weightMap: new Map(entries as [string, string][]), totalSize: typeof ts === "number" ? ts : undefined };
}

const dirOf = (p: string) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/") + 1) : "");

/** Checks a release. Throws NotAModelError when the source holds neither a config.json nor any weights. */
export async function verifyRelease(src: ReleaseSource, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const files = (await src.list()).sort((a, b) => a.path.localeCompare(b.path));
  const byPath = new Map(files.map((f) => [f.path, f]));
  if (!byPath.has(CONFIG_FILE) && !files.some((f) => isWeights(f.path)))
    throw new NotAModelError(`${src.label} is not a model directory: no ${CONFIG_FILE} and no *.safetensors or pytorch_model*.bin files`);
  const problems: Problem[] = [];

  const config = byPath.get(CONFIG_FILE);
  if (!config) problems.push({ file: CONFIG_FILE, message: "missing" });
  else {
    const r = await readJson(src, config);
    if (r.problem) problems.push({ file: CONFIG_FILE, message: r.problem });
    else if (typeof r.value !== "object" || r.value === null || Array.isArray(r.value)) problems.push({ file: CONFIG_FILE, message: "not a JSON object" });
  }
  if (!TOKENIZER_FILES.some((t) => byPath.has(t))) problems.push({ file: TOKENIZER_FILES.join(" | "), message: "missing: no tokenizer" });
  if (!files.some((f) => isWeights(f.path))) problems.push({ file: "*.safetensors | pytorch_model*.bin", message: "missing: no weights" });
  problems.push(...checkSeries(files));

  // Every safetensors file's header, whether or not an index names it.
  const shards = files.filter((f) => isSafetensors(f.path));
  const headers = new Map<string, ParsedHeader>();
  const checked = await mapLimit(shards, HEADER_CONCURRENCY, async (f) => ({ f, r: await readSafetensorsHeader(src, f) }));
  for (const { f, r } of checked) {
    for (const m of r.problems) problems.push({ file: f.path, message: m });
    if (r.header && r.problems.length === 0) headers.set(f.path, r.header);
  }

  // Indexes: every shard they name present; for safetensors, every tensor in the shard named and total_size right.
  for (const idx of files.filter((f) => isSafetensorsIndex(f.path) || isPytorchIndex(f.path))) {
    const r = await readJson(src, idx);
    if (r.problem) {
      problems.push({ file: idx.path, message: r.problem });
      continue;
    }
    const doc = parseIndex(r.value);
    if (typeof doc === "string") {
      problems.push({ file: idx.path, message: doc });
      continue;
    }
    const dir = dirOf(idx.path);
    const named = [...new Set(doc.weightMap.values())].map((s) => dir + s);
    const missing = named.filter((s) => !byPath.has(s));
    for (const s of missing) if (!problems.some((p) => p.file === s)) problems.push({ file: s, message: `missing: named by ${idx.path}` });
    if (!isSafetensorsIndex(idx.path)) continue;
    const tensorsOf = new Map<string, Set<string>>();
    for (const [tensor, shard] of doc.weightMap) {
      const h = headers.get(dir + shard);
      if (!h) continue;
      const names = tensorsOf.get(shard) ?? new Set(h.tensors.map((t) => t.name));
      tensorsOf.set(shard, names);
      if (!names.has(tensor)) problems.push({ file: dir + shard, message: `lacks tensor ${tensor} that ${idx.path} places in it` });
    }
    if (doc.totalSize === undefined) problems.push({ file: idx.path, message: "metadata.total_size missing or not a number" });
    else if (named.every((s) => headers.has(s))) {
      const sum = named.reduce((a, s) => a + (headers.get(s) as ParsedHeader).dataBytes, 0);
      if (sum !== doc.totalSize) problems.push({ file: idx.path, message: `metadata.total_size ${doc.totalSize} but its shards hold ${sum} bytes of tensors` });
    }
  }

  // PyTorch weights cannot be parsed without unpickling; their first bytes still tell a checkpoint from junk.
  for (const f of files.filter((x) => isPytorchBin(x.path))) {
    const head = await src.read(f.path, 0, Math.min(f.size, 4));
    const zip = head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
    const legacyPickle = head.length > 0 && head[0] === 0x80;
    if (!zip && !legacyPickle) problems.push({ file: f.path, message: "not a PyTorch checkpoint (neither a zip archive nor a pickle)" });
  }

  const manifestFile = byPath.get(MANIFEST_FILE);
  if (manifestFile) {
    const parsed = parseManifest(await src.read(MANIFEST_FILE, 0, Math.min(manifestFile.size, MAX_JSON_BYTES)));
    problems.push(...parsed.problems);
    if (parsed.manifest) {
      const checksum = opts.checksums && src.storedChecksum ? src.storedChecksum.bind(src) : undefined;
      problems.push(...(await checkAgainstManifest(parsed.manifest, files, checksum)));
    }
  }
  return { problems, files: files.length, shardsChecked: shards.length, manifest: Boolean(manifestFile) };
}
