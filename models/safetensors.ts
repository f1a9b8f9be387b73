// The safetensors format (https://github.com/huggingface/safetensors#format): an 8-byte little-endian
// header length N, N bytes of JSON { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: {..} },
// then the data buffer. Offsets are relative to the start of the data buffer. Pure.

/** Bytes per element of each dtype the format defines (sub-byte float types are packed and left out). */
export const DTYPE_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8,
  C64: 8,
};

/** The reference implementation refuses headers above 100 MB: so do we, before reading them. */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorInfo {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

export interface ParsedHeader {
  headerLength: number;
  tensors: TensorInfo[];
  /** Bytes of the data buffer the header describes. */
  dataBytes: number;
}

/** Reads the header length from the first 8 bytes; a message when it cannot be a header. */
export function headerLength(first8: Uint8Array, fileSize: number): number | string {
  if (first8.length < 8 || fileSize < 8) return `truncated: ${fileSize} bytes, shorter than the 8-byte header length`;
  const n = new DataView(first8.buffer, first8.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) return `corrupt header: declared header length ${n} exceeds ${MAX_HEADER_BYTES} bytes`;
  if (Number(n) + 8 > fileSize) return `truncated: header length ${n} runs past the end of the file (${fileSize} bytes)`;
  return Number(n);
}

const isIndex = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x) && x >= 0;

/**
 * Checks a header (the JSON bytes after the 8-byte length) against the file's size.
 * Returns the tensors and every problem found (empty when the file is well-formed).
 */
export function checkHeader(json: Uint8Array, fileSize: number): { header?: ParsedHeader; problems: string[] } {
  const problems: string[] = [];
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
  } catch (e) {
    return { problems: [`corrupt header: not UTF-8 JSON (${e instanceof Error ? e.message : String(e)})`] };
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) return { problems: ["corrupt header: the JSON header is not an object"] };
  const tensors: TensorInfo[] = [];
  for (const [name, v] of Object.entries(doc as Record<string, unknown>)) {
    if (name === "__metadata__") continue;
    const t = v as { dtype?: unknown; shape?: unknown; data_offsets?: unknown } | null;
    if (typeof t !== "object" || t === null) {
      problems.push(`corrupt header: tensor ${name} is not an object`);
      continue;
    }
    const size = typeof t.dtype === "string" ? DTYPE_BYTES[t.dtype] : undefined;
    const shape = Array.isArray(t.shape) && t.shape.every(isIndex) ? (t.shape as number[]) : undefined;
    const offs = Array.isArray(t.data_offsets) && t.data_offsets.length === 2 && t.data_offsets.every(isIndex) ? (t.data_offsets as number[]) : undefined;
    if (size === undefined) problems.push(`corrupt header: tensor ${name} has unknown dtype ${JSON.stringify(t.dtype)}`);
    if (!shape) problems.push(`corrupt header: tensor ${name} has no valid shape`);
    if (!offs) problems.push(`corrupt header: tensor ${name} has no valid data_offsets [begin, end]`);
    if (size === undefined || !shape || !offs) continue;
    const [begin, end] = offs;
    if (end < begin) {
      problems.push(`corrupt header: tensor ${name} ends (${end}) before it begins (${begin})`);
      continue;
    }
    const expected = shape.reduce((a, b) => a * b, 1) * size;
    if (end - begin !== expected) problems.push(`tensor ${name}: ${end - begin} bytes but shape [${shape.join(", ")}] × ${t.dtype} needs ${expected}`);
    tensors.push({ name, dtype: t.dtype as string, shape, begin, end });
  }
  const headerLength = json.length;
  const dataBytes = fileSize - 8 - headerLength;
  tensors.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const t of tensors) {
    if (t.begin < cursor) problems.push(`tensor ${t.name}: data_offsets [${t.begin}, ${t.end}] overlap the previous tensor (ending at ${cursor})`);
    else if (t.begin > cursor) problems.push(`tensor ${t.name}: a gap of ${t.begin - cursor} bytes before it (data_offsets not contiguous)`);
    cursor = Math.max(cursor, t.end);
  }
  if (cursor > dataBytes) problems.push(`truncated: tensors need ${cursor} data bytes but the file holds ${dataBytes} after its header`);
  else if (cursor < dataBytes) problems.push(`file size ${fileSize} ≠ 8 + header ${headerLength} + data ${cursor}: ${dataBytes - cursor} trailing bytes`);
  return { header: { headerLength, tensors, dataBytes: cursor }, problems };
}
