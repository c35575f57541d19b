import type { ReleaseIndex } from "./articles/record.ts";
import type { PageCache } from "./cache/page-cache.ts";
import type { RequestMetrics } from "./lib/metrics.ts";
import type { Site } from "./lib/site.ts";
import type { AreaNotice } from "./lib/unavailable.ts";

/** The Hono environment of every route: bindings from `wrangler types`, plus per-request values. */
export interface AppEnv {
  Bindings: Env;
  Variables: {
    site: Site;
    /**
     * The language of what this request is about, once a route knows it (a post's own, which its
     * comment answers follow); unset: `requestLang` finds it (src/routes/article-of.ts).
     */
    lang?: string;
    /** Binding calls and timings of this request, reported in `Server-Timing`. */
    metrics: RequestMetrics;
    /** The edge cache of pages, for routes that change what pages show (src/comments/refresh.ts). */
    pages: PageCache;
    /** What a page shows, when its body also holds per-render noise (the form token): keys its ETag. */
    etagBasis?: string;
    /** When what this page shows last changed (ms since epoch), set by `noteModified`: its Last-Modified. */
    modifiedAt?: number;
    /** The content release this Worker serves, loaded on first use by `releaseOf`. */
    release?: ReleaseIndex;
    /**
     * When what this page shows changes by the clock (ms since epoch): the next scheduled post's
     * date. The page cache does not serve a copy rendered before it once it has passed.
     */
    validUntil?: number;
    /** Set by `markPersonal`: this response shows one reader's own content, never cached or shared. */
    personal?: true;
    /** Set by `markDegraded`: part of this page is missing (a dependency failed), so it is not cached. */
    degraded?: true;
    /** Set by an area (the admin) whose dependency failures read differently from the error's own notice. */
    unavailable?: AreaNotice;
  };
}
