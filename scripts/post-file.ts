/**
 * What `npm run new` does, apart from its command line: derive a slug from a title, find the
 * slugs already taken, and write a new draft post that the build accepts as it is.
 */
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { basename, dirname, join, relative } from "node:path";
import { parse } from "yaml";
import { ContentError } from "../pipeline/content-error.ts";
import { parsePost } from "../pipeline/front-matter.ts";
import { isSlug, slugify } from "../src/lib/slug.ts";
import { NewPostError } from "./new-post-error.ts";
import { addKeyToOriginal, languageOfTitle, type Translation, translationOf } from "./post-language.ts";

/** Longest slug `npm run new` derives (in characters); a longer title is cut at a word. */
export const MAX_DERIVED_SLUG = 80;

export { NewPostError };

/**
 * The slug of a new post: the title's letters and digits (Hangul and every other script kept,
 * as the build's `slugify` does), cut at a hyphen to at most `MAX_DERIVED_SLUG` characters; when
 * the title has no letter or digit ("!!!", "🎉"), `post-<YYYY-MM-DD>` of `date`.
 */
export function slugForTitle(title: string, date: Date): string {
  const slug = slugify(title);
  if (slug === "") return `post-${date.toISOString().slice(0, 10)}`;
  const chars = [...slug];
  if (chars.length <= MAX_DERIVED_SLUG) return slug;
  const cut = chars.slice(0, MAX_DERIVED_SLUG + 1).join("");
  const atWord = cut.slice(0, cut.lastIndexOf("-"));
  return atWord.length > 0 ? atWord : chars.slice(0, MAX_DERIVED_SLUG).join("");
}

/** The file of a new draft: front matter filled in (empty summary and tags are valid), then a body to replace. */
export function postTemplate(
  title: string,
  date: string,
  language: { lang?: string; translationKey?: string } = {},
): string {
  // The blank line after the fence matches the sample posts (Markdown formatters put one there).
  return [
    "---",
    "",
    `title: ${JSON.stringify(title)}`,
    `date: ${date} # a later date schedules the post: it goes live at that time, no redeploy needed`,
    'summary: "" # one or two sentences for lists and the feed; empty: the first paragraph',
    "tags: [] # e.g. [k-pop, 한국어]",
    "draft: true # npm run dev shows drafts; set false (or delete this line) to publish",
    ...(language.lang ? [`lang: ${language.lang}`] : []),
    ...(language.translationKey
      ? [`translationKey: ${JSON.stringify(language.translationKey)} # the same in each translation of this story`]
      : []),
    "---",
    "",
    "Write the post here, in Markdown.",
    "",
  ].join("\n");
}

const FENCE = /^---\r?\n([\s\S]*?)\r?\n---/;

/**
 * Slugs (and old `/posts/<slug>` aliases) the posts under `postsDir` already use, each with the
 * file that uses it. Lenient: a post the build would refuse still reserves its file name's slug
 * and whatever slug its front matter names.
 */
export async function takenSlugs(postsDir: string): Promise<Map<string, string>> {
  const taken = new Map<string, string>();
  if (!existsSync(postsDir)) return taken;
  const files = (await readdir(postsDir, { recursive: true })).filter((f) => f.endsWith(".md")).sort();
  for (const file of files) {
    const name = basename(file, ".md");
    const shown = join(postsDir, file);
    taken.set(slugify(name === "index" ? basename(dirname(file)) : name), shown);
    let fields: unknown;
    try {
      fields = parse(FENCE.exec(await readFile(shown, "utf8"))?.[1] ?? "");
    } catch {
      continue;
    }
    if (typeof fields !== "object" || fields === null) continue;
    const { slug, aliases } = fields as { slug?: unknown; aliases?: unknown };
    if (typeof slug === "string") taken.set(slug.normalize("NFC").trim().toLowerCase(), shown);
    for (const alias of Array.isArray(aliases) ? aliases : [aliases]) {
      if (typeof alias !== "string") continue;
      const old = alias.trim().replace(/^https?:\/\/[^/]+/i, "");
      const slugOf = old.startsWith("/") ? /^\/posts\/([^/]+)\/?$/.exec(old)?.[1] : old;
      if (slugOf) taken.set(slugOf.normalize("NFC").toLowerCase(), `${shown} (aliases)`);
    }
  }
  return taken;
}

export interface NewPostOptions {
  /** The content folder (posts go to `<content>/posts/`). */
  contentDir: string;
  title: string;
  /** Use this slug instead of deriving one from the title. */
  slug?: string | undefined;
  /** The post's date as front matter takes it (YYYY-MM-DD or ISO 8601); default `now`. */
  date?: string | undefined;
  /** Its language tag; default `ko` for a title mostly in Hangul, else none (the site's language). */
  lang?: string | undefined;
  /** The slug of the post this one translates: both then share a `translationKey`. */
  translationOf?: string | undefined;
  now?: Date;
}

/**
 * Writes `<content>/posts/<slug>.md` as a draft and returns its path and slug.
 * @throws {NewPostError} when the title, slug or date is unusable (code 2) or a post already
 * has the file or the slug (code 1); nothing is written then.
 */
export async function createPost(options: NewPostOptions): Promise<NewPost> {
  const title = options.title.normalize("NFC").trim();
  if (title === "") throw new NewPostError('Give the post a title: npm run new -- "My title"', 2);
  const now = options.now ?? new Date();
  const slug = options.slug?.normalize("NFC").trim().toLowerCase() ?? slugForTitle(title, now);
  if (!isSlug(slug))
    throw new NewPostError(`"${options.slug}" is not a slug: use letters, digits and single hyphens`, 2);
  const date = options.date?.trim() ?? now.toISOString().replace(/\.\d{3}Z$/, "Z");

  const postsDir = join(options.contentDir, "posts");
  const file = join(postsDir, `${slug}.md`);
  const shown = relative(process.cwd(), file) || file;
  const taken = await takenSlugs(postsDir);
  const lang = options.lang?.trim() || languageOfTitle(title);
  const translation = options.translationOf ? await translationOf(options.translationOf, lang, taken) : undefined;
  const text = postTemplate(title, date, {
    ...(lang && { lang }),
    ...(translation && { translationKey: translation.key }),
  });
  try {
    parsePost(shown, text, slug);
  } catch (error) {
    if (error instanceof ContentError) throw new NewPostError(error.message, 2);
    throw error;
  }

  const owner = taken.get(slug);
  if (owner || existsSync(file) || existsSync(join(postsDir, slug, "index.md"))) {
    const by = owner ? relative(process.cwd(), owner) || owner : shown;
    throw new NewPostError(
      `Not created: the slug "${slug}" is already used by ${by}. Pick another title, or pass --slug <another-slug>.`,
      1,
    );
  }
  await mkdir(postsDir, { recursive: true });
  try {
    // "wx": never overwrite, even if the file appeared since the check.
    await writeFile(file, text, { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST")
      throw new NewPostError(`Not created: ${shown} already exists.`, 1);
    throw error;
  }
  if (translation?.addKeyToOriginal) await addKeyToOriginal(translation, shown);
  return { file: shown, slug, ...(lang && { lang }), ...(translation && { translation: summary(translation) }) };
}

/** What `createPost` wrote: the file, its slug, its language, and the post it translates. */
export interface NewPost {
  file: string;
  slug: string;
  lang?: string;
  translation?: { of: string; key: string; keyAdded: boolean };
}

const summary = (t: Translation) => ({
  of: relative(process.cwd(), t.original.file) || t.original.file,
  key: t.key,
  keyAdded: t.addKeyToOriginal,
});
