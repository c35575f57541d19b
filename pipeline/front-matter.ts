import { parse as parseYaml } from "yaml";
import { HOME_ALIAS_PARAMS, queryAliasKey, routePath } from "../src/articles/record.ts";
import { isReservedPath } from "../src/lib/routes.ts";
import { isSlug, slugify } from "../src/lib/slug.ts";
import { ContentError } from "./content-error.ts";

/** Front matter after validation, with defaults filled in. */
export interface FrontMatter {
  title: string;
  slug: string;
  /** ISO 8601 */
  date: string;
  updated?: string;
  summary?: string;
  tags: string[];
  draft: boolean;
  lang?: string;
  /** Old addresses of the post, as normalized paths (`routePath`), answered with a 301. */
  aliases?: string[];
  /** Render a table of contents of the h2/h3 headings before the text. */
  toc?: boolean;
  /** Names the story this post tells: posts sharing it are translations of each other (pipeline/translations.ts). */
  translationKey?: string;
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/;
const DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
/** A `lang` the build accepts: a language tag like `en`, `ko` or `ko-KR`. */
export const LANG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
/** The front matter fields a post may have. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set([
  "title",
  "slug",
  "date",
  "updated",
  "summary",
  "description",
  "tags",
  "draft",
  "lang",
  "aliases",
  "toc",
  "translationKey",
]);
/**
 * Splits a post into validated front matter and its Markdown body.
 * `fileSlug` is the slug the file name gives, used when the front matter has none.
 * @throws {ContentError} naming the file and field for every mistake a writer can make.
 */
export function parsePost(file: string, source: string, fileSlug: string): { meta: FrontMatter; body: string } {
  const match = FENCE.exec(source.replace(/^\uFEFF/, ""));
  if (!match) throw new ContentError(file, undefined, "has no front matter (start the file with a --- block)");
  const fields = frontMatterFields(file, match[1] ?? "");

  const title = text(file, fields, "title");
  if (!title) throw new ContentError(file, "title", "is missing");

  const slug = fields.slug === undefined ? fileSlug : text(file, fields, "slug");
  if (!slug || !isSlug(slug)) {
    throw new ContentError(file, "slug", `"${slug}" is not a slug: use lower-case letters, digits and single hyphens`);
  }

  const date = isoDate(file, fields, "date");
  if (!date) throw new ContentError(file, "date", "is missing");
  const updated = isoDate(file, fields, "updated");
  if (updated && updated < date) throw new ContentError(file, "updated", "is before the post's date");

  const summary = text(file, fields, "summary") ?? text(file, fields, "description");
  const lang = text(file, fields, "lang");
  if (lang !== undefined && !LANG.test(lang))
    throw new ContentError(file, "lang", `"${lang}" is not a language tag like en or ko`);

  const moved = aliases(file, fields.aliases);
  const translationKey = text(file, fields, "translationKey");
  if (translationKey !== undefined && !lang)
    throw new ContentError(file, "translationKey", "needs the post's lang (add lang: en, lang: ko, ...)");

  const draft = fields.draft ?? false;
  if (typeof draft !== "boolean") throw new ContentError(file, "draft", "must be true or false");
  const toc = fields.toc ?? false;
  if (typeof toc !== "boolean") throw new ContentError(file, "toc", "must be true or false");

  return {
    meta: {
      title,
      slug,
      date,
      tags: tags(file, fields.tags),
      draft,
      ...(updated && { updated }),
      ...(summary && { summary }),
      ...(lang && { lang }),
      ...(moved.length > 0 && { aliases: moved }),
      ...(toc && { toc }),
      ...(translationKey && { translationKey }),
    },
    body: source.slice((match.index ?? 0) + match[0].length),
  };
}

/** The front matter block's fields, each a known one. */
function frontMatterFields(file: string, block: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = parseYaml(block);
  } catch (error) {
    throw new ContentError(file, undefined, `has front matter that is not valid YAML: ${(error as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ContentError(file, undefined, "has front matter that is not a set of fields");
  }
  const fields = data as Record<string, unknown>;
  for (const name of Object.keys(fields)) {
    if (!KNOWN_FIELDS.has(name))
      throw new ContentError(file, name, `is not a known field (known: ${[...KNOWN_FIELDS].join(", ")})`);
  }
  return fields;
}

function text(file: string, fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" && typeof value !== "number") throw new ContentError(file, name, "must be text");
  const trimmed = String(value).normalize("NFC").trim();
  return trimmed === "" ? undefined : trimmed;
}

function isoDate(file: string, fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined || value === null) return undefined;
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  const raw = typeof value === "string" ? value.trim() : "";
  const time = DATE.test(raw) && realDay(raw) ? Date.parse(raw.length === 10 ? `${raw}T00:00:00Z` : raw) : Number.NaN;
  if (Number.isNaN(time)) {
    throw new ContentError(file, name, `"${String(value)}" is not a date (use YYYY-MM-DD or an ISO 8601 date-time)`);
  }
  return new Date(time).toISOString();
}

/** Date.parse rolls 2025-02-30 over into March; this refuses it. */
function realDay(raw: string): boolean {
  const [y, m, d] = raw.slice(0, 10).split("-").map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}

function tags(file: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(list)) throw new ContentError(file, "tags", "must be a list");
  const out = new Set<string>();
  for (const item of list) {
    const tag = typeof item === "string" || typeof item === "number" ? slugify(String(item)) : "";
    if (!tag) throw new ContentError(file, "tags", `has an empty or invalid tag: ${JSON.stringify(item)}`);
    out.add(tag);
  }
  return [...out];
}

/**
 * Old addresses of a post: a path (`/2025/05/old-title.html`), a full URL whose path is used
 * (`https://old.blogspot.com/2025/05/old-title.html`), or a bare slug (`old-slug`, meaning
 * `/posts/old-slug`). Returned as normalized paths; collisions between posts are checked by the
 * release, which sees them all.
 */
function aliases(file: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list)) throw new ContentError(file, "aliases", "must be a list of old paths or slugs");
  const out: string[] = [];
  for (const item of list) {
    const path = aliasPath(file, item);
    if (out.includes(path)) throw new ContentError(file, "aliases", `lists "${path}" twice`);
    out.push(path);
  }
  return out;
}

/**
 * One old address in the form the release stores it (`routePath`, or `queryAliasKey` for one with
 * a query). Exported for the importer, which checks each address it would write.
 * @throws {ContentError} saying why it cannot be an alias.
 */
export function aliasPath(file: string, item: unknown): string {
  const bad = (why: string) => new ContentError(file, "aliases", `has ${JSON.stringify(item)}, which ${why}`);
  if (typeof item !== "string" || item.trim() === "") throw bad("is not a path or a slug");
  let raw = item.trim();
  let query = "";
  if (/^https?:\/\//i.test(raw)) {
    const url = URL.parse(raw);
    if (!url) throw bad("is not a valid URL");
    if (url.hash) throw bad("has a #fragment (aliases match the path and one query parameter)");
    raw = url.pathname;
    query = url.search;
  } else if (!raw.startsWith("/")) {
    const slug = raw.normalize("NFC").toLowerCase();
    if (!isSlug(slug)) throw bad("is neither a path starting with / nor a slug");
    raw = `/posts/${slug}`;
  } else if (raw.includes("?")) {
    query = raw.slice(raw.indexOf("?"));
    raw = raw.slice(0, raw.indexOf("?"));
  }
  if (/[?#\s\p{Cc}]/u.test(raw) || /[#\s\p{Cc}]/u.test(query))
    throw bad("has a #fragment, space or control character (aliases match the path and one query parameter)");
  if (/\/\/|\/\.\.?(?:\/|$)/.test(raw)) throw bad('has an empty, "." or ".." segment');
  const path = routePath(raw);
  if (path === null) throw bad("has a malformed %-escape");
  if (query.length > 1) return queryAlias(path, query, bad);
  if (isReservedPath(path)) throw bad("is one of the blog's own addresses");
  if (path.startsWith("/posts/") && !isSlug(path.slice("/posts/".length)))
    throw bad("is not /posts/<slug> (under /posts/ only a single slug can be an alias)");
  return path;
}

/**
 * An old address with a query (`/?p=123`, `/index.php?page_id=7`): exactly one `name=value`
 * parameter. On the home page only WordPress's post parameters can be one (`HOME_ALIAS_PARAMS`),
 * and under the blog's other own addresses none: the Worker would answer them itself.
 */
function queryAlias(path: string, query: string, bad: (why: string) => ContentError): string {
  const params = [...new URLSearchParams(query)];
  const [name, value] = params[0] ?? ["", ""];
  if (params.length !== 1 || !name || !value)
    throw bad("has a ?query that is not one name=value parameter (aliases match the path and one query parameter)");
  if (path === "/" ? !HOME_ALIAS_PARAMS.includes(name) : isReservedPath(path) || path.startsWith("/posts/"))
    throw bad(`is one of the blog's own addresses (on the home page only ?${HOME_ALIAS_PARAMS.join("=, ?")}= can be)`);
  return queryAliasKey(path, name, value);
}
