/** The blog's identity, read once from `[vars]` in wrangler.toml. */
export interface Site {
  title: string;
  description: string;
  author: string;
  lang: string;
  /** Absolute base URL without a trailing slash, e.g. https://ourkpop.example. */
  url: string;
  pageSize: number;
}

const cache = new WeakMap<object, Site>();

/** Site settings from the Worker's environment (memoized per env object). */
export function siteOf(env: Env): Site {
  let site = cache.get(env);
  if (!site) {
    const pageSize = Number.parseInt(env.PAGE_SIZE, 10);
    site = {
      title: env.SITE_TITLE,
      description: env.SITE_DESCRIPTION,
      author: env.SITE_AUTHOR,
      lang: env.SITE_LANG || "en",
      url: env.SITE_URL.replace(/\/+$/, ""),
      pageSize: Number.isInteger(pageSize) && pageSize > 0 && pageSize <= 100 ? pageSize : 10,
    };
    cache.set(env, site);
  }
  return site;
}
