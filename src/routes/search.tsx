import { published } from "../articles/published.ts";
import { RELEASE } from "../generated/release.ts";
import type { Message } from "../i18n/index.ts";
import { Hono } from "../lib/hono.ts";
import { MAX_TERMS, parseSearch, splitGroups } from "../search/query.ts";
import { searchPosts, searchSession } from "../search/store.ts";
import { synonymsOf, termGroups } from "../search/synonyms.ts";
import type { AppEnv } from "../types.ts";
import { SearchPage } from "../views/search-page.tsx";

/** Results per page. */
const PER_PAGE = 10;

/** GET /search?q=&page=: full-text search over the posts that are out, server-rendered. */
export const search = new Hono<AppEnv>();

search.get("/search", async (c) => {
  const site = c.var.site;
  // Decoded as the page cache's key decodes it (URLSearchParams: bad %-escapes become U+FFFD),
  // so the page stored under a key always shows that key's query.
  const params = new URL(c.req.url).searchParams;
  const parsed = parseSearch(params.get("q") ?? undefined, params.get("page") ?? undefined);
  if (parsed.kind === "empty") return c.html(<SearchPage site={site} />);
  if (parsed.kind === "invalid")
    return c.html(<SearchPage site={site} query={parsed.query} message={parsed.message} />, 400);

  // The release says whether this is a preview (scheduled posts shown) and notes in validUntil when
  // the next scheduled post comes out, so a cached result page is not served past that moment.
  const out = await published(c);
  const groups = termGroups(parsed.terms, synonymsOf(c.env), MAX_TERMS);
  // D1 down: SearchUnavailable, answered 503 by app.onError.
  const found = await searchPosts(searchSession(c.env.DB), {
    groups,
    release: RELEASE,
    now: out.index.drafts ? Number.POSITIVE_INFINITY : Date.now(),
    limit: PER_PAGE,
    offset: (parsed.page - 1) * PER_PAGE,
  });
  const { long } = splitGroups(groups);
  const note: Message | undefined = long.length === 0 ? (t) => t.says.shortWords : undefined;
  return c.html(
    <SearchPage
      site={site}
      query={parsed.query}
      message={note}
      results={{
        hits: found.hits.slice(0, PER_PAGE),
        total: found.total,
        page: parsed.page,
        more: found.hits.length > PER_PAGE,
      }}
    />,
  );
});
