import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ArticleRecord } from "../src/articles/record.ts";
import { compoundWords } from "../src/search/fold.ts";
import type { Release } from "./assemble-release.ts";
import { contentHash } from "./hash.ts";
import { bodyRoom, type SearchDoc, type SearchRelease, sqlLiteral } from "./search-sql.ts";
import { cleanText, searchText } from "./search-text.ts";

/**
 * A release's search documents, as data the build writes beside the KV entries:
 *
 *   <dir>/release.json        { "release": "<id>", "docs": ["<key>", ...] }  (newest post first)
 *   <dir>/docs/<key>.json     one document (SearchDoc), named by the hash of its content
 *
 * A loader (scripts/search-load.ts) asks D1 which keys it holds and turns the rest into SQL
 * (pipeline/search-sql.ts), so an edit loads one document, not every post's text. Documents are
 * content-addressed like KV entries: a document file is written only when missing, and files no
 * longer in the release are removed.
 */

/** Cuts `text` to at most `bytes` UTF-8 bytes, at a code point boundary. */
function cutToBytes(text: string, bytes: number): string {
  const encoded = new TextEncoder().encode(text);
  if (encoded.length <= bytes) return text;
  return new TextDecoder().decode(encoded.slice(0, Math.max(0, bytes))).replace(/\uFFFD$/, "");
}

/**
 * The key of a document: the hash of its JSON (`docJson`), so the build names a cached
 * document's bytes without decoding them.
 */
export function docKey(doc: SearchDoc): string {
  return contentHash(docJson(doc));
}

/** A document as its file holds it (fields in a fixed order, so one document has one text). */
export function docJson(doc: SearchDoc): string {
  const { slug, date, published_at, lang, title, summary, tags, body, title_compounds, compounds } = doc;
  return JSON.stringify({ slug, date, published_at, lang, title, summary, tags, body, title_compounds, compounds });
}

/**
 * A post's search document: its language, title, summary, tags and the text of its rendered
 * HTML (`searchText`: no markup, no code blocks), NFC-normalized and without the snippet
 * markers, and the hyphenated words of each, folded (`compounds`: so `kpop` finds `K-pop`). A
 * very long body is cut (for the index only) so that inserting the document stays under D1's
 * statement size limit.
 */
export function searchDoc(post: ArticleRecord): SearchDoc {
  const title = cleanText(post.title);
  const summary = cleanText(post.summary);
  const tags = cleanText(post.tags.join(" "));
  let body = searchText(post.html);
  const head = {
    slug: post.slug,
    date: post.date,
    published_at: Date.parse(post.date),
    lang: post.lang ?? "",
    title,
    summary,
    tags,
    title_compounds: compoundWords(title),
    compounds: compoundWords(`${summary}\n${tags}\n${body}`),
  };
  const room = bodyRoom(head, 32);
  // Escaping grows the text (quotes double, each line break is ' || char(10) || '): cut it in
  // proportion to the excess until it fits.
  for (
    let literal = Buffer.byteLength(sqlLiteral(body));
    literal > room;
    literal = Buffer.byteLength(sqlLiteral(body))
  ) {
    const bytes = Buffer.byteLength(body);
    body = cutToBytes(body, Math.min(bytes - 1, Math.floor((bytes * room) / literal)));
  }
  return { ...head, body };
}

/** The posts of `release` that are searchable: drafts only in a preview build. */
const searchable = (release: Pick<Release, "posts" | "index">) =>
  release.posts.filter((post) => release.index.drafts || !post.draft);

/** The search documents of `release`, keyed, in its order (drafts only in a preview build). */
export function searchDocs(release: Pick<Release, "id" | "posts" | "index">): {
  release: SearchRelease;
  docs: Map<string, SearchDoc>;
} {
  const docs = new Map<string, SearchDoc>();
  for (const post of searchable(release)) {
    const doc = searchDoc(post);
    docs.set(docKey(doc), doc);
  }
  return { release: { release: release.id, docs: [...docs.keys()] }, docs };
}

const docFile = (dir: string, key: string) => join(dir, "docs", `${key}.json`);

/** A post's search document as its file holds it: its key, and its bytes (`docJson`) when asked for. */
export interface SearchDocBytes {
  key: string;
  bytes: () => Uint8Array | string;
}

/** A post's `SearchDocBytes`, made from its record. */
function docBytesOf(post: ArticleRecord): SearchDocBytes {
  const json = docJson(searchDoc(post));
  return { key: contentHash(json), bytes: () => json };
}

/**
 * Writes the search data of `release` under `dir` (see above): only the document files that are
 * not there yet, then `release.json`. `docOf` gives a post's document (the build keeps key and
 * bytes in its render cache, so it reads the bytes only of documents whose file is missing); by
 * default it is made from the record. Says how many document files it wrote and whether
 * `release.json` changed.
 */
export async function writeSearchData(
  dir: string,
  release: Pick<Release, "id" | "posts" | "index">,
  docOf: (post: ArticleRecord) => SearchDocBytes = docBytesOf,
): Promise<{ docsWritten: number; releaseWritten: boolean }> {
  const docs = new Map<string, SearchDocBytes>();
  for (const post of searchable(release)) {
    const doc = docOf(post);
    docs.set(doc.key, doc);
  }
  const data: SearchRelease = { release: release.id, docs: [...docs.keys()] };
  await mkdir(join(dir, "docs"), { recursive: true });
  const present = new Set<string>();
  for (const name of await readdir(join(dir, "docs"))) {
    if (name.endsWith(".json")) present.add(name.slice(0, -".json".length));
    else await rm(join(dir, "docs", name), { force: true }); // a write cut short
  }
  let written = 0;
  for (const [key, doc] of docs) {
    if (present.has(key)) continue;
    // Written whole or not at all: a file under a key is trusted to hold that key's document.
    const temp = `${docFile(dir, key)}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temp, doc.bytes());
    await rename(temp, docFile(dir, key));
    written++;
  }
  for (const key of present) if (!docs.has(key)) await rm(docFile(dir, key), { force: true });
  const releaseFile = join(dir, "release.json");
  const text = `${JSON.stringify(data)}\n`;
  const releaseWritten = (await readFile(releaseFile, "utf8").catch(() => undefined)) !== text;
  if (releaseWritten) await writeFile(releaseFile, text);
  return { docsWritten: written, releaseWritten };
}

/** Reads `<dir>/release.json`. */
export async function readSearchRelease(dir: string): Promise<SearchRelease> {
  return JSON.parse(await readFile(join(dir, "release.json"), "utf8")) as SearchRelease;
}

/**
 * Reads the documents `keys` from `<dir>/docs`, checking each against its key.
 * @throws {Error} when a file is missing or does not hold its key's document (rebuild).
 */
export async function readSearchDocs(dir: string, keys: Iterable<string>): Promise<Map<string, SearchDoc>> {
  const docs = new Map<string, SearchDoc>();
  for (const key of keys) {
    const text = await readFile(docFile(dir, key), "utf8");
    if (contentHash(text) !== key) throw new Error(`${docFile(dir, key)} does not hold document ${key}: rebuild`);
    docs.set(key, JSON.parse(text) as SearchDoc);
  }
  return docs;
}
