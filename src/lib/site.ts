import { memoByEnv } from "./env-memo.ts";

/** The blog's identity, read once from `[vars]` in wrangler.toml. */
export interface Site {
  title: string;
  description: string;
  author: string;
  /** What the author is to search engines' structured data: a person, or an organization (the blog itself, say). */
  authorType: "Person" | "Organization";
  lang: string;
  /** Absolute base URL without a trailing slash, e.g. https://ourkpop.example. */
  url: string;
  pageSize: number;
}

/** Site settings from the Worker's environment (computed once per environment, see `memoByEnv`). */
export const siteOf: (env: Env) => Site = memoByEnv((env) => {
  const pageSize = Number.parseInt(env.PAGE_SIZE, 10);
  return {
    title: env.SITE_TITLE,
    description: env.SITE_DESCRIPTION,
    author: env.SITE_AUTHOR,
    authorType: env.SITE_AUTHOR_TYPE === "Organization" ? "Organization" : "Person",
    lang: env.SITE_LANG || "en",
    url: env.SITE_URL.replace(/\/+$/, ""),
    pageSize: Number.isInteger(pageSize) && pageSize > 0 && pageSize <= 100 ? pageSize : 10,
  };
});
