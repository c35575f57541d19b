/**
 * The ceiling: a Worker that does nothing but return a constant HTML page (the blog's own article
 * page, so the bytes and their compressibility are the same). Run under Miniflare with the blog's
 * compatibility date, or as a tiny wrangler project for `wrangler dev`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { V4MiniflareOptions } from "miniflare";

/** The hello-world's one header. */
const PLAIN: Record<string, string> = { "content-type": "text/html; charset=UTF-8" };

/**
 * Module Worker source answering every request with `page` and `headers` (by default Content-Type
 * alone), as an object literal (the cheapest form for the runtime; the plain hello-world's code is
 * what it always was).
 */
export function helloWorldScript(page: string, headers: Record<string, string> = PLAIN): string {
  return `const page = ${JSON.stringify(page)};
export default {
  fetch() {
    return new Response(page, { headers: ${JSON.stringify(headers)} });
  },
};
`;
}

/** Miniflare options for the hello-world Worker, comparable to the blog's (`headers`: see helloWorldScript). */
export function helloWorldOptions(
  page: string,
  compatibilityDate: string,
  headers?: Record<string, string>,
): V4MiniflareOptions {
  return {
    name: "hello-world",
    modules: true,
    script: helloWorldScript(page, headers),
    compatibilityDate,
    host: "127.0.0.1",
    port: 0,
  };
}

/** Writes `wrangler.toml` + `index.js` for the hello-world into `dir`; returns the config path. */
export function writeHelloWorldProject(
  dir: string,
  page: string,
  compatibilityDate: string,
  assetsDir?: string,
): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.js"), helloWorldScript(page));
  const config = join(dir, "wrangler.toml");
  // Under wrangler dev the blog has static assets, so every request passes the asset router
  // first; the hello-world gets the same assets so both pay that hop.
  const assets = assetsDir ? `\n[assets]\ndirectory = ${JSON.stringify(assetsDir)}\n` : "";
  writeFileSync(
    config,
    `name = "bench-hello-world"\nmain = "index.js"\ncompatibility_date = "${compatibilityDate}"\n${assets}`,
  );
  return config;
}
