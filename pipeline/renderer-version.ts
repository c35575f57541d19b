/**
 * The renderer version a render cache entry is valid for (render-cache.ts): what, besides a post's
 * own text, decides what is built from it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { contentHash } from "./hash.ts";

/**
 * Bump this when a post's output changes in a way the automatic part of the version cannot see:
 * anything beyond its own file, the code listed in `VERSION_FILES` and `RENDER_PACKAGES` that it
 * depends on (files beside a post are already handled: such posts are never cached).
 */
export const RENDERER_VERSION = "3";

/**
 * Packages whose version changes what is built from a post (YAML parsing, HTML, image sizes);
 * their installed versions are part of the renderer version. Add a package here when building a
 * post starts to use it.
 */
export const RENDER_PACKAGES = ["yaml", "marked", "marked-gfm-heading-id", "shiki", "image-size"];

/**
 * Code whose text is part of the renderer version: every module of `pipeline/` (front matter,
 * rendering, summaries, search documents, the cache and output formats: editing any of them starts
 * the cache over, without anyone remembering to) and the `src/` modules they use.
 */
const VERSION_FILES = [
  "../src/lib/slug.ts",
  "../src/articles/record.ts",
  "../src/lib/routes.ts",
  "../src/search/fold.ts",
];

/**
 * The renderer version a cache entry is valid for: the constant above, the text of the code
 * that builds a post, the installed versions of `RENDER_PACKAGES`, Node's version (its Unicode
 * and Intl tables: slugs, reading time) and the time zone (a date without an offset is read in
 * local time).
 */
export function rendererVersion(): string {
  const here = new URL(".", import.meta.url);
  const pipeline = readdirSync(here)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => `./${f}`);
  const code = [...pipeline, ...VERSION_FILES].map((file) => `${file}\n${readFileSync(new URL(file, here), "utf8")}`);
  // The time zone as dates see it (the offsets of local time, winter and summer, over the years
  // posts are dated in): cheaper than asking Intl for its name.
  const offsets: number[] = [];
  for (let year = 1990; year <= 2040; year++) {
    offsets.push(new Date(year, 0, 1).getTimezoneOffset(), new Date(year, 6, 1).getTimezoneOffset());
  }
  const runtime = `node ${process.version}, TZ ${process.env.TZ ?? ""}, offsets ${offsets.join(",")}`;
  return `${RENDERER_VERSION}:${contentHash([...code, ...renderPackages(), runtime].join("\n"))}`;
}

/**
 * `name@version` of each of `RENDER_PACKAGES` as installed (`name@?` when it is not). Read from
 * the package's folder rather than `require("name/package.json")`, which packages whose
 * `exports` leave package.json out refuse.
 */
export function renderPackages(): string[] {
  const require = createRequire(import.meta.url);
  return RENDER_PACKAGES.map((name) => {
    for (const dir of require.resolve.paths(name) ?? []) {
      try {
        const { version } = JSON.parse(readFileSync(join(dir, name, "package.json"), "utf8")) as { version?: unknown };
        if (typeof version === "string") return `${name}@${version}`;
      } catch {
        // not in this node_modules folder: the next one up
      }
    }
    return `${name}@?`;
  });
}
