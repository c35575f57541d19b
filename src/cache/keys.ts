import { RELEASE } from "../generated/release.ts";

/**
 * Which query parameters select what a cached page shows. The cache knows no route: the app
 * says, per URL, which parameters pick a variant (the article's page of comments, a search
 * query) and which make the page one reader's own (a reply form). Every other parameter is left
 * out of the keys, so `?utm_source=...` can neither split nor bust the cache.
 */
export interface KeyPolicy {
  /** The parameters that select a variant of `url`'s page, normalized, in a fixed order. */
  variants(url: URL): [string, string][];
  /** Parameters that make a page one reader's own: such a request is never served from or stored in the cache. */
  personalParams: readonly string[];
}

/** True when `url` carries a parameter that makes its page personal. */
export const hasPersonalParam = (url: URL, policy: KeyPolicy): boolean =>
  policy.personalParams.some((p) => url.searchParams.has(p));

/**
 * The Cache API key of a page: its URL with the release added and only the query parameters
 * that select a variant kept.
 */
export function cacheKeyOf(url: string, policy: KeyPolicy, release: string = RELEASE): string {
  const source = new URL(url);
  // Origin and path joined as text: a path such as `//x` must not be read as another host.
  const key = new URL(`${source.origin}${source.pathname}`);
  key.searchParams.set("release", release);
  for (const [name, value] of policy.variants(source)) key.searchParams.set(name, value);
  return key.toString();
}

/**
 * The key of a page in this isolate's memory (which serves one release, so none is in it). A
 * URL with no query is its own key: the runtime hands the Worker `request.url` parsed and
 * serialized, so the hot path needs no URL parse, and one string always renders one page. A URL
 * with a query is reduced as the Cache API key is, to the path and the parameters that select a
 * variant, so `?utm_source=...` shares the plain URL's entry and junk parameters add none.
 */
export function memoryKeyOf(url: string, policy: KeyPolicy): string {
  if (!url.includes("?") && !url.includes("#")) return url;
  const source = new URL(url);
  const kept = policy.variants(source);
  const path = `${source.origin}${source.pathname}`;
  return kept.length === 0 ? path : `${path}?${new URLSearchParams(kept)}`;
}
