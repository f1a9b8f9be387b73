// Names of a Hugging Face model directory: one home for every file-name fact the verifier relies on.

export const CONFIG_FILE = "config.json";
export const TOKENIZER_FILES = ["tokenizer.json", "tokenizer.model"] as const;
/** The release manifest (models/manifest.ts): written last on publish, so its presence means "published". */
export const MANIFEST_FILE = "model-vault.manifest.json";

/** `model-00001-of-00002.safetensors`, `pytorch_model-00003-of-00008.bin`: the stem, the 1-based index and the count. */
const SERIES = /^(.*)-(\d{5})-of-(\d{5})\.(safetensors|bin)$/;

export interface SeriesMember {
  stem: string;
  index: number;
  total: number;
  ext: string;
  /** Width of the zero-padded numbers, to name a missing member exactly. */
  width: number;
}

export function seriesMember(path: string): SeriesMember | undefined {
  const m = SERIES.exec(path);
  return m ? { stem: m[1], index: Number(m[2]), total: Number(m[3]), ext: m[4], width: m[2].length } : undefined;
}

export function seriesName(stem: string, index: number, total: number, ext: string, width = 5): string {
  const pad = (n: number) => String(n).padStart(width, "0");
  return `${stem}-${pad(index)}-of-${pad(total)}.${ext}`;
}

export const isSafetensors = (path: string) => path.endsWith(".safetensors");
export const isSafetensorsIndex = (path: string) => path.endsWith(".safetensors.index.json");
/** PyTorch pickled weights as transformers names them (`pytorch_model.bin`, `pytorch_model-00001-of-00002.bin`). */
export const isPytorchBin = (path: string) => /(^|\/)pytorch_model(-\d{5}-of-\d{5})?\.bin$/.test(path);
export const isPytorchIndex = (path: string) => /(^|\/)pytorch_model\.bin\.index\.json$/.test(path);
export const isWeights = (path: string) => isSafetensors(path) || isPytorchBin(path);
