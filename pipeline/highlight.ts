/**
 * Code highlighting at build time with Shiki: readers get plain HTML with a few classes styled
 * by the site's stylesheet (light and dark), and no JavaScript. Classes rather than Shiki's
 * inline `style` attributes because the Content-Security-Policy allows only the one hashed
 * stylesheet (src/middleware/security.ts).
 */

import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BundledLanguage } from "shiki";

/** Highlights one code block into a `<pre>` element, or gives `undefined` for a language it lacks. */
export type Highlight = (code: string, lang: string) => string | undefined;

/** A fenced code block as marked reads it: the first word of its info string, and its text. */
export interface CodeBlock {
  lang: string;
  code: string;
}

export interface Highlighter {
  highlight: Highlight;
  /** Writes the cache of this build's blocks (when there is a cache file). */
  save(): Promise<void>;
}

const THEME = "github-light";

/**
 * github-light's palette (each colour is one kind of token; github-dark maps them one to one)
 * -> the class styled in src/views/styles.ts. The default text colour gets no class.
 */
const CLASSES: Record<string, string> = {
  "#D73A49": "k", // keyword, storage, operator
  "#032F62": "s", // string
  "#005CC5": "n", // constant, number, support
  "#6F42C1": "f", // function, entity name
  "#6A737D": "c", // comment
  "#22863A": "t", // tag, regexp, escape
  "#E36209": "v", // variable, parameter
  "#B31D28": "d", // invalid, deleted
};

/** Where builds keep highlighted blocks between runs (git-ignored with node_modules). */
export const HIGHLIGHT_CACHE = join("node_modules", ".cache", "our-kpop", "highlight.json");

/**
 * Makes the build's one highlighter for these code blocks. Blocks highlighted by an earlier build
 * (same code, language, Shiki version and classes) come from `cacheFile`, so Shiki (about half a
 * second of CPU to load) is loaded only when some block is new, with just the languages of the
 * new blocks. Without code blocks that name a language it returns `undefined`. Unknown languages
 * stay plain code.
 */
export async function createHighlight(
  blocks: Iterable<CodeBlock>,
  cacheFile: string | false = false,
): Promise<Highlighter | undefined> {
  const named = [...blocks].filter((b) => b.lang !== "");
  if (named.length === 0) return undefined;
  const version = await cacheVersion();
  const cached = cacheFile ? await readCache(cacheFile, version) : {};
  const used: Record<string, string> = {};
  const missing = named.filter((b) => cached[keyOf(b)] === undefined);
  const render = missing.length ? await shikiFor(missing.map((b) => b.lang.toLowerCase())) : undefined;

  return {
    highlight(code, lang) {
      const key = keyOf({ lang, code });
      // "" records a language Shiki does not know, so a later build need not load Shiki to learn it.
      const html = cached[key] ?? used[key] ?? render?.(code, lang.toLowerCase()) ?? "";
      used[key] = html;
      return html || undefined;
    },
    async save() {
      if (!cacheFile) return;
      await mkdir(dirname(cacheFile), { recursive: true });
      // Only this build's blocks are kept, so the cache stays the size of the content. Written
      // whole, then renamed, so a build never reads half a cache.
      const temp = `${cacheFile}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify({ version, blocks: used }));
      await rename(temp, cacheFile);
    },
  };
}

/** Loads Shiki with the bundled languages among `langs`; `undefined` when it knows none. */
async function shikiFor(langs: string[]): Promise<((code: string, lang: string) => string | undefined) | undefined> {
  const { bundledLanguages, createHighlighter } = await import("shiki");
  const wanted = new Set(langs.filter((lang): lang is BundledLanguage => Object.hasOwn(bundledLanguages, lang)));
  if (wanted.size === 0) return undefined;
  // Markdown highlights its front matter only when YAML is loaded too.
  if (wanted.has("markdown") || wanted.has("md")) wanted.add("yaml");
  const shiki = await createHighlighter({ themes: [THEME], langs: [...wanted] });
  const loaded = new Set(shiki.getLoadedLanguages());

  return (code, lang) => {
    if (!loaded.has(lang)) return undefined;
    // No time limit: Shiki's default (500 ms a line) cuts lines short on a busy machine, and the
    // same source must always give the same HTML (and so the same content hash).
    const { tokens } = shiki.codeToTokens(code, { lang: lang as BundledLanguage, theme: THEME, tokenizeTimeLimit: 0 });
    const lines = tokens.map((line) => {
      let html = "";
      let open = "";
      for (const token of line) {
        const cls = CLASSES[token.color?.toUpperCase() ?? ""] ?? "";
        if (cls !== open) {
          if (open) html += "</span>";
          if (cls) html += `<span class="${cls}">`;
          open = cls;
        }
        html += escapeHtml(token.content);
      }
      return open ? `${html}</span>` : html;
    });
    return `<pre class="code" tabindex="0"><code class="language-${lang}">${lines.join("\n")}</code></pre>\n`;
  };
}

const keyOf = ({ lang, code }: CodeBlock): string =>
  createHash("sha256").update(`${lang.toLowerCase()}\n${code}`).digest("base64url");

/** Changes whenever the HTML for the same block could: another Shiki, theme, classes or markup. */
async function cacheVersion(): Promise<string> {
  const shiki = join(dirname(fileURLToPath(import.meta.resolve("shiki"))), "..", "package.json");
  const { version } = JSON.parse(await readFile(shiki, "utf8")) as { version: string };
  const self = await readFile(fileURLToPath(import.meta.url), "utf8");
  return createHash("sha256").update(`${version}\n${self}`).digest("base64url");
}

async function readCache(file: string, version: string): Promise<Record<string, string>> {
  try {
    const cache = JSON.parse(await readFile(file, "utf8")) as { version?: string; blocks?: Record<string, string> };
    return cache.version === version && cache.blocks ? cache.blocks : {};
  } catch {
    return {}; // no cache yet, or an unreadable one: highlight everything
  }
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
