/**
 * The language fields of a new post (`npm run new`): `lang` from `--lang` or from a Hangul title,
 * and, with `--translation-of`, the `translationKey` it shares with the post it translates, which
 * is added to that post when it has none yet. Every rule the build enforces on translations
 * (pipeline/translations.ts) is checked here first, so a new translation always builds.
 */
import { readFile, writeFile } from "node:fs/promises";
import { relative } from "node:path";
import { parse } from "yaml";
import { NewPostError } from "./new-post-error.ts";
import { scriptOfText } from "./text-language.ts";

/**
 * `ko` when at least as many of the title's words hold Hangul as hold Latin letters
 * ("BLACKPINK 컴백 무대 후기", "BTS 새 앨범"), else none ("Learning 한국어 through K-pop").
 */
export const languageOfTitle = (title: string): string | undefined =>
  scriptOfText(title) === "hangul" ? "ko" : undefined;

/** `ko-KR` and `ko` are one language for translations, as for the build. */
const primary = (lang: string) => lang.split("-")[0]?.toLowerCase() ?? lang;

const FENCE = /^(---\r?\n)([\s\S]*?)(\r?\n---)/;

interface Fields {
  file: string;
  text: string;
  slug: string;
  lang?: string;
  translationKey?: string;
}

async function fieldsOf(file: string, slug: string): Promise<Fields> {
  const text = await readFile(file, "utf8");
  const parsed = parse(FENCE.exec(text)?.[2] ?? "") as Record<string, unknown> | null;
  const field = (name: string) => (typeof parsed?.[name] === "string" ? (parsed[name] as string).trim() : undefined);
  const lang = field("lang");
  const translationKey = field("translationKey");
  const slugField = field("slug");
  return {
    file,
    text,
    slug: slugField ?? slug,
    ...(lang && { lang }),
    ...(translationKey && { translationKey }),
  };
}

/** What `--translation-of` resolved to: the key both posts carry, and the original's file when it needs the key added. */
export interface Translation {
  key: string;
  original: Fields;
  addKeyToOriginal: boolean;
}

/**
 * Resolves `--translation-of <slug>` for a new post in `lang`.
 * @param posts slug -> file of every post (`takenSlugs`, without aliases)
 * @throws {NewPostError} (code 2) when there is no such post, it names no `lang`, it is in the
 * same language, or its set already has a post in that language.
 */
export async function translationOf(slug: string, lang: string | undefined, posts: Map<string, string>) {
  const wanted = slug.normalize("NFC").trim().toLowerCase();
  const file = posts.get(wanted);
  if (!file || file.endsWith(" (aliases)"))
    throw new NewPostError(`--translation-of: no post has the slug "${wanted}" (the part after /posts/)`, 2);
  const shown = relative(process.cwd(), file) || file;
  if (!lang) throw new NewPostError("--translation-of needs the new post's language: add --lang ko (or en, ...)", 2);
  const original = await fieldsOf(file, wanted);
  if (!original.lang)
    throw new NewPostError(`--translation-of: ${shown} names no lang; add "lang: en" (its language) to it first`, 2);
  if (primary(original.lang) === primary(lang))
    throw new NewPostError(
      `--translation-of: ${shown} is already in ${original.lang}; give the new post another --lang`,
      2,
    );
  const key = original.translationKey ?? original.slug;
  for (const other of new Set(posts.values())) {
    if (other.endsWith(" (aliases)") || other === file) continue;
    const member = await fieldsOf(other, "").catch(() => undefined);
    if (member?.translationKey === key && member.lang && primary(member.lang) === primary(lang))
      throw new NewPostError(
        `--translation-of: ${relative(process.cwd(), other) || other} is already its ${member.lang} translation`,
        2,
      );
  }
  return { key, original, addKeyToOriginal: original.translationKey === undefined } satisfies Translation;
}

/** Adds `translationKey` as the last line of the original's front matter (nothing else in the file changes). */
export async function addKeyToOriginal(t: Translation, translation: string): Promise<void> {
  const match = FENCE.exec(t.original.text);
  if (!match) throw new NewPostError(`${t.original.file}: no front matter to add translationKey to`, 2);
  const line = `\ntranslationKey: ${JSON.stringify(t.key)} # its translation, ${translation}, has the same key`;
  const at = (match.index ?? 0) + (match[1]?.length ?? 0) + (match[2]?.length ?? 0);
  await writeFile(t.original.file, t.original.text.slice(0, at) + line + t.original.text.slice(at));
}
