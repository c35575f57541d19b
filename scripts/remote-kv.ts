import { mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type WranglerOptions, wranglerJson } from "./wrangler.ts";

/** The KV binding that holds the content (wrangler.toml). */
export const CONTENT_BINDING = "CONTENT";

/** Key prefixes the content build writes; prune never touches a key without one of them. */
export const CONTENT_KEY_PREFIXES = ["release:", "article:", "list:", "routes:", "archive:"] as const;

export const isContentKey = (key: string): boolean => CONTENT_KEY_PREFIXES.some((prefix) => key.startsWith(prefix));

/**
 * One `kv bulk put` file per Cloudflare bulk-write request: wrangler sends at most 1,000 pairs a
 * request and the API takes at most 100 MB a request, so a file holds up to 1,000 pairs and 90 MB.
 */
export const PAIRS_PER_UPLOAD = 1_000;
export const BYTES_PER_UPLOAD = 90 * 1024 * 1024;
/** The API reads at most 100 keys per bulk get. */
export const KEYS_PER_GET = 100;
/** And deletes at most 10,000 keys per bulk delete. */
export const KEYS_PER_DELETE = 10_000;
/** A KV value may be at most 25 MiB. */
export const MAX_VALUE_BYTES = 25 * 1024 * 1024;

const remote = (args: string[]): string[] => [...args, "--binding", CONTENT_BINDING, "--remote"];

/** Every key in the remote namespace (wrangler pages through the listing itself). */
export function listRemoteKeys(options: WranglerOptions, prefix?: string): Set<string> {
  const args = remote(["kv", "key", "list"]);
  if (prefix) args.push("--prefix", prefix);
  const keys = wranglerJson<{ name: string }[]>(args, options);
  return new Set(keys.map((k) => k.name));
}

/** Splits pairs into upload files within the request limits, keeping their order. */
export function uploadBatches(pairs: { key: string; value: string }[]): { key: string; value: string }[][] {
  const batches: { key: string; value: string }[][] = [];
  let current: { key: string; value: string }[] = [];
  let bytes = 0;
  for (const pair of pairs) {
    const size = Buffer.byteLength(pair.key) + Buffer.byteLength(pair.value) + 32;
    if (current.length > 0 && (current.length >= PAIRS_PER_UPLOAD || bytes + size > BYTES_PER_UPLOAD)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(pair);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Writes the upload files under `dir` (replacing what was there) and returns their paths. */
export async function writeUploadFiles(dir: string, batches: { key: string; value: string }[][]): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  for (const [i, batch] of batches.entries()) {
    const file = join(dir, `${String(i).padStart(3, "0")}.json`);
    await writeFile(file, JSON.stringify(batch));
    files.push(file);
  }
  return files;
}

/** The wrangler arguments that upload one file to the remote namespace. */
export const bulkPutArgs = (file: string): string[] => remote(["kv", "bulk", "put", file]);

/** The wrangler arguments that delete the keys listed in one file (no confirmation prompt). */
export const bulkDeleteArgs = (file: string): string[] => remote(["kv", "bulk", "delete", file, "--force"]);

/**
 * Reads many keys at once (100 per wrangler call). Missing keys are absent from the result.
 * `dir` holds the key files wrangler reads.
 */
export async function bulkGet(keys: string[], dir: string, options: WranglerOptions): Promise<Map<string, string>> {
  await mkdir(dir, { recursive: true });
  const values = new Map<string, string>();
  for (let i = 0; i < keys.length; i += KEYS_PER_GET) {
    const file = join(dir, `get-${i / KEYS_PER_GET}.json`);
    await writeFile(file, JSON.stringify(keys.slice(i, i + KEYS_PER_GET)));
    const got = wranglerJson<Record<string, unknown>>(remote(["kv", "bulk", "get", file]), options);
    for (const [key, entry] of Object.entries(got)) {
      // The API answers `{ key: value }`; wrangler's local mode answers `{ key: { value } }`.
      const value = typeof entry === "string" ? entry : (entry as { value?: unknown } | null)?.value;
      if (typeof value === "string") values.set(key, value);
    }
  }
  return values;
}
