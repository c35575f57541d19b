import type { Site } from "../lib/site.ts";
import { Layout } from "./layout.tsx";

const TITLES: Record<number, string> = {
  400: "Bad request",
  403: "Not allowed",
  404: "Page not found",
  405: "Method not allowed",
  413: "Too large",
  415: "Unsupported content type",
  422: "Cannot process that",
  429: "Too many requests",
  500: "Something went wrong",
  503: "Temporarily unavailable",
};

/**
 * A page for any error status: says what happened and offers the way home. Never a stack trace.
 * It names no canonical address: the one it was asked for is not a page (search engines would
 * take a 404's canonical for the missing address's real one).
 */
export function ErrorPage({
  site,
  status,
  message,
  path,
}: {
  site: Site;
  status: number;
  message: string;
  path: string;
}) {
  const title = TITLES[status] ?? "Error";
  return (
    <Layout site={site} meta={{ title, description: message, path, noindex: true, canonical: false }}>
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">← Back to blog</a>
      </p>
    </Layout>
  );
}
