import { stringify } from "yaml";
import { markerLine } from "./content-state.ts";

/** The front matter of an imported post (the fields the build knows). */
export interface ImportedMeta {
  title: string;
  slug: string;
  date: string;
  updated?: string | undefined;
  /** Written when the post's language is not the site's, or it has a translationKey. */
  lang?: string | undefined;
  translationKey?: string | undefined;
  summary?: string | undefined;
  tags: string[];
  draft: boolean;
  aliases: string[];
}

/**
 * The post file: front matter (opening with the import marker, a YAML comment) and the Markdown
 * body. The same post always gives the same bytes, so a re-import of an unchanged export writes
 * nothing new.
 */
export function postText(sourceKey: string, meta: ImportedMeta, markdown: string): string {
  const fields = {
    title: meta.title,
    slug: meta.slug,
    date: meta.date,
    ...(meta.updated && { updated: meta.updated }),
    ...(meta.lang && { lang: meta.lang }),
    ...(meta.translationKey && { translationKey: meta.translationKey }),
    ...(meta.summary && { summary: meta.summary }),
    ...(meta.tags.length > 0 && { tags: meta.tags }),
    ...(meta.draft && { draft: true }),
    ...(meta.aliases.length > 0 && { aliases: meta.aliases }),
  };
  const yaml = stringify(fields, { lineWidth: 0, flowCollectionPadding: false });
  const rest = `${yaml}---\n\n${markdown}`;
  // The hash is of the file without its marker line, as `readContentState` checks it.
  return `---\n${markerLine(sourceKey, `---\n${rest}`)}\n${rest}`;
}
