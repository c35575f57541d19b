/**
 * What a reader typed into the search box, made safe to match and to cache: pure helpers, no
 * bindings. The page cache keys search pages by `searchKey`, so "  BTS " and "bts"-with-NFD forms
 * of one query share an entry and junk parameters cannot split it.
 */

/** Longest query accepted, in characters (code points) after normalization. */
export const MAX_QUERY_CHARS = 100;
/** Words of a query that are matched; more are ignored. */
export const MAX_TERMS = 8;
/** Result pages a query can be paged through. */
export const MAX_PAGES = 10;
/** The trigram index matches substrings of at least this many characters. */
export const TRIGRAM = 3;

export type ParsedSearch =
  | { kind: "empty" }
  | { kind: "invalid"; query: string; message: string }
  | { kind: "query"; query: string; page: number; terms: string[] };

const length = (text: string) => [...text].length;

/** Trimmed, NFC, controls and private-use characters removed, runs of white space as one space. */
export function normalizeQuery(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** Parses `?q=` and `?page=`: the words to look for, or why not. */
export function parseSearch(q: string | undefined, page: string | undefined): ParsedSearch {
  const query = normalizeQuery(q ?? "");
  if (query === "") return { kind: "empty" };
  if (length(query) > MAX_QUERY_CHARS)
    return { kind: "invalid", query: cut(query), message: `Search for at most ${MAX_QUERY_CHARS} characters.` };
  const number = page === undefined ? 1 : /^[1-9]\d{0,2}$/.test(page) ? Number(page) : 0;
  if (number < 1 || number > MAX_PAGES)
    return { kind: "invalid", query, message: `The page must be a number from 1 to ${MAX_PAGES}.` };
  const terms = [...new Set(query.toLowerCase().split(" "))].slice(0, MAX_TERMS);
  return { kind: "query", query, page: number, terms };
}

function cut(text: string): string {
  return [...text].slice(0, MAX_QUERY_CHARS).join("");
}

/** Terms the trigram index can match (≥ 3 characters) and the shorter ones, matched by LIKE. */
export function splitTerms(terms: readonly string[]): { long: string[]; short: string[] } {
  return {
    long: terms.filter((t) => length(t) >= TRIGRAM),
    short: terms.filter((t) => length(t) < TRIGRAM),
  };
}

/**
 * An FTS5 query that matches every term as a literal substring: each is a quoted string (its
 * quotes doubled), so `"`, `*`, `-`, `NEAR(`, `OR`, `:` and `^` are text, never query syntax.
 */
export function ftsQuery(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(" ");
}

/** A LIKE pattern (with `ESCAPE '\'`) matching `term` anywhere. */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The parameters that select a search page, normalized, for the page cache key. */
export function searchKey(params: URLSearchParams): [string, string][] {
  const query = normalizeQuery(params.get("q") ?? "");
  const page = params.get("page");
  return [
    ...(query ? [["q", query] as [string, string]] : []),
    ...(page !== null && page !== "1" ? [["page", page] as [string, string]] : []),
  ];
}

/** Start and end of a match in a snippet (private-use characters, stripped from stored text). */
export const MARK_START = "\uE000";
export const MARK_END = "\uE001";

/** Marks case-insensitive occurrences of `terms` in `text` with MARK_START/MARK_END. */
export function markTerms(text: string, terms: readonly string[]): string {
  const escaped = terms.filter(Boolean).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (escaped.length === 0) return text;
  return text.replace(new RegExp(escaped.join("|"), "giu"), (m) => `${MARK_START}${m}${MARK_END}`);
}

/** A marked snippet as pieces of plain text, `marked` where a match is: render each as text. */
export function snippetParts(snippet: string): { text: string; marked: boolean }[] {
  const parts: { text: string; marked: boolean }[] = [];
  for (const [i, chunk] of snippet.split(MARK_START).entries()) {
    const [inside, ...rest] = i === 0 ? [undefined, chunk] : chunk.split(MARK_END);
    if (inside) parts.push({ text: inside.replaceAll(MARK_END, ""), marked: true });
    const after = rest.join("");
    if (after) parts.push({ text: after, marked: false });
  }
  return parts;
}
