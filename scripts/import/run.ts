import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { queryAliasKey, routePath } from "../../src/articles/record.ts";
import { type CommentRow, commentRows } from "./comments-plan.ts";
import { readContentState } from "./content-state.ts";
import { freeLanguagePaths } from "./language-paths.ts";
import { siteLanguage } from "./languages.ts";
import { MediaFinder, type MediaOptions } from "./media.ts";
import type { SourceExport, SourcePost } from "./model.ts";
import { assignSlugs, kindOf, type PlanContext, type PostPlan, planPost, writes } from "./posts.ts";
import type { ImportReport } from "./report.ts";
import { linkTranslations } from "./translations.ts";

export interface ImportOptions {
  contentDir: string;
  media: MediaOptions;
  overwrite: boolean;
  dryRun: boolean;
  /** The site's language; by default `SITE_LANG` of ./wrangler.toml (`en` when it names none). */
  siteLang?: string;
  /** A progress line ("300 of 1000 posts"), for large exports. */
  progress?: (line: string) => void;
}

/** What the import wrote (or, in a dry run, would write). */
export interface ImportResult {
  plans: PostPlan[];
  comments: CommentRow[];
}

const IMPORTED = new Set(["published", "draft", "scheduled"]);

/** The marker key of a post: format, old blog, kind and the export's id. */
export const sourceKey = (source: SourceExport, post: SourcePost): string =>
  `${source.format}:${encodeURI(source.site)}:${post.kind}:${post.sourceId}`;
/** Posts converted at once (their images are looked up meanwhile). */
const AT_ONCE = 16;

/**
 * Plans and writes the posts of an export into the content folder, and returns the comment rows
 * for the load (posts' own comments and Disqus threads matched to posts by their old address).
 */
export async function importExport(
  source: SourceExport,
  options: ImportOptions,
  report: ImportReport,
): Promise<ImportResult> {
  const state = await readContentState(options.contentDir);
  for (const s of source.skipped) {
    report.found(s.kind);
    report.skipped(s.kind, s.reason);
  }
  for (const [kind, n] of Object.entries(source.found)) if (n > 0) report.found(kind, n);
  for (const warning of source.warnings) report.warn(warning);
  const keyOf = (post: SourcePost) => sourceKey(source, post);
  const wanted: SourcePost[] = [];
  for (const post of source.posts) {
    report.found(kindOf(post));
    if (IMPORTED.has(post.status)) wanted.push(post);
    else {
      report.skipped(kindOf(post), `${post.status} (not imported)`);
      report.found("comments", post.comments.length);
      if (post.comments.length) report.skipped("comments", `on a ${post.status} ${post.kind}`, post.comments.length);
    }
  }
  const slugs = assignSlugs(wanted, keyOf, state, report);
  const ctx: PlanContext = {
    source,
    state,
    claimed: new Map(state.aliases),
    media: new MediaFinder(options.media),
    report,
    overwrite: options.overwrite,
    siteLang: options.siteLang ?? siteLanguage(),
    attachments: source.attachments ?? new Map(),
    attachedTo: source.attachedTo ?? new Map(),
  };
  let plans: PostPlan[] = [];
  for (let i = 0; i < wanted.length; i += AT_ONCE) {
    const batch = wanted.slice(i, i + AT_ONCE);
    plans.push(...(await Promise.all(batch.map((p) => planPost(p, keyOf(p), slugs.get(p) as string, ctx)))));
    if (wanted.length >= 200 && (i / AT_ONCE) % 10 === 9)
      options.progress?.(`${plans.length} of ${wanted.length} posts converted`);
  }
  plans = freeLanguagePaths(linkTranslations(plans, source.posts, ctx), state, ctx);
  for (const plan of plans) if (writes(plan)) report.language(plan.lang, plan.langFrom);
  for (const plan of plans) await apply(plan, options, report);
  const comments = [
    ...plans.filter((p) => p.action !== "invalid").flatMap((plan) => postComments(plan, source, report)),
    ...threadComments(source, plans, ctx.claimed, state.slugs, report),
  ];
  return { plans, comments };
}

async function apply(plan: PostPlan, options: ImportOptions, report: ImportReport): Promise<void> {
  const kind = kindOf(plan.source);
  report.found("aliases", plan.aliases);
  if (plan.action === "invalid") return report.skipped(kind, "the build would refuse it (see warnings)");
  if (plan.action === "same") {
    report.unchanged("aliases", plan.aliases);
    return report.unchanged(kind);
  }
  if (plan.action === "edited")
    return report.skipped(kind, "edited since the last import (kept; --overwrite replaces it)");
  report.imported(kind);
  report.imported("aliases", plan.aliases);
  report.imported("media", plan.media.length);
  if (options.dryRun) return;
  const dir = join(options.contentDir, "posts", plan.slug);
  await mkdir(dir, { recursive: true });
  for (const file of plan.media) {
    const path = join(dir, file.name);
    const existing = await readFile(path).catch(() => undefined);
    if (!existing?.equals(file.bytes)) await writeFile(path, file.bytes);
  }
  await writeFile(join(dir, "index.md"), plan.text);
}

function postComments(plan: PostPlan, source: SourceExport, report: ImportReport): CommentRow[] {
  const comments = plan.source.comments;
  report.found("comments", comments.length);
  if (comments.length) report.found("threads", comments.filter((c) => !c.parentId).length);
  return commentRows(
    comments,
    { format: source.format, site: source.site, slug: plan.slug, label: plan.label },
    report,
  );
}

/** Disqus threads: each matched to a post by its old address (an alias) or its new one (`/posts/<slug>`). */
function threadComments(
  source: SourceExport,
  plans: PostPlan[],
  aliases: Map<string, string>,
  slugs: Map<string, string>,
  report: ImportReport,
): CommentRow[] {
  const known = new Set([...slugs.keys(), ...plans.map((p) => p.slug)]);
  const rows: CommentRow[] = [];
  for (const thread of source.threads) {
    if (thread.comments.length === 0) continue;
    report.found("threads");
    report.found("comments", thread.comments.length);
    const slug = matchThread(thread.url, aliases, known);
    if (!slug) {
      report.skipped("threads", "no imported post has its address");
      report.skipped("comments", "their thread matches no post", thread.comments.length);
      report.warn(
        `Disqus thread ${thread.sourceId} "${thread.title}" (${thread.url}): no post has this old address; its ${thread.comments.length} comments are not imported`,
      );
      continue;
    }
    rows.push(
      ...commentRows(
        thread.comments,
        { format: source.format, site: source.site, slug, label: `thread ${thread.sourceId} "${thread.title}"` },
        report,
      ),
    );
  }
  return rows;
}

function matchThread(url: string, aliases: Map<string, string>, known: Set<string>): string | undefined {
  const parsed = URL.parse(url, "http://old.invalid");
  if (!parsed) return undefined;
  const path = routePath(parsed.pathname);
  if (path === null) return undefined;
  const own = path.startsWith("/posts/") ? path.slice("/posts/".length) : undefined;
  if (own && known.has(own)) return own;
  for (const [name, value] of parsed.searchParams) {
    const slug = aliases.get(queryAliasKey(path, name, value));
    if (slug) return slug;
  }
  return aliases.get(path);
}
