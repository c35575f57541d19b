/** Small Web Crypto helpers for keyed hashes, tokens and constant-time comparison. */

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

const hex = (bytes: ArrayBuffer): string =>
  Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");

/** HMAC-SHA-256 of `data` under `secret`, as lower-case hex. */
export async function hmacHex(secret: string, data: string): Promise<string> {
  return hex(await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(data)));
}

/** SHA-256 of `data`, as lower-case hex. */
export async function sha256Hex(data: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(data)));
}

/** SHA-256 of `data`, base64-encoded (the form CSP hash sources take). */
export async function sha256Base64(data: string): Promise<string> {
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(data)));
  return btoa(String.fromCharCode(...bytes));
}

/** 128 random bits as base64url (22 characters). */
export function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** True when `token` has the shape `randomToken()` produces. */
export const isToken = (token: string): boolean => /^[A-Za-z0-9_-]{22}$/.test(token);

/**
 * Compares two secrets in time that does not depend on where they differ: both are HMAC'd to
 * equal-length digests first, so neither the content nor the length of `expected` leaks.
 */
export async function secretsEqual(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([hmacBytes(given), hmacBytes(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

const COMPARE_KEY = "constant-time comparison";
async function hmacBytes(value: string): Promise<ArrayBuffer> {
  return crypto.subtle.sign("HMAC", await hmacKey(COMPARE_KEY), encoder.encode(value));
}
