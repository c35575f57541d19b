/**
 * Code highlighting at build time with Shiki: readers get plain HTML with a few classes styled
 * by the site's stylesheet (light and dark), and no JavaScript. Classes rather than Shiki's
 * inline `style` attributes because the Content-Security-Policy allows only the one hashed
 * stylesheet (src/middleware/security.ts).
 */

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { BundledLanguage, createHighlighter } from "shiki";

/** Highlights one code block into a `<pre>` element, or gives `undefined` for a language it lacks. */
export type Highlight = (code: string, lang: string) => string | undefined;

/** A fenced code block as marked reads it: the first word of its info string, and its text. */
export interface CodeBlock {
  lang: string;
  code: string;
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

/**
 * The build's highlighter. `highlight` is synchronous (marked renders synchronously): it answers
 * from the cache and from the languages Shiki has loaded. A block in a language not loaded yet
 * gets `undefined` (plain code) and sets `pending`; the caller then awaits `load()` and renders
 * again, so Shiki (about half a second of CPU) loads only when some block is new, with just the
 * languages of the new blocks.
 */
export interface Highlighter {
  highlight: Highlight;
  /** Whether HTML rendered since the last `load()` holds a block highlighted too early (render it again after `load()`). */
  readonly pending: boolean;
  /** Loads Shiki and the languages asked for since the last call. */
  load(): Promise<void>;
  /** Every block highlighted so far, by `blockKey`: its HTML, or "" for a language Shiki lacks. */
  readonly used: Readonly<Record<string, string>>;
  /** Writes the blocks of this highlighter (`used`) to its cache file, when it has one. */
  save(): Promise<void>;
}

/**
 * Opens a highlighter whose cache is `cacheFile` (blocks highlighted by an earlier build with the
 * same Shiki, classes and markup), or none.
 */
export async function openHighlighter(cacheFile: string | false = false): Promise<Highlighter> {
  const version = await highlightVersion();
  // Read when the first code block asks: a post without code never needs it.
  let cached: Record<string, string> | undefined;
  const used: Record<string, string> = {};
  /** Languages asked for and not loaded; checked against Shiki's list by `load()`. */
  const wanted = new Set<string>();
  let shiki: Shiki | undefined;
  let pending = false;

  return {
    highlight(code, lang) {
      const name = lang.toLowerCase();
      const key = blockKey({ lang, code });
      cached ??= cacheFile ? readHighlightCache(cacheFile, version) : {};
      const known = cached[key] ?? used[key];
      if (known !== undefined) {
        used[key] = known;
        return known || undefined;
      }
      if (!shiki?.tried.has(name)) {
        wanted.add(name);
        pending = true;
        return undefined;
      }
      // "" records a language Shiki does not know, so a later build need not load Shiki to learn it.
      const html = render(shiki, code, name) ?? "";
      used[key] = html;
      return html || undefined;
    },
    get pending() {
      return pending;
    },
    async load() {
      shiki = await loadShiki(shiki, [...wanted]);
      wanted.clear();
      pending = false;
    },
    used,
    async save() {
      if (cacheFile) await writeHighlightCache(cacheFile, version, used);
    },
  };
}

/**
 * Makes a highlighter ready for these code blocks (`openHighlighter`, with their languages
 * loaded). Without code blocks that name a language it returns `undefined`. Unknown languages
 * stay plain code.
 */
export async function createHighlight(
  blocks: Iterable<CodeBlock>,
  cacheFile: string | false = false,
): Promise<Highlighter | undefined> {
  const named = [...blocks].filter((b) => b.lang !== "");
  if (named.length === 0) return undefined;
  const highlighter = await openHighlighter(cacheFile);
  for (const block of named) highlighter.highlight(block.code, block.lang);
  if (highlighter.pending) await highlighter.load();
  return highlighter;
}

/** Shiki (once some block needed it) and the languages asked for so far, whether Shiki has them or not. */
interface Shiki {
  tried: Set<string>;
  loaded: Set<string>;
  highlighter?: Awaited<ReturnType<typeof createHighlighter>>;
}

/** Loads the bundled languages among `langs`, and Shiki itself the first time one is needed. */
async function loadShiki(state: Shiki | undefined, langs: string[]): Promise<Shiki> {
  const { bundledLanguages, createHighlighter } = await import("shiki");
  const shiki: Shiki = state ?? { tried: new Set(), loaded: new Set() };
  for (const lang of langs) shiki.tried.add(lang);
  const wanted = new Set(langs.filter((lang): lang is BundledLanguage => Object.hasOwn(bundledLanguages, lang)));
  if (wanted.size === 0) return shiki;
  // Markdown highlights its front matter only when YAML is loaded too.
  if (wanted.has("markdown") || wanted.has("md")) wanted.add("yaml");
  if (shiki.highlighter) await shiki.highlighter.loadLanguage(...wanted);
  else shiki.highlighter = await createHighlighter({ themes: [THEME], langs: [...wanted] });
  for (const lang of shiki.highlighter.getLoadedLanguages()) shiki.loaded.add(lang);
  return shiki;
}

/** One block as a `<pre>` with classed spans, or `undefined` when Shiki lacks the language. */
function render(shiki: Shiki, code: string, lang: string): string | undefined {
  if (!shiki.highlighter || !shiki.loaded.has(lang)) return undefined;
  // No time limit: Shiki's default (500 ms a line) cuts lines short on a busy machine, and the
  // same source must always give the same HTML (and so the same content hash).
  const { tokens } = shiki.highlighter.codeToTokens(code, {
    lang: lang as BundledLanguage,
    theme: THEME,
    tokenizeTimeLimit: 0,
  });
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
}

/** The key of a block in the highlight cache (and in the render cache's list of a post's blocks). */
export const blockKey = ({ lang, code }: CodeBlock): string =>
  createHash("sha256").update(`${lang.toLowerCase()}\n${code}`).digest("base64url");

/** Changes whenever the HTML for the same block could: another Shiki, theme, classes or markup. */
export async function highlightVersion(): Promise<string> {
  const shiki = join(dirname(fileURLToPath(import.meta.resolve("shiki"))), "..", "package.json");
  const { version } = JSON.parse(await readFile(shiki, "utf8")) as { version: string };
  const self = await readFile(fileURLToPath(import.meta.url), "utf8");
  return createHash("sha256").update(`${version}\n${self}`).digest("base64url");
}

/** The blocks of a highlight cache file, or none when it is missing, unreadable or of another version. */
export function readHighlightCache(file: string, version: string): Record<string, string> {
  try {
    const cache = JSON.parse(readFileSync(file, "utf8")) as { version?: string; blocks?: Record<string, string> };
    return cache.version === version && cache.blocks ? cache.blocks : {};
  } catch {
    return {}; // no cache yet, or an unreadable one: highlight everything
  }
}

/** Replaces the highlight cache file with `blocks` (written whole, then renamed, so a build never reads half a cache). */
export async function writeHighlightCache(
  file: string,
  version: string,
  blocks: Record<string, string>,
): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify({ version, blocks }));
  await rename(temp, file);
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
