/**
 * One render cache entry file (render-cache.ts): a line of JSON (the post's file name and hash,
 * validated front matter, the record without its HTML, its KV key, its search document's key,
 * and the byte lengths of what follows), then the KV pair's bytes (`{"key":…,"value":…}`, the
 * record with its HTML) and the search document's bytes (`docJson`), as the output files hold
 * them, so a build copies them without decoding them.
 */
import type { PostSummary } from "../src/articles/record.ts";
import type { FrontMatter } from "./front-matter.ts";

/** What the cache keeps of one post file. */
export interface CachedPost {
  /** `contentHash` of the file's text. */
  hash: string;
  meta: FrontMatter;
  /**
   * The post's article, when it depends on nothing but the post's text; absent for posts that
   * refer to files beside them (rendered every build) and drafts no build has rendered yet.
   */
  article?: {
    /** The record without its HTML and source hash, fields in the record's order. */
    summary: PostSummary;
    /** The record's KV key (`article:<hash of its JSON>`). */
    key: string;
    /** The KV pair's bytes (`pairOf`). */
    pair: Uint8Array;
    /** The search document's bytes (`docJson`). */
    row: Uint8Array;
    /** The search document's key (`contentHash` of those bytes), so a build needs the bytes only to write its file. */
    doc: string;
  };
  /** Keys of the highlighted code blocks in the HTML (their highlight cache entries are kept). */
  blocks?: string[];
}

/** The first line of an entry file. */
interface Head extends Omit<CachedPost, "article"> {
  name: string;
  article?: Omit<NonNullable<CachedPost["article"]>, "pair" | "row"> & { pair: number; row: number };
}

/** The bytes of the entry file for the post file `name`. */
export function encodeEntry(name: string, entry: CachedPost): Uint8Array[] {
  const { article, ...rest } = entry;
  if (!article) return [Buffer.from(`${JSON.stringify({ name, ...rest })}\n`)];
  const { pair, row, ...kept } = article;
  const head: Head = { name, ...rest, article: { ...kept, pair: pair.length, row: row.length } };
  return [Buffer.from(`${JSON.stringify(head)}\n`), pair, row];
}

/** The entry an entry file holds for `name`, or undefined when it is damaged or another post's. */
export function decodeEntry(name: string, bytes: Buffer): CachedPost | undefined {
  const end = bytes.indexOf(10);
  if (end < 0) return undefined;
  let head: unknown;
  try {
    head = JSON.parse(bytes.toString("utf8", 0, end));
  } catch {
    return undefined;
  }
  if (!isHead(head) || head.name !== name) return undefined;
  const { name: _, article, ...rest } = head;
  if (!article) return end + 1 === bytes.length ? rest : undefined;
  if (end + 1 + article.pair + article.row !== bytes.length) return undefined;
  const pair = bytes.subarray(end + 1, end + 1 + article.pair);
  const row = bytes.subarray(end + 1 + article.pair);
  return { ...rest, article: { ...article, pair, row } };
}

/** Enough of a check that a damaged file is dropped rather than served. */
function isHead(value: unknown): value is Head {
  if (typeof value !== "object" || value === null) return false;
  const { name, hash, meta, article } = value as Record<string, unknown>;
  if (typeof name !== "string" || typeof hash !== "string") return false;
  const fields = meta as Partial<FrontMatter> | undefined;
  if (typeof fields?.slug !== "string" || typeof fields.date !== "string" || !Array.isArray(fields.tags)) return false;
  if (article === undefined) return true;
  const { summary, key, pair, row, doc } = (article ?? {}) as Partial<NonNullable<Head["article"]>>;
  const length = (n: unknown) => Number.isInteger(n) && (n as number) >= 0;
  return (
    typeof summary?.slug === "string" &&
    typeof key === "string" &&
    typeof doc === "string" &&
    length(pair) &&
    length(row)
  );
}
