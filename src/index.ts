import { HTTPException } from "hono/http-exception";
import { ContentUnavailable } from "./articles/store.ts";
import { workersCachingPurge } from "./cache/invalidate.ts";
import { createPageCache, type OuterHeaders, outerHeadersOf } from "./cache/page-cache.ts";
import { commentConfig } from "./comments/config.ts";
import { hasPersonalCookie, wantsOwnView } from "./comments/viewer.ts";
import { Hono } from "./lib/hono.ts";
import { RequestMetrics } from "./lib/metrics.ts";
import { pageTags } from "./lib/page-tags.ts";
import { Refused } from "./lib/refused.ts";
import { articleSegmentOf, CACHED_PAGES, commentFeedSegmentOf, READ_ONLY } from "./lib/routes.ts";
import { siteOf } from "./lib/site.ts";
import { Unavailable } from "./lib/unavailable.ts";
import { contentLanguage } from "./middleware/content-language.ts";
import { sameOrigin, securityHeaders } from "./middleware/security.ts";
import { consumeNotifications } from "./notify/consumer.ts";
import { sendDigest } from "./notify/digest.ts";
import { admin } from "./routes/admin.tsx";
import { aliasRedirect, homeAliases, mayBeHomeAlias } from "./routes/aliases.ts";
import { articles } from "./routes/articles.tsx";
import { commentEdits } from "./routes/comment-edits.tsx";
import { commentFeeds } from "./routes/comment-feeds.ts";
import { commentLikes } from "./routes/comment-likes.ts";
import { comments } from "./routes/comments.tsx";
import { errorResponse, jsonError } from "./routes/error-response.tsx";
import { feeds } from "./routes/feeds.ts";
import { languages } from "./routes/languages.tsx";
import { search } from "./routes/search.tsx";
import { trailingSlashRedirect } from "./routes/trailing-slash.ts";
import { searchKey } from "./search/query.ts";
import type { AppEnv } from "./types.ts";

/**
 * The edge cache of the pages in CACHED_PAGES. Keys keep the query parameters that select a page:
 * an article's `?comments=` page of comments and `?order=best`, a comment feed's `?thread=`, a
 * search's query and page; `?reply=` and `?edit=` make a page one reader's own.
 */
export const pages = createPageCache({
  keys: {
    variants(url) {
      if (url.pathname === "/search") return searchKey(url.searchParams);
      if (commentFeedSegmentOf(url.pathname) !== null) {
        const thread = url.searchParams.get("thread");
        return thread === null ? [] : [["thread", thread]];
      }
      if (articleSegmentOf(url.pathname) === null) return [];
      const kept: [string, string][] = [];
      const comments = url.searchParams.get("comments");
      if (comments !== null) kept.push(["comments", comments]);
      if (url.searchParams.get("order") === "best") kept.push(["order", "best"]);
      return kept;
    },
    personalParams: ["reply", "edit"],
  },
  personalRequest: wantsOwnView,
  personalCookie: hasPersonalCookie,
  tags: pageTags,
  purge: workersCachingPurge,
});

export const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  const metrics = new RequestMetrics();
  c.set("metrics", metrics);
  c.env = metrics.instrument(c.env);
  c.set("site", siteOf(c.env));
  c.set("pages", pages);
  await next();
  c.res.headers.set("server-timing", metrics.serverTiming());
});
app.use(securityHeaders((env) => commentConfig(env).turnstileSecret !== null));
app.use(sameOrigin());

// WordPress addressed posts as `/?p=123`: looked up before the home page's cache answers.
app.use("/", homeAliases);
const cache = pages.middleware((request, env, ctx) => app.fetch(request, env, ctx));
for (const path of CACHED_PAGES) app.use(path, cache);
// Inside the cache, so that what it stores has the header.
app.use(contentLanguage());

app.route("/", articles);
app.route("/", comments);
app.route("/", commentEdits);
app.route("/", commentLikes);
app.route("/", commentFeeds);
app.route("/admin", admin);
app.route("/", feeds);
app.route("/", search);
app.route("/", languages);

/** Read-only pages answer other methods with 405 and say which ones they take. */
app.on(["POST", "PUT", "PATCH", "DELETE"], [...READ_ONLY], (c) =>
  errorResponse(c, 405, (t) => t.says.readOnly(c.req.method), { Allow: "GET, HEAD" }),
);

app.notFound(async (c) => {
  try {
    const moved = await aliasRedirect(c);
    if (moved) return moved;
  } catch (error) {
    // Without KV no alias can be found; the reader still gets the 404 page.
    if (!(error instanceof ContentUnavailable)) throw error;
    console.error(error.message, error.cause);
  }
  const trimmed = await trailingSlashRedirect(c, app);
  if (trimmed) return trimmed;
  return errorResponse(c, 404, (t) => t.says.notFound);
});

/**
 * Every error a route lets go: refusals (HTTPException; those built whole, such as bearer-auth's
 * 401/429, as built), a dependency that is down (`Unavailable`: 503 with its notice, or the area's),
 * anything else a 500 without details. Only deliberate degrading catches `Unavailable` before this.
 */
app.onError((error, c) => {
  if (error instanceof Refused) return errorResponse(c, error.status, error.says);
  if (error instanceof HTTPException && error.res) return error.getResponse();
  // Hono's own refusals (an unreadable JSON or form body) are said in the request's language.
  if (error instanceof HTTPException && error.status < 500)
    return errorResponse(c, error.status, (t) => (error.status === 400 ? t.says.unreadable : t.says.badRequest));
  if (error instanceof Unavailable) {
    console.error(error.message, error.cause);
    const area = c.var.unavailable;
    const notice = area ?? error.notice;
    const headers = { "Retry-After": String(notice.retryAfter) };
    return area?.json
      ? jsonError(c, error.status, notice.message, headers)
      : errorResponse(c, error.status, notice.message, headers);
  }
  console.error(error);
  return errorResponse(c, 500, (t) => t.says.serverError);
});

/** Per environment: the headers the app's outer layers put on every page (see `memoryHit`). */
const outerHeaders = new WeakMap<Env, OuterHeaders>();

/** The app, learning the outer headers from its first stored page. */
async function viaApp(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
  const res = await app.fetch(request, env, ctx);
  if (!outerHeaders.has(env)) {
    const learnt = outerHeadersOf(res);
    if (learnt) outerHeaders.set(env, learnt);
  }
  return res;
}

export default {
  // Not async: a hit is returned as it is, without a promise for the runtime to wait on.
  fetch(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
    const outer = outerHeaders.get(env);
    const hit = outer && !mayBeHomeAlias(request.url) && pages.hit(request, env, outer);
    return hit || viaApp(request, env, ctx);
  },
  // Owner notifications (src/notify/): delivering queued ones, and the hourly digest's cron.
  queue: (batch, env) => consumeNotifications(batch, env),
  scheduled: (controller, env, ctx) => ctx.waitUntil(sendDigest(env, controller.scheduledTime)),
} satisfies ExportedHandler<Env>;
