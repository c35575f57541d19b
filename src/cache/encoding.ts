/**
 * Compression the Worker asks for itself. Cloudflare compresses most text types on the way to
 * the reader, but not `application/atom+xml`, so a feed would travel raw. For those types a
 * response names the coding the client prefers in `Content-Encoding` and the runtime compresses
 * the body as it sends it (workerd's `encodeBody: "automatic"`, gzip and Brotli; the Web
 * `CompressionStream` has no Brotli). Cached bodies stay uncompressed: one entry serves every
 * client, and the coding is a header of the response.
 */

/**
 * What the client accepts. Cloudflare replaces the Accept-Encoding a Worker sees with
 * `br, gzip` (it compresses or decompresses its own types to suit the client) and keeps the
 * client's own value in `request.cf.clientAcceptEncoding`; for the types compressed here nothing
 * after the Worker adapts the body, so the client's own value decides (wrangler dev does the same).
 */
export function acceptedEncoding(request: Request): string | null {
  const original: unknown = request.cf?.clientAcceptEncoding;
  return typeof original === "string" ? original : request.headers.get("accept-encoding");
}

/** A coding the runtime applies: Brotli or gzip. */
export type Coding = "br" | "gzip";

/** Media types Cloudflare's edge does not compress (its list has application/rss+xml, not Atom). */
const COMPRESSED_HERE = ["application/atom+xml"];

/** True when responses of this type are compressed by the Worker (and so vary by Accept-Encoding). */
export const compressedHere = (contentType: string): boolean =>
  COMPRESSED_HERE.some((type) => contentType.startsWith(type));

/**
 * The coding to send for an `Accept-Encoding` value (RFC 9110 section 12.5.3): the acceptable
 * one with the higher weight, Brotli on a tie; `*` stands for any coding not named; null when
 * neither is acceptable (the body goes uncompressed).
 */
export function preferredCoding(acceptEncoding: string | null): Coding | null {
  if (!acceptEncoding) return null;
  const weights = new Map<string, number>();
  for (const part of acceptEncoding.split(",")) {
    const [name = "", ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    if (name) weights.set(name, Number.isFinite(weight) ? weight : 0);
  }
  const weightOf = (coding: Coding) => weights.get(coding) ?? weights.get("*") ?? 0;
  const br = weightOf("br");
  const gzip = weightOf("gzip");
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? "br" : "gzip";
}

/**
 * The headers that make a response of a type compressed here what the client asked for: `Vary`
 * on every one (caches keep one copy per coding), and with a coding its `Content-Encoding` and the
 * ETag made weak, as a compressed body is not the same bytes as the uncompressed one (a weak ETag
 * still answers If-None-Match, whichever coding the client had).
 */
export function codingHeaders(etag: string, coding: Coding | null): Record<string, string> {
  if (coding === null) return { vary: "accept-encoding" };
  return { vary: "accept-encoding", "content-encoding": coding, etag: `W/${etag}` };
}

/**
 * `res` (a render the page cache does not handle: the cache is off) with the same coding headers
 * a cached answer gets: a feed is compressed whether or not pages are cached (`npm start` runs
 * with the cache off).
 */
export function withCoding(res: Response, request: Request): Response {
  const type = res.headers.get("content-type");
  if (!type || !compressedHere(type) || res.headers.has("content-encoding")) return res;
  const etag = res.headers.get("etag");
  const headers = codingHeaders(etag ?? "", preferredCoding(acceptedEncoding(request)));
  for (const [name, value] of Object.entries(headers)) if (name !== "etag" || etag) res.headers.set(name, value);
  return res;
}
