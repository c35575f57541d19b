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
  /**
   * The RFC 4151 tagging entity of feed ids (`FEED_ID_AUTHORITY`, e.g. `ourkpop.example,2025`), so
   * ids survive a move to another domain; absent (unset or malformed) the ids are the posts' URLs.
   */
  idAuthority?: string | undefined;
}

/** A domain or an email address, a comma, and a date (`2025`, `2025-05` or `2025-05-20`): RFC 4151's `taggingEntity`. */
const TAGGING_ENTITY =
  /^(?:[\w.%+-]+@)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*,\d{4}(?:-\d{2}(?:-\d{2})?)?$/i;

function idAuthorityOf(raw: string | undefined): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (TAGGING_ENTITY.test(value)) return value.toLowerCase();
  console.error(
    `FEED_ID_AUTHORITY "${value}" is not a domain (or email) and a date such as "blog.example,2025": feed ids fall back to URLs`,
  );
  return undefined;
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
    idAuthority: idAuthorityOf(env.FEED_ID_AUTHORITY),
  };
});
