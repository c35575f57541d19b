/** Byte counts the bench prints: page size raw and gzip, the Worker bundle raw and gzip. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** Raw and gzip (default level, as wrangler reports its upload size) byte counts of `data`. */
export function byteSizes(data: string | Uint8Array): { raw: number; gzip: number } {
  const buffer = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
  return { raw: buffer.byteLength, gzip: gzipSync(buffer).byteLength };
}

/** Sizes of the bundle in a `wrangler deploy --dry-run --outdir` directory (code only, no maps or README). */
export function bundleSizes(outdir: string): { raw: number; gzip: number } {
  const files = readdirSync(outdir).filter((f) => /\.(m?js|wasm)$/.test(f));
  if (files.length === 0) throw new Error(`no bundle in ${outdir}: did the dry run fail?`);
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const sizes = byteSizes(readFileSync(join(outdir, file)));
    raw += sizes.raw;
    gzip += sizes.gzip;
  }
  return { raw, gzip };
}
