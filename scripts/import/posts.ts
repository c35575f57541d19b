import { ContentError } from "../../pipeline/content-error.ts";
import { parsePost } from "../../pipeline/front-matter.ts";
import { languageOf } from "../../src/articles/translations.ts";
import { slugify } from "../../src/lib/slug.ts";
import { aliasesFor } from "./aliases.ts";
import type { ContentState } from "./content-state.ts";
import { absolutize, imageSources, moveImages, parseHtml, toMarkdown } from "./html-to-markdown.ts";
import { type LanguageSource, postLanguage } from "./languages.ts";
import { type MediaFinder, mediaName } from "./media.ts";
import type { SourceExport, SourcePost } from "./model.ts";
import { type ImportedMeta, postText } from "./post-text.ts";
import type { ImportReport } from "./report.ts";
import { expandShortcodes } from "./shortcodes.ts";
import { wpautop } from "./wpautop.ts";

/** A post as it will be written: its file (`posts/<slug>/index.md` under the content folder) and files beside it. */
export interface PostPlan {
  source: SourcePost;
  /** Marker key: format, old blog and the export's id. */
  key: string;
  slug: string;
  label: string;
  text: string;
  media: { name: string; bytes: Buffer }[];
  /** How many old addresses it keeps. */
  aliases: number;
  /** "new" or "changed": to write; "same": nothing to do; "edited": the writer changed it, kept; "invalid": not written. */
  action: "new" | "changed" | "same" | "edited" | "invalid";
  /** The post's language; front matter names it only when it is not the site's, or with a translationKey. */
  lang: string;
  langFrom: LanguageSource;
  /** Its front matter and Markdown, to write it again with a translationKey (scripts/import/translations.ts). */
  meta: ImportedMeta;
  markdown: string;
}

/** Whether the plan's text is what the content folder will hold (written now, or already there). */
export const writes = (plan: PostPlan): boolean =>
  plan.action === "new" || plan.action === "changed" || plan.action === "same";

/** The report's kind for a post: pages, drafts and scheduled posts are counted apart. */
export function kindOf(post: SourcePost): string {
  if (post.status === "draft") return "drafts";
  if (post.status === "scheduled") return "scheduled";
  return post.kind === "page" ? "pages" : "posts";
}

const label = (post: SourcePost) => `${post.kind} ${post.sourceId} "${post.title}"`;

/**
 * Slug of each post to import: the one an earlier import gave it, else its old slug (Hangul and
 * other letters kept), else one from its title; a slug another post has gets `-2`, `-3`, ...
 * (reported).
 */
export function assignSlugs(
  posts: readonly SourcePost[],
  keyOf: (p: SourcePost) => string,
  state: ContentState,
  report: ImportReport,
): Map<SourcePost, string> {
  const taken = new Map(state.slugs);
  const out = new Map<SourcePost, string>();
  for (const post of posts) {
    const earlier = state.imported.get(keyOf(post));
    if (earlier) {
      out.set(post, earlier.slug);
    }
  }
  for (const slug of out.values()) taken.set(slug, "imported");
  for (const post of posts) {
    if (out.has(post)) continue;
    const base = (slugify(post.oldSlug) || slugify(post.title) || `${post.kind}-${post.sourceId}`)
      .slice(0, 190)
      .replace(/-+$/, "");
    let slug = base;
    for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
    if (slug !== base)
      report.warn(`${label(post)}: slug "${base}" is taken (${taken.get(base)}), imported as "${slug}"`);
    taken.set(slug, label(post));
    out.set(post, slug);
  }
  return out;
}

/** What planning one post needs. */
export interface PlanContext {
  source: SourceExport;
  state: ContentState;
  /** Alias -> slug, every post's so far. */
  claimed: Map<string, string>;
  media: MediaFinder;
  report: ImportReport;
  overwrite: boolean;
  /** The site's language (`SITE_LANG`): a post in it needs no `lang`. */
  siteLang: string;
  /** Attachment id -> URL; post id -> URLs of attachments it has (for `[gallery]`). */
  attachments: ReadonlyMap<string, string>;
  attachedTo: ReadonlyMap<string, string[]>;
}

/** Converts one post, finds its images and decides what to do with its file. */
export async function planPost(post: SourcePost, key: string, slug: string, ctx: PlanContext): Promise<PostPlan> {
  const { report } = ctx;
  const name = label(post);
  let html = post.html;
  if (ctx.source.format === "wordpress") {
    html = expandShortcodes(html, {
      gallery: (ids) =>
        ids ? ids.flatMap((id) => ctx.attachments.get(id) ?? []) : (ctx.attachedTo.get(post.sourceId) ?? []),
      unknown: (code) => report.warn(`${name}: shortcode [${code}] is not known, kept as text`),
    });
    html = wpautop(html);
  }
  const body = parseHtml(html);
  absolutize(body, ctx.source.site);
  const images = imageSources(body);
  if (post.featuredImage && !images.includes(post.featuredImage)) {
    const img = body.ownerDocument.createElement("img");
    img.setAttribute("src", post.featuredImage);
    img.setAttribute("alt", "");
    const p = body.ownerDocument.createElement("p");
    p.appendChild(img);
    body.insertBefore(p, body.firstChild);
    images.unshift(post.featuredImage);
  }
  const { moved, files } = await findMedia(images, ctx, name);
  const { lang, from } = postLanguage(
    post,
    `${post.title} ${body.textContent ?? ""}`,
    ctx.source.language,
    ctx.siteLang,
  );
  moveImages(body, moved);
  const markdown = toMarkdown(body);
  if (!post.title) report.warn(`${name}: has no title, imported as "(untitled)"`);
  const tags = [...new Set(post.tags.map((t) => slugify(t)).filter(Boolean))];
  const aliases = aliasesFor(slug, post.oldUrls, ctx.claimed, (m) => report.warn(`${name}: ${m}`));
  const meta: ImportedMeta = {
    title: post.title || "(untitled)",
    slug,
    date: post.date,
    updated: post.updated,
    lang: languageOf(lang) === languageOf(ctx.siteLang) ? undefined : lang,
    summary: post.summary && plainSummary(post.summary),
    tags,
    draft: post.status === "draft",
    aliases,
  };
  return render({ source: post, key, slug, label: name, media: files, lang, langFrom: from, meta, markdown }, ctx);
}

/**
 * The post's file text from its front matter and Markdown, and what to do with it: checked as the
 * build will check it (an import never leaves a post the build refuses), then compared with what
 * an earlier import wrote.
 */
export function render(
  plan: Omit<PostPlan, "text" | "action" | "aliases">,
  ctx: Pick<PlanContext, "state" | "overwrite" | "report">,
): PostPlan {
  const text = postText(plan.key, plan.meta, plan.markdown);
  const problem = refused(`posts/${plan.slug}/index.md`, text, plan.slug);
  if (problem) {
    ctx.report.warn(`${plan.label}: not imported, the build would refuse it: ${problem}`);
    return { ...plan, text, media: [], aliases: 0, action: "invalid" };
  }
  const earlier = ctx.state.imported.get(plan.key);
  const action = !earlier
    ? "new"
    : earlier.text === text
      ? "same"
      : earlier.untouched || ctx.overwrite
        ? "changed"
        : "edited";
  return { ...plan, text, aliases: plan.meta.aliases.length, action };
}

/** Why the build would refuse this post file, or undefined. */
function refused(file: string, text: string, slug: string): string | undefined {
  try {
    parsePost(file, text, slug);
    return undefined;
  } catch (error) {
    if (error instanceof ContentError) return error.message;
    throw error;
  }
}

/** An excerpt as one line of text. */
const plainSummary = (html: string): string =>
  (parseHtml(html).textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 500);

async function findMedia(images: string[], ctx: PlanContext, name: string) {
  const moved = new Map<string, string>();
  const files: { name: string; bytes: Buffer }[] = [];
  const taken = new Set<string>();
  const found = await Promise.all(
    images.map(async (url) => ({ url, found: await ctx.media.find(absolute(url, ctx.source.site)) })),
  );
  for (const { url, found: f } of found) {
    ctx.report.found("media");
    if ("missing" in f) {
      ctx.report.skipped("media", `${f.missing} (left at the old address)`);
      if (ctx.media.enabled) ctx.report.warn(`${name}: image ${url} ${f.missing}; left at the old address`);
      continue;
    }
    const file = mediaName(url, taken);
    moved.set(url, file);
    files.push({ name: file, bytes: f.bytes });
  }
  return { moved, files };
}

/** An image address made absolute against the old blog's (relative `/wp-content/...` sources). */
function absolute(url: string, site: string): string {
  if (/^(https?:)?\/\//i.test(url)) return url;
  const base = URL.parse(site);
  return base ? (URL.parse(url, base.href)?.href ?? url) : url;
}
