import { type Message, otherLang, strings } from "../i18n/index.ts";
import { postPath } from "../lib/paths.ts";
import type { Site } from "../lib/site.ts";
import { MAX_QUERY_CHARS, snippetParts } from "../search/query.ts";
import type { SearchHit } from "../search/store.ts";
import { formatDate } from "./format.ts";
import { Layout } from "./layout.tsx";
import { NoBreak } from "./no-break.tsx";

/** The address of a page of results for `query`. */
export const searchPath = (query: string, page = 1): string =>
  `/search?q=${encodeURIComponent(query)}${page > 1 ? `&page=${page}` : ""}`;

/** A snippet as text with its matches in `<mark>`: the text is escaped like any other, never parsed as HTML. */
function Snippet({ text, lang }: { text: string; lang: string | undefined }) {
  return (
    <p class="snippet" lang={lang}>
      {snippetParts(text).map((part) => (part.marked ? <mark>{part.text}</mark> : part.text))}
    </p>
  );
}

/** "3 posts match “k-pop”." (with the page after the first). */
export function countLine(total: number, query: string, page: number, lang: string): string {
  return strings(lang).resultCount(total, new Intl.NumberFormat(lang).format(total), query, page);
}

/**
 * The search page: the form (a plain GET, no JavaScript), and for a query its results with
 * title, date and a snippet, or a message saying why there are none.
 */
export function SearchPage({
  site,
  query = "",
  message,
  results,
}: {
  site: Site;
  query?: string;
  /** Why the query was not run, or a note on how it was matched. */
  message?: Message | undefined;
  results?: ResultPage | undefined;
}) {
  const t = strings(site.lang);
  return (
    <Layout
      site={site}
      meta={{
        title: query ? t.searchTitle(query) : t.search,
        description: t.searchDescription(site.title),
        path: "/search",
        noindex: query !== "",
      }}
    >
      <h1>{t.search}</h1>
      <search>
        <form class="search-form" method="get" action="/search">
          <label class="visually-hidden" for="q">
            {t.searchPosts}
          </label>
          <input type="search" id="q" name="q" value={query} maxlength={MAX_QUERY_CHARS} required />
          <button type="submit">{t.search}</button>
        </form>
      </search>
      {message && <p class="notice">{message(t)}</p>}
      {results && <Results site={site} query={query} results={results} />}
    </Layout>
  );
}

type ResultPage = { hits: SearchHit[]; total: number; page: number; more: boolean };

/** One page of results: the hits with date, title and snippet, or why there are none, and the pager. */
function Results({ site, query, results }: { site: Site; query: string; results: ResultPage }) {
  const t = strings(site.lang);
  if (results.hits.length === 0) return <p>{results.page > 1 ? t.noMoreMatches : t.noMatches(query)}</p>;
  return (
    <>
      <p class="result-count">{countLine(results.total, query, results.page, site.lang)}</p>
      <ol class="post-list">
        {results.hits.map((hit) => (
          <li>
            <p class="meta">
              <time datetime={hit.date}>{formatDate(hit.date, site.lang)}</time>
            </p>
            <h2 lang={otherLang(hit.lang, site.lang, site.lang)}>
              <a href={postPath(hit.slug)}>
                <NoBreak text={hit.title} />
              </a>
            </h2>
            <Snippet text={hit.snippet} lang={otherLang(hit.lang, site.lang, site.lang)} />
          </li>
        ))}
      </ol>
      {(results.page > 1 || results.more) && (
        <nav class="pager" aria-label={t.resultPages}>
          {results.page > 1 ? (
            <a href={searchPath(query, results.page - 1)} rel="prev">
              {t.previousResults}
            </a>
          ) : (
            <span />
          )}
          {results.more ? (
            <a href={searchPath(query, results.page + 1)} rel="next">
              {t.moreResults}
            </a>
          ) : (
            <span />
          )}
        </nav>
      )}
    </>
  );
}
