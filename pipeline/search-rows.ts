import { randomBytes } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { ArticleRecord } from "../src/articles/record.ts";
import { contentHash } from "./hash.ts";
import { plainText } from "./markdown.ts";
import type { Release } from "./release.ts";
import { bodyRoom, type SearchDoc, type SearchRelease, sqlLiteral } from "./search-sql.ts";

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

/** The private-use characters the Worker asks `snippet()` to mark matches with; never in stored text. */
const MARKERS = /[\uE000\uE001]/g;

const clean = (text: string) => text.replace(MARKERS, "").normalize("NFC");

/** Cuts `text` to at most `bytes` UTF-8 bytes, at a code point boundary. */
function cutToBytes(text: string, bytes: number): string {
  const encoded = new TextEncoder().encode(text);
  if (encoded.length <= bytes) return text;
  return new TextDecoder().decode(encoded.slice(0, Math.max(0, bytes))).replace(/\uFFFD$/, "");
}

/** The key of a document: the hash of everything stored with it. */
export function docKey(doc: SearchDoc): string {
  return contentHash(
    JSON.stringify([doc.slug, doc.date, doc.published_at, doc.title, doc.summary, doc.tags, doc.body]),
  );
}

/**
 * A post's search document: title, summary, tags and the text of its HTML, NFC-normalized and
 * without the snippet markers. A very long body is cut (for the index only) so that inserting
 * the document stays under D1's statement size limit.
 */
export function searchDoc(post: ArticleRecord): SearchDoc {
  const head = {
    slug: post.slug,
    date: post.date,
    published_at: Date.parse(post.date),
    title: clean(post.title),
    summary: clean(post.summary),
    tags: clean(post.tags.join(" ")),
  };
  const room = bodyRoom(head, 32);
  let body = clean(plainText(post.html));
  // Escaping can grow the text (quotes double, line breaks become char(10)): cut by the excess until it fits.
  for (let literal = Buffer.byteLength(sqlLiteral(body)); literal > room; literal = Buffer.byteLength(sqlLiteral(body)))
    body = cutToBytes(body, Buffer.byteLength(body) - Math.max(literal - room, 1));
  return { ...head, body };
}

/** The search documents of `release`, keyed, in its order (drafts only in a preview build). */
export function searchDocs(release: Pick<Release, "id" | "posts" | "index">): {
  release: SearchRelease;
  docs: Map<string, SearchDoc>;
} {
  const docs = new Map<string, SearchDoc>();
  for (const post of release.posts) {
    if (post.draft && !release.index.drafts) continue;
    const doc = searchDoc(post);
    docs.set(docKey(doc), doc);
  }
  return { release: { release: release.id, docs: [...docs.keys()] }, docs };
}

const docFile = (dir: string, key: string) => join(dir, "docs", `${key}.json`);

/**
 * Writes the search data of `release` under `dir` (see above): only the document files that are
 * not there yet, then `release.json`. Returns how many document files it wrote.
 */
export async function writeSearchData(dir: string, release: Pick<Release, "id" | "posts" | "index">): Promise<number> {
  const { release: data, docs } = searchDocs(release);
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
    await writeFile(temp, JSON.stringify(doc));
    await rename(temp, docFile(dir, key));
    written++;
  }
  for (const key of present) if (!docs.has(key)) await rm(docFile(dir, key), { force: true });
  await writeFile(join(dir, "release.json"), `${JSON.stringify(data)}\n`);
  return written;
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
    const doc = JSON.parse(await readFile(docFile(dir, key), "utf8")) as SearchDoc;
    if (docKey(doc) !== key) throw new Error(`${docFile(dir, key)} does not hold document ${key}: rebuild`);
    docs.set(key, doc);
  }
  return docs;
}
