/**
 * Code highlighting at build time with Shiki: readers get plain HTML with a few classes styled
 * by the site's stylesheet (light and dark), and no JavaScript. Classes rather than Shiki's
 * inline `style` attributes because the Content-Security-Policy allows only the one hashed
 * stylesheet (src/middleware/security.ts).
 */

import type { BundledLanguage } from "shiki";

/** Highlights one code block into a `<pre>` element, or gives `undefined` for a language it lacks. */
export type Highlight = (code: string, lang: string) => string | undefined;

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

/** The language of each fenced code block (```ts, ~~~ yaml). */
const FENCE = /^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`{]+)/gm;

/**
 * Makes the build's one highlighter, loaded with the languages the posts' code blocks name (so
 * a build without code never loads Shiki). Unknown languages stay plain code.
 */
export async function createHighlight(bodies: Iterable<string>): Promise<Highlight | undefined> {
  const named = new Set<string>();
  for (const body of bodies) for (const [, lang = ""] of body.matchAll(FENCE)) named.add(lang.toLowerCase());
  if (named.size === 0) return undefined;
  // Markdown highlights its front matter only when YAML is loaded too.
  if (named.has("markdown") || named.has("md")) named.add("yaml");
  const { bundledLanguages, createHighlighter } = await import("shiki");
  const langs = [...named].filter((lang): lang is BundledLanguage => Object.hasOwn(bundledLanguages, lang));
  if (langs.length === 0) return undefined;
  const highlighter = await createHighlighter({ themes: [THEME], langs });
  const loaded = new Set(highlighter.getLoadedLanguages());

  return (code, lang) => {
    const name = lang.toLowerCase();
    if (!loaded.has(name)) return undefined;
    // No time limit: Shiki's default (500 ms a line) cuts lines short on a busy machine, and the
    // same source must always give the same HTML (and so the same content hash).
    const { tokens } = highlighter.codeToTokens(code, {
      lang: name as BundledLanguage,
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
    return `<pre class="code" tabindex="0"><code class="language-${name}">${lines.join("\n")}</code></pre>\n`;
  };
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
