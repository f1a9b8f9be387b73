// A release in a local directory.
import { createHash } from "node:crypto";
import { createReadStream, promises as fs } from "node:fs";
import * as path from "node:path";
import type { ReleaseFile, ReleaseSource } from "./source";

export class LocalSource implements ReleaseSource {
  constructor(readonly root: string) {}
  get label(): string {
    return this.root;
  }

  async list(): Promise<ReleaseFile[]> {
    const out: ReleaseFile[] = [];
    const walk = async (dir: string, rel: string): Promise<void> => {
      for (const e of await fs.readdir(dir, { withFileTypes: true })) {
        // Hugging Face's download cache and VCS metadata are not part of the release.
        if (e.name === ".git" || e.name === ".cache") continue;
        const full = path.join(dir, e.name);
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) await walk(full, r);
        else if (e.isFile() || e.isSymbolicLink()) {
          const st = await fs.stat(full);
          if (st.isFile()) out.push({ path: r, size: st.size });
        }
      }
    };
    await walk(this.root, "");
    return out;
  }

  async read(p: string, start: number, end: number): Promise<Uint8Array> {
    const fh = await fs.open(path.join(this.root, p), "r");
    try {
      const buf = Buffer.alloc(Math.max(0, end - start));
      const { bytesRead } = await fh.read(buf, 0, buf.length, start);
      return buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /** Locally there is nothing stored: the hex SHA-256 is recomputed (a full read of the file). */
  async storedChecksum(p: string): Promise<string> {
    const h = createHash("sha256");
    for await (const chunk of createReadStream(path.join(this.root, p), { highWaterMark: 4 * 1024 * 1024 })) h.update(chunk as Buffer);
    return h.digest("hex");
  }
}
