/**
 * Hugo, side by side with our build (bench/build-growth.ts): a minimal Hugo site whose content
 * folder is the same generated posts, built by the `hugo` on PATH. Hugo is never installed by
 * anything here (Debian: `apt-get install hugo`); without it the bench says so and skips it.
 *
 * The site is as small as a Hugo site gets while doing what our build does: every post rendered
 * to HTML with its code highlighted (Hugo's default Chroma), the home page and tag pages listing
 * posts with their summaries in pages of 100 (our list chunks hold 100), a feed and a sitemap.
 * Our front matter (title, date, tags, summary, lang, draft, ...) is read by Hugo as it is.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** `hugo version`'s first line, or undefined when there is no `hugo` on PATH. */
export function hugoVersion(): string | undefined {
  const result = spawnSync("hugo", ["version"], { encoding: "utf8" });
  return result.status === 0 ? result.stdout.trim().split("\n")[0] : undefined;
}

/** Writes a minimal Hugo site in `site` whose content is `contentDir` (holding `posts/`). */
export function writeHugoSite(site: string, contentDir: string): void {
  const layouts = join(site, "layouts", "_default");
  mkdirSync(layouts, { recursive: true });
  writeFileSync(
    join(site, "hugo.toml"),
    [
      'baseURL = "https://example.org/"',
      'title = "OUR K-POP (Hugo bench)"',
      `contentDir = ${JSON.stringify(resolve(contentDir))}`,
      "paginate = 100",
      "",
    ].join("\n"),
  );
  writeFileSync(
    join(layouts, "baseof.html"),
    '<!doctype html><html lang="{{ site.Language.Lang }}"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>\n',
  );
  writeFileSync(
    join(layouts, "single.html"),
    '{{ define "main" }}<article><h1>{{ .Title }}</h1><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006-01-02" }}</time>{{ .Content }}</article>{{ end }}\n',
  );
  writeFileSync(
    join(layouts, "list.html"),
    '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Paginator.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}</ul>{{ end }}\n',
  );
}

/** What one `hugo` run did: wall time as the bench measured it, and Hugo's own figures. */
export interface HugoRun {
  ms: number;
  /** Hugo's "Total in N ms". */
  hugoMs: number;
  /** Hugo's page count (posts, lists, tags), and its paginator pages. */
  pages: number;
  paginatorPages: number;
}

/** Builds `site` into `destination` with Hugo's own cache in `cacheDir`. */
export function runHugo(site: string, destination: string, cacheDir: string): HugoRun {
  const started = performance.now();
  const result = spawnSync(
    "hugo",
    ["--source", site, "--destination", resolve(destination), "--cacheDir", resolve(cacheDir)],
    { encoding: "utf8" },
  );
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`hugo failed:\n${result.stdout}\n${result.stderr}`);
  return { ms, ...parseHugoStats(result.stdout) };
}

/** Reads the page counts and total time from the table `hugo` prints after a build. */
export function parseHugoStats(text: string): Omit<HugoRun, "ms"> {
  const number = (label: string) => Number(new RegExp(`^\\s*${label}\\s*\\|\\s*(\\d+)`, "m").exec(text)?.[1]);
  return {
    hugoMs: Number(/Total in (\d+(?:\.\d+)?) ms/.exec(text)?.[1]),
    pages: number("Pages"),
    paginatorPages: number("Paginator pages"),
  };
}
