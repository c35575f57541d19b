import type { ArticleRecord } from "../src/articles/record.ts";
import { assembleRelease, type PostFile, type Release, type ReleaseOptions } from "./assemble-release.ts";
import { ContentError } from "./content-error.ts";
import type { Highlight } from "./highlight.ts";
import { renderBody } from "./markdown.ts";
import type { MediaLibrary } from "./media.ts";
import { firstParagraph, plainText } from "./plain-text.ts";
import { readingMinutes } from "./reading-time.ts";

export type { Release, ReleaseOptions } from "./assemble-release.ts";

/** A post as read from disk, before rendering. */
export interface SourcePost extends PostFile {
  body: string;
  /** Hash of the whole source file. */
  sourceHash: string;
}

/** What every post of one build shares: the code highlighter and the published media files. */
export interface RenderTools {
  highlight?: Highlight | undefined;
  media?: Pick<MediaLibrary, "resolve"> | undefined;
}

/**
 * Renders one post into its KV record; `cachedHtml` is the body's HTML when it is already known.
 * @throws {AggregateError} of `ContentError`s, one per broken image or file reference.
 */
export function renderPost(post: SourcePost, tools: RenderTools = {}, cachedHtml?: string): ArticleRecord {
  return renderArticle(post, tools, cachedHtml).record;
}

/**
 * `renderPost`, also giving the text a reader reads (`plainText` of the HTML), which the search
 * row needs too: made once.
 */
export function renderArticle(
  post: SourcePost,
  tools: RenderTools = {},
  cachedHtml?: string,
): { record: ArticleRecord; text: string } {
  const { meta } = post;
  const { highlight, media } = tools;
  const { html, problems } =
    cachedHtml !== undefined
      ? { html: cachedHtml, problems: [] }
      : renderBody(post.body, {
          highlight,
          media: media && ((ref, image) => media.resolve(post.file, ref, image)),
          toc: meta.toc,
        });
  if (problems.length) {
    const errors = problems.map((problem) => new ContentError(post.file, undefined, problem));
    throw new AggregateError(errors, errors.map((e) => e.message).join("\n"));
  }
  const text = plainText(html);
  const record: ArticleRecord = {
    slug: meta.slug,
    title: meta.title,
    date: meta.date,
    ...(meta.updated && { updated: meta.updated }),
    tags: meta.tags,
    summary: meta.summary ?? firstParagraph(html),
    readingMinutes: readingMinutes(text),
    ...(meta.lang && { lang: meta.lang }),
    ...(meta.draft && { draft: true }),
    html,
    sourceHash: post.sourceHash,
  };
  return { record, text };
}

/**
 * Renders posts (with `render`, by default `renderPost` without highlighter or media) and turns
 * them into a release (`assembleRelease`).
 * @throws {ContentError} when two posts claim one slug, or an alias is another post's slug or alias.
 */
export function buildRelease(sources: SourcePost[], options: ReleaseOptions, render = renderPost): Release {
  return assembleRelease(sources, options, (post) => ({ record: render(post) }));
}
