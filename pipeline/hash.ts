import { createHash } from "node:crypto";

/** 32 hex characters (128 bits) of SHA-256: collision-free for any blog, short enough for KV keys. */
export function contentHash(value: string): string {
  return createHash("sha256").update(value).digest("hex").slice(0, 32);
}
