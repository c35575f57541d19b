import type { Context } from "hono";
import { archiveYears } from "../articles/archive.ts";
import { newestChange } from "../articles/last-change.ts";
import { published } from "../articles/published.ts";
import { visibleReadingOn } from "../articles/reading-on.ts";
import type { ChunkedList } from "../articles/record.ts";
import { articleKeyOf, getArchive, listPage, pageCount, readArticle } from "../articles/store.ts";
import { visibleTranslations } from "../articles/translations.ts";
import { markDegraded, noteModified } from "../cache/marks.ts";
import { HOLE, withShell } from "../cache/shell.ts";
import { loadCommentSection } from "../comments/section.ts";
import { CommentsUnavailable } from "../comments/store/rows.ts";
import { readSession } from "../comments/store/sessions.ts";
import { commentCounts } from "../comments/store/stats.ts";
import { Hono } from "../lib/hono.ts";
import { homePath, pageNumber, postPath, tagPath } from "../lib/paths.ts";
import type { AppEnv } from "../types.ts";
import { ArchivePage } from "../views/archive-page.tsx";
import { ArticlePage } from "../views/article-page.tsx";
import { CommentSection } from "../views/comments.tsx";
import { HomePage } from "../views/home-page.tsx";
import { TagPage } from "../views/tag-page.tsx";

/** Home (paged), articles and tag pages: everything a reader browses. */
export const articles = new Hono<AppEnv>();

/**
 * Published-comment counts for posts in one D1 round trip; none when D1 fails (the list still
 * renders, marked degraded so that the cache does not keep it without its counts).
 */
async function countsOf(c: Context<AppEnv>, slugs: readonly string[]): Promise<Map<string, number> | undefined> {
  try {
    return await commentCounts(readSession(c.env.DB), slugs);
  } catch (error) {
    if (!(error instanceof CommentsUnavailable)) throw error;
    console.error(error.message, error.cause);
    markDegraded(c);
    return undefined;
  }
}

/**
 * Page `page` of a list and its posts' comment counts. On a first page whose slugs the list names
 * (`ChunkedList.newest`), the counts are read from D1 while the chunk is read from KV, not after it.
 */
export async function listWithCounts(c: Context<AppEnv>, list: ChunkedList, page: number) {
  const size = c.var.site.pageSize;
  const known = page === 1 ? list.newest?.slice(0, size) : undefined;
  const early = known && known.length >= Math.min(size, list.count) ? countsOf(c, known) : undefined;
  const posts = await listPage(c.env.CONTENT, list, page, size);
  // A list shows its posts: it last changed when the newest of them did.
  const newest = newestChange(posts);
  if (newest) noteModified(c, newest);
  const slugs = posts.map((p) => p.slug);
  const counts = early && slugs.every((slug) => known?.includes(slug)) ? await early : await countsOf(c, slugs);
  return { posts, counts };
}

const home = async (c: Context<AppEnv>, page: number) => {
  const out = await published(c);
  const pages = pageCount(out.posts, c.var.site.pageSize);
  if (page > pages) return c.notFound();
  const { posts, counts } = await listWithCounts(c, out.posts, page);
  const languages = out.languageNames(c.var.site.lang);
  return c.html(
    <HomePage site={c.var.site} posts={posts} page={page} pages={pages} counts={counts} languages={languages} />,
  );
};

articles.get("/", (c) => home(c, 1));

articles.get("/page/:n", (c) => {
  const page = pageNumber(c.req.param("n"));
  if (page === null) return c.notFound();
  if (page === 1) return c.redirect(homePath(), 301);
  return home(c, page);
});

articles.get("/posts/:slug", async (c) => {
  const slug = c.req.param("slug");
  const canonical = slug.normalize("NFC").toLowerCase();
  const out = await published(c);
  const key = await articleKeyOf(c.env.CONTENT, out.index, canonical);
  if (key === null) return c.notFound();
  if (canonical !== slug) {
    const article = await readArticle(c.env.CONTENT, key);
    // A scheduled post does not exist for readers until its date.
    return out.isOut(article.date) ? c.redirect(postPath(canonical), 301) : c.notFound();
  }
  // The post exists (its route says so): its record (KV) and its comments (D1) are read together.
  const [article, section] = await Promise.all([readArticle(c.env.CONTENT, key), loadCommentSection(c, canonical)]);
  if (!out.isOut(article.date)) return c.notFound();
  noteModified(c, article.updated ?? article.date);
  const site = c.get("site");
  c.header("Content-Language", article.lang ?? site.lang);
  // The shell (all but the comments) is rendered once per record and schedule; only the comments are per request.
  const page = await withShell(
    { site, content: article, now: Date.now(), validUntil: c.get("validUntil") },
    // Reading on comes with the record: a post it links to that is still scheduled is left out.
    () => (
      <ArticlePage
        site={site}
        article={article}
        end={visibleReadingOn(article.readingOn, out.isOut)}
        translations={visibleTranslations(article.translations, out.isOut)}
        languages={out.languageNames(site.lang)}
        comments={HOLE}
      />
    ),
    <CommentSection {...section} lang={article.lang ?? site.lang} />,
  );
  return c.html(page);
});

articles.get("/archive", async (c) => {
  const out = await published(c);
  const years = archiveYears(await getArchive(c.env.CONTENT, out.index), out.isOut);
  const count = years.reduce((n, y) => n + y.months.reduce((m, month) => m + month.posts.length, 0), 0);
  return c.html(<ArchivePage site={c.var.site} years={years} count={count} />);
});

const tag = async (c: Context<AppEnv>, raw: string, page: number) => {
  const name = raw.normalize("NFC").toLowerCase();
  const list = (await published(c)).tag(name);
  if (!list) return c.notFound();
  if (name !== raw) return c.redirect(tagPath(name, page), 301);
  const pages = pageCount(list, c.var.site.pageSize);
  if (page > pages) return c.notFound();
  const { posts, counts } = await listWithCounts(c, list, page);
  return c.html(
    <TagPage site={c.var.site} tag={name} count={list.count} posts={posts} page={page} pages={pages} counts={counts} />,
  );
};

articles.get("/tags/:tag", (c) => tag(c, c.req.param("tag"), 1));

articles.get("/tags/:tag/page/:n", (c) => {
  const page = pageNumber(c.req.param("n"));
  if (page === null) return c.notFound();
  if (page === 1) return c.redirect(tagPath(c.req.param("tag")), 301);
  return tag(c, c.req.param("tag"), page);
});
