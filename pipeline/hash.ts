import { hash } from "node:crypto";

/**
 * 32 hex characters (128 bits) of SHA-256: collision-free for any blog, short enough for KV keys.
 * Text is hashed as UTF-8, so a file's bytes and its text (valid UTF-8) hash alike.
 */
export function contentHash(value: string | Uint8Array): string {
  return hash("sha256", value).slice(0, 32);
}
