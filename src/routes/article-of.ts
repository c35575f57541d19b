import type { Context } from "hono";
import { published } from "../articles/published.ts";
import type { ArticleRecord } from "../articles/record.ts";
import { getArticle } from "../articles/store.ts";
import type { AppEnv } from "../types.ts";

/**
 * The article of a post's route (`:slug`, or the slug in the path), or null: the same canonical
 * slug and schedule rules as the article page. Found, its language becomes the request's
 * (`c.var.lang`), so every answer about the post, errors included, is in the post's language.
 */
export async function articleOf(c: Context<AppEnv>, slug = c.req.param("slug") ?? ""): Promise<ArticleRecord | null> {
  const out = await published(c);
  const article = await getArticle(c.env.CONTENT, out.index, slug.normalize("NFC").toLowerCase());
  if (!article || !out.isOut(article.date)) return null;
  c.set("lang", article.lang ?? c.var.site.lang);
  return article;
}

const POST_PATH = /^\/posts\/([^/]+)/;

/**
 * The language an answer to this request is in: the one a route set, else (an error met before
 * the route read its post, or outside any route) the language of the post the path names, else
 * the site's. Only error answers and non-GET requests ask before a route has set it, so a page
 * served from the cache never gets here; a post that cannot be read leaves the site's language.
 */
export async function requestLang(c: Context<AppEnv>): Promise<string> {
  if (c.var.lang) return c.var.lang;
  const segment = POST_PATH.exec(new URL(c.req.url).pathname)?.[1];
  if (segment !== undefined) {
    try {
      await articleOf(c, decodeURIComponent(segment));
    } catch {
      // KV down or a malformed escape: the site's language.
    }
  }
  return c.var.lang ?? c.var.site.lang;
}
