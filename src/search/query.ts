import type { Message } from "../i18n/index.ts";
import { foldedWords } from "./synonyms.ts";

/**
 * What a reader typed into the search box, made safe to match and to cache: pure helpers, no
 * bindings. The page cache keys search pages by `searchKey`, so "  BTS " and "bts"-with-NFD forms
 * of one query share an entry and junk parameters cannot split it.
 */

/** Longest query accepted, in characters (code points) after normalization. */
export const MAX_QUERY_CHARS = 100;
/** Words (or synonym groups, `termGroups`) of a query that are matched; more are ignored. */
export const MAX_TERMS = 8;
/** Result pages a query can be paged through. */
export const MAX_PAGES = 10;
/** The trigram index matches substrings of at least this many characters. */
export const TRIGRAM = 3;

export type ParsedSearch =
  | { kind: "empty" }
  | { kind: "invalid"; query: string; message: Message }
  /** `terms`: the query's words, folded (`foldWord`: lower case, no hyphen inside a word). */
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
    return { kind: "invalid", query: cut(query), message: (t) => t.says.searchTooLong(MAX_QUERY_CHARS) };
  const number = page === undefined ? 1 : /^[1-9]\d{0,2}$/.test(page) ? Number(page) : 0;
  if (number < 1 || number > MAX_PAGES) return { kind: "invalid", query, message: (t) => t.says.searchPage(MAX_PAGES) };
  const terms = foldedWords(query);
  return { kind: "query", query, page: number, terms };
}

function cut(text: string): string {
  return [...text].slice(0, MAX_QUERY_CHARS).join("");
}

/**
 * Groups (`termGroups`) the trigram index can match, every spelling of 3 characters or more, and
 * the others, matched by LIKE.
 */
export function splitGroups(groups: readonly (readonly string[])[]): { long: string[][]; short: string[][] } {
  const isLong = (group: readonly string[]) => group.every((t) => length(t) >= TRIGRAM);
  return {
    long: groups.filter(isLong).map((group) => [...group]),
    short: groups.filter((group) => !isLong(group)).map((group) => [...group]),
  };
}

/**
 * An FTS5 query that matches every group, in any of its spellings, each as a literal substring:
 * each spelling is a quoted string (its quotes doubled), so `"`, `*`, `-`, `NEAR(`, `OR`, `:` and
 * `^` are text, never query syntax.
 */
export function ftsQuery(groups: readonly (readonly string[])[]): string {
  const quoted = (t: string) => `"${t.replaceAll('"', '""')}"`;
  return groups
    .map((group) => (group.length === 1 ? quoted(group[0] ?? "") : `(${group.map(quoted).join(" OR ")})`))
    .join(" ");
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
