import { RELEASE } from "../generated/release.ts";

/** A rendered page as cached: enough to answer GET, HEAD and conditional requests. */
export interface Entry {
  /** UTF-8, encoded once: a string body would be encoded again on every response. */
  body: Uint8Array;
  contentType: string;
  etag: string;
  /** Surrogate keys (Cache-Tag) for purging. */
  tags: string;
  /** When it was rendered (ms since epoch): its age is what the freshness bound limits. */
  renderedAt: number;
  /** When a scheduled post comes out and this copy goes out of date (ms since epoch), if one is waiting. */
  validUntil?: number | undefined;
  /** When what the page shows last changed, as an HTTP-date (`Last-Modified`), if the handler noted it. */
  lastModified?: string | undefined;
  /** The page's language (`Content-Language`), for HTML pages. */
  contentLanguage?: string | undefined;
}

/** True while an entry shows what the site shows at `now`: no scheduled post has come out since it was rendered. */
export const current = (entry: Entry, now: number): boolean => entry.validUntil === undefined || now < entry.validUntil;

/** Milliseconds until the entry goes out of date by the schedule, or `otherwise` when nothing is waiting. */
export function lifeLeft(entry: Entry, otherwise: number, now = Date.now()): number {
  return entry.validUntil === undefined ? otherwise : Math.max(0, entry.validUntil - now);
}

/** Whole seconds since the entry was rendered: its `Age`. */
export const ageOf = (entry: Entry, now: number): number => Math.max(0, Math.floor((now - entry.renderedAt) / 1000));

/** True when the client's `If-None-Match` already names this entry. */
export function notModified(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.trim() === "*" || ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag);
}

/**
 * True when the client's copy is this entry's (RFC 9110 section 13.2.2): by `If-None-Match` when
 * it sent one, which then decides alone; else by `If-Modified-Since`, when the entry has a
 * Last-Modified no later than that date (an unparsable date is ignored).
 */
export function clientHasIt(entry: Entry, ifNoneMatch: string | null, ifModifiedSince: string | null): boolean {
  if (ifNoneMatch) return notModified(ifNoneMatch, entry.etag);
  if (!ifModifiedSince || !entry.lastModified) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Date.parse(entry.lastModified) <= since;
}

/** `ms` (since epoch) as an HTTP-date, whole seconds (what Last-Modified can say). */
export const httpDate = (ms: number): string => new Date(ms).toUTCString();

/**
 * The entry of a fresh render. Its strong ETag hashes the release, the path and what the page
 * shows: the handler's `etagBasis` when it set one (the article's comments version, since the
 * form's one-time token differs on every render), else the body itself.
 */
export async function toEntry(
  res: Response,
  render: {
    path: string;
    tags: string;
    basis: string | undefined;
    validUntil: number | undefined;
    modifiedAt: number | undefined;
  },
): Promise<Entry> {
  const body = new Uint8Array(await res.arrayBuffer());
  const prefix = new TextEncoder().encode(`${RELEASE}\n${render.path}\n${render.basis ?? ""}`);
  // Without a basis the body is hashed after the prefix: the same bytes as the text joined and encoded.
  const hashed = render.basis === undefined ? concat(prefix, body) : prefix;
  const digest = await crypto.subtle.digest("SHA-256", hashed);
  const hex = [...new Uint8Array(digest).slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return {
    body,
    contentType: res.headers.get("content-type") ?? "text/html; charset=UTF-8",
    etag: `"${hex}"`,
    tags: render.tags,
    renderedAt: Date.now(),
    validUntil: render.validUntil,
    lastModified: render.modifiedAt === undefined ? undefined : httpDate(render.modifiedAt),
    contentLanguage: res.headers.get("content-language") ?? undefined,
  };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
