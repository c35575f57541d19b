import { hash } from "node:crypto";

/** 32 hex characters (128 bits) of SHA-256: collision-free for any blog, short enough for KV keys. */
export function contentHash(value: string): string {
  return hash("sha256", value).slice(0, 32);
}
