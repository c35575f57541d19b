import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { ContentUnavailable } from "./articles/store.ts";
import { memoryHit, type OuterHeaders, outerHeadersOf, pageCache } from "./cache/page-cache.ts";
import { commentConfig } from "./comments/config.ts";
import { hasPersonalCookie, wantsOwnView } from "./comments/viewer.ts";
import { RequestMetrics } from "./lib/metrics.ts";
import { siteOf } from "./lib/site.ts";
import { sameOrigin, securityHeaders } from "./middleware/security.ts";
import { admin } from "./routes/admin.tsx";
import { aliasRedirect, homeAliases, mayBeHomeAlias } from "./routes/aliases.ts";
import { articles } from "./routes/articles.tsx";
import { comments } from "./routes/comments.tsx";
import { errorResponse } from "./routes/error-response.tsx";
import { feeds } from "./routes/feeds.ts";
import { search } from "./routes/search.tsx";
import type { AppEnv } from "./types.ts";

export const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  const metrics = new RequestMetrics();
  c.set("metrics", metrics);
  c.env = metrics.instrument(c.env);
  c.set("site", siteOf(c.env));
  await next();
  c.res.headers.set("server-timing", metrics.serverTiming());
});
app.use(securityHeaders((env) => commentConfig(env).turnstileSecret !== null));
app.use(sameOrigin());

/** Pages served from the edge cache (src/cache/page-cache.ts). */
const CACHED_PAGES = [
  "/",
  "/page/:n",
  "/posts/:slug",
  "/tags/:tag",
  "/tags/:tag/page/:n",
  "/feed.xml",
  "/sitemap.xml",
  "/sitemaps/:file",
  "/search",
];
// WordPress addressed posts as `/?p=123`: looked up before the home page's cache answers.
app.use("/", homeAliases);
const cache = pageCache((request, env, ctx) => app.fetch(request, env, ctx), wantsOwnView);
for (const path of CACHED_PAGES) app.use(path, cache);

app.route("/", articles);
app.route("/", comments);
app.route("/admin", admin);
app.route("/", feeds);
app.route("/", search);

/** Read-only pages answer other methods with 405 and say which ones they take. */
const READ_ONLY = [...CACHED_PAGES, "/robots.txt", "/favicon.ico"];
app.on(["POST", "PUT", "PATCH", "DELETE"], READ_ONLY, (c) =>
  errorResponse(c, 405, `This page can only be read (${c.req.method} is not allowed here).`, { Allow: "GET, HEAD" }),
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
  return errorResponse(c, 404, "There is no page at this address. It may have moved, or the link may be mistyped.");
});

app.onError((error, c) => {
  if (error instanceof HTTPException && error.status < 500)
    return errorResponse(c, error.status, error.message || "Bad request.");
  if (error instanceof ContentUnavailable) {
    console.error(error.message, error.cause);
    return errorResponse(c, 503, "The blog's content is unavailable right now. Please try again in a minute.", {
      "Retry-After": "60",
    });
  }
  console.error(error);
  return errorResponse(c, 500, "Something went wrong on our side. Please try again.");
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
    const hit = outer && !mayBeHomeAlias(request.url) && memoryHit(request, env, outer, hasPersonalCookie);
    return hit || viaApp(request, env, ctx);
  },
} satisfies ExportedHandler<Env>;
