import { strings } from "../i18n/index.ts";
import type { Site } from "../lib/site.ts";
import { Layout } from "./layout.tsx";

/**
 * A page for any error status: says what happened and offers the way home. Never a stack trace.
 * It names no canonical address: the one it was asked for is not a page (search engines would
 * take a 404's canonical for the missing address's real one).
 */
export function ErrorPage({
  site,
  lang,
  status,
  message,
  path,
}: {
  site: Site;
  /** The request's language: a post's own for an error about it. */
  lang: string;
  status: number;
  message: string;
  path: string;
}) {
  const t = strings(lang);
  const title = t.errorTitles[status] ?? t.error;
  return (
    <Layout site={site} meta={{ title, description: message, path, noindex: true, canonical: false, lang }}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">{t.backHome}</a>
      </p>
    </Layout>
  );
}
