import { memoByEnv } from "../lib/env-memo.ts";

/** How long pages may be reused, from `[vars]` (PAGE_CACHE, CACHE_BOUND_SECONDS). */
export interface CachePolicy {
  enabled: boolean;
  /** No page older than this is ever served: the documented freshness bound (default 60 s). */
  boundMs: number;
  /** Younger than this a cached page is fresh; between this and the bound it is served stale while refreshed. */
  freshMs: number;
  /** How long an isolate reuses its in-memory copy before asking the Cache API again. */
  memoryMs: number;
}

/** The policy of an environment, computed once per environment (it is read on every page request). */
export const policyOf: (env: Env) => CachePolicy = memoByEnv((env) => {
  const seconds = Number.parseInt(env.CACHE_BOUND_SECONDS ?? "", 10);
  const boundMs = (Number.isInteger(seconds) && seconds > 0 ? seconds : 60) * 1000;
  const freshMs = boundMs / 2;
  return Object.freeze({ enabled: env.PAGE_CACHE !== "off", boundMs, freshMs, memoryMs: Math.min(10_000, freshMs) });
});
