/**
 * The ceiling: a Worker that does nothing but return a constant HTML page (the blog's own article
 * page, so the bytes and their compressibility are the same). Run under Miniflare with the blog's
 * compatibility date, or as a tiny wrangler project for `wrangler dev`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { V4MiniflareOptions } from "miniflare";

/** Module Worker source answering every request with `page`. */
export function helloWorldScript(page: string): string {
  return `const page = ${JSON.stringify(page)};
export default {
  fetch() {
    return new Response(page, { headers: { "content-type": "text/html; charset=UTF-8" } });
  },
};
`;
}

/** Miniflare options for the hello-world Worker, comparable to the blog's. */
export function helloWorldOptions(page: string, compatibilityDate: string): V4MiniflareOptions {
  return {
    name: "hello-world",
    modules: true,
    script: helloWorldScript(page),
    compatibilityDate,
    host: "127.0.0.1",
    port: 0,
  };
}

/** Writes `wrangler.toml` + `index.js` for the hello-world into `dir`; returns the config path. */
export function writeHelloWorldProject(dir: string, page: string, compatibilityDate: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "index.js"), helloWorldScript(page));
  const config = join(dir, "wrangler.toml");
  writeFileSync(config, `name = "bench-hello-world"\nmain = "index.js"\ncompatibility_date = "${compatibilityDate}"\n`);
  return config;
}
