import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { readContent } from "../../pipeline/read-content.ts";
import { languageOf } from "../../src/articles/translations.ts";

/**
 * The first front matter line of an imported post: which export item it came from and the hash
 * of the file as written, so a re-import can tell an untouched post (safe to rewrite) from one
 * the writer edited (kept unless --overwrite).
 */
const MARKER = /^# imported from (\S+) sha256:([0-9a-f]{16})\b.*$/m;

/** The marker line for a post file (`text` without the marker). */
export function markerLine(sourceKey: string, text: string): string {
  return `# imported from ${sourceKey} sha256:${fileHash(text)} (edits are kept on re-import unless --overwrite)`;
}

export const fileHash = (text: string): string => createHash("sha256").update(text).digest("hex").slice(0, 16);

/** An imported post file as found on disk. */
export interface ImportedFile {
  file: string;
  slug: string;
  /** Whether the file still is exactly what the import wrote. */
  untouched: boolean;
  text: string;
}

/** What the content folder holds before the import: every post's slug and aliases, and the imported ones by source. */
export interface ContentState {
  /** Slug -> file, every post (drafts included). */
  slugs: Map<string, string>;
  /** Alias path -> slug of the post that has it. */
  aliases: Map<string, string>;
  /** Source key (`wordpress:<site>:post:123`) -> the file written for it. */
  imported: Map<string, ImportedFile>;
  /** Every post with a `translationKey`, and its `lang`: the sets imported posts join or must not clash with. */
  translated: { slug: string; key: string; lang: string }[];
  /** The languages posts name (primary subtags): each has its list at `/<lang>`, which no alias may take. */
  languages: Set<string>;
}

/**
 * Reads the content folder as the build does (so a post the build would refuse stops the import
 * before it writes anything), and the marker of every imported post.
 */
export async function readContentState(contentDir: string): Promise<ContentState> {
  const posts = await readContent(contentDir).catch((error: unknown) => {
    if (error instanceof AggregateError && /not a folder/.test(error.message)) return [];
    throw error;
  });
  const state: ContentState = {
    slugs: new Map(),
    aliases: new Map(),
    imported: new Map(),
    translated: [],
    languages: new Set(),
  };
  for (const post of posts) {
    state.slugs.set(post.meta.slug, post.file);
    const { translationKey: key, lang = "" } = post.meta;
    if (key) state.translated.push({ slug: post.meta.slug, key, lang });
    if (lang) state.languages.add(languageOf(lang));
    for (const alias of post.meta.aliases ?? []) state.aliases.set(alias, post.meta.slug);
    const text = await readFile(join(process.cwd(), post.file), "utf8").catch(() => "");
    const marker = MARKER.exec(text);
    if (!marker?.[1]) continue;
    const rest = text.replace(`${marker[0]}\n`, "");
    state.imported.set(marker[1], {
      file: post.file,
      slug: post.meta.slug,
      untouched: fileHash(rest) === marker[2],
      text,
    });
  }
  return state;
}
