import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, extname, join } from "node:path";

/** URL prefix of the hashed files; `_headers` makes everything under it immutable. */
export const ASSET_PREFIX = "/assets/";

export interface AssetOptions {
  /** Source files (favicon, social image), e.g. `assets`. */
  srcDir: string;
  /** The `[assets] directory` of wrangler.toml, e.g. `dist/public`. */
  outDir: string;
  /** Where the Worker's map of asset URLs is written. */
  module: string;
}

/**
 * `/assets/<name>.<hash>.<ext>`: the URL a file is published under. The hash is of the bytes, so a
 * changed file gets a new URL and the old one may be cached for ever.
 */
export function hashedUrl(file: string, bytes: Uint8Array): string {
  const ext = extname(file);
  const hash = createHash("sha256").update(bytes).digest("hex").slice(0, 12);
  return `${ASSET_PREFIX}${file.slice(0, file.length - ext.length)}.${hash}${ext}`;
}

/** `og-image.jpg` -> `ogImage`: the key the Worker's views use. */
const keyOf = (file: string): string =>
  file.slice(0, -extname(file).length).replace(/[-_.]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/**
 * Copies each source asset to `<outDir>/assets/<name>.<hash>.<ext>` and writes a `_headers` file
 * (read by Workers Static Assets, never served) that lets browsers and the edge keep them for a
 * year: a changed file gets a new name. Writes the module mapping keys to URLs (`ASSETS.favicon`).
 */
export async function writeAssets(options: AssetOptions): Promise<Record<string, string>> {
  const files = (await readdir(options.srcDir)).filter((f) => !f.startsWith(".")).sort();
  await rm(options.outDir, { recursive: true, force: true });
  await mkdir(join(options.outDir, ASSET_PREFIX), { recursive: true });
  const urls: Record<string, string> = {};
  for (const file of files) {
    const bytes = await readFile(join(options.srcDir, file));
    const url = hashedUrl(file, bytes);
    await writeFile(join(options.outDir, url), bytes);
    urls[keyOf(file)] = url;
  }
  await writeFile(
    join(options.outDir, "_headers"),
    `# Written by pipeline/assets.ts: hashed names never change content.\n${ASSET_PREFIX}*\n  Cache-Control: public, max-age=31536000, immutable\n`,
  );
  await mkdir(dirname(options.module), { recursive: true });
  await writeFile(
    options.module,
    `// Written by pipeline/assets.ts: URLs of the static assets (content-hashed names). Do not edit.\nexport const ASSETS = ${JSON.stringify(urls, null, 2)} as const;\n`,
  );
  return urls;
}
