import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../src/index.ts";
import { elementsOf, textOf } from "../helpers.ts";

/** The search tests' requests: the real app, with the page cache off unless asked for. */
export const ORIGIN = "http://localhost:8787";
export const uncached = { ...env, PAGE_CACHE: "off" } as Env;

export async function request(path: string, init?: RequestInit, bindings: Env = uncached): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), bindings, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

export const search = (q: string, extra = "") => request(`/search?q=${encodeURIComponent(q)}${extra}`);

/** Titles and links of the results on a search page. */
export async function results(res: Response): Promise<{ titles: string[]; links: string[]; html: string }> {
  const html = await res.text();
  const titles = await textOf(html, "ol.post-list h2 a");
  const links = (await elementsOf(html, "ol.post-list h2 a")).map(
    (el) => el.attributes.find(([name]) => name === "href")?.[1] ?? "",
  );
  return { titles, links, html };
}
