import type { Context } from "hono";
import { published } from "../articles/published.ts";
import { pageCount } from "../articles/store.ts";
import { Hono } from "../lib/hono.ts";
import { languageFeedPath, languagePath, pageNumber } from "../lib/paths.ts";
import { LANGUAGE } from "../lib/routes.ts";
import type { AppEnv } from "../types.ts";
import { LanguagePage } from "../views/language-page.tsx";
import { languageFeedTitle } from "../views/translations.tsx";
import { listWithCounts } from "./articles.tsx";
import { feedOf } from "./feeds.ts";

/**
 * The blog by language: `/ko` (paged as `/ko/page/2`) lists the posts in Korean with a Korean
 * interface, `/ko/feed.xml` is their feed. A language with no post out is a 404 (an alias may
 * still answer it). Posts that name no language are the site's language's.
 */
export const languages = new Hono<AppEnv>();

const page = async (c: Context<AppEnv>, lang: string, n: number) => {
  const out = await published(c);
  const list = out.language(lang, c.var.site.lang);
  if (!list) return c.notFound();
  const pages = pageCount(list, c.var.site.pageSize);
  if (n > pages) return c.notFound();
  const { posts, counts } = await listWithCounts(c, list, n);
  c.header("Content-Language", lang);
  return c.html(
    <LanguagePage
      site={c.var.site}
      lang={lang}
      languages={out.languageNames(c.var.site.lang)}
      posts={posts}
      page={n}
      pages={pages}
      counts={counts}
    />,
  );
};

languages.get(`/:lang${LANGUAGE}`, (c) => page(c, c.req.param("lang"), 1));

languages.get(`/:lang${LANGUAGE}/page/:n`, (c) => {
  const n = pageNumber(c.req.param("n"));
  const lang = c.req.param("lang");
  if (n === null) return c.notFound();
  if (n === 1) return c.redirect(languagePath(lang), 301);
  return page(c, lang, n);
});

languages.get(`/:lang${LANGUAGE}/feed.xml`, async (c) => {
  const lang = c.req.param("lang");
  const out = await published(c);
  const list = out.language(lang, c.var.site.lang);
  if (!list) return c.notFound();
  const { site } = c.var;
  return feedOf(c, out, list, {
    path: languageFeedPath(lang),
    pagePath: languagePath(lang),
    title: languageFeedTitle(site, lang),
    idName: `languages/${lang}`,
    lang,
  });
});
