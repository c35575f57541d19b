import { Marked, type Tokens } from "marked";
import { getHeadingList, gfmHeadingId } from "marked-gfm-heading-id";
import type { CodeBlock, Highlight } from "./highlight.ts";
import { columnSizes, pictureSources } from "./image-variants.ts";
import { isFileLink, isLocalRef, type Media } from "./media.ts";
import { plainText } from "./plain-text.ts";
import { tableOfContents } from "./toc.ts";

export { firstParagraph, plainText } from "./plain-text.ts";

/** What rendering one post needs beyond its Markdown. */
export interface RenderOptions {
  /** The build's code highlighter (`createHighlight`); without it code blocks stay plain. */
  highlight?: Highlight | undefined;
  /**
   * Resolves a relative image or file reference of this post to its published asset, or says
   * why it cannot. Without it references are left as written.
   */
  media?: ((ref: string, image: boolean) => Media | string) | undefined;
  /** Put a table of contents (the h2 and h3 headings) before the text. */
  toc?: boolean | undefined;
}

/** A rendered post, with every broken reference it holds (empty when there are none). */
export interface Rendered {
  html: string;
  problems: string[];
}

// marked renders synchronously, so the options of the post being rendered can live here.
let current: RenderOptions & { problems: string[]; sizes: Map<string, Media> } = { problems: [], sizes: new Map() };

/** GFM with GitHub-style heading ids (Unicode kept, so Korean headings get Korean anchors). */
const marked = new Marked({ gfm: true }, gfmHeadingId(), {
  walkTokens(token) {
    if ((token.type !== "image" && token.type !== "link") || !current.media) return;
    const { href } = token as Tokens.Image | Tokens.Link;
    const image = token.type === "image";
    if (!(image ? isLocalRef(href) : isFileLink(href))) return;
    const media = current.media(href, image);
    if (typeof media === "string") {
      current.problems.push(`${image ? "image" : "link to"} ${media}`);
      return;
    }
    (token as Tokens.Image | Tokens.Link).href = media.url;
    if (image) current.sizes.set(media.url, media);
  },
  renderer: {
    image({ href, title, text, tokens }) {
      const size = current.sizes.get(href);
      if (!size) return false;
      const alt = tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text;
      // Width and height let the browser reserve the space (no layout shift); lazy loading keeps
      // images out of the first round trip.
      const img = (srcset: string) =>
        `<img src="${attr(href)}"${srcset} alt="${attr(alt)}"${title ? ` title="${attr(title)}"` : ""} width="${size.width}" height="${size.height}" loading="lazy" decoding="async">`;
      if (!size.variants || size.width === undefined) return img("");
      // A photo: the browser picks the format it knows and the smallest width that fills the column.
      const { sources, fallback } = pictureSources(size.url, size.width, size.variants);
      const sizes = attr(columnSizes(size.width));
      const others = sources.map(
        ({ type, srcset }) => `<source type="${type}" srcset="${attr(srcset)}" sizes="${sizes}">`,
      );
      return `<picture>${others.join("")}${img(` srcset="${attr(fallback)}" sizes="${sizes}"`)}</picture>`;
    },
    code({ text, lang }) {
      const name = langOf(lang);
      return (name && current.highlight?.(text, name)) || false;
    },
  },
});

/**
 * Renders a post's Markdown body to an HTML fragment. The writer's HTML is trusted. h2 and h3
 * headings link to themselves; relative image and file references become their hashed URLs.
 */
export function renderBody(body: string, options: RenderOptions = {}): Rendered {
  current = { ...options, problems: [], sizes: new Map() };
  try {
    let html = marked.parse(body, { async: false }).replace(HEADING, selfLink);
    if (options.toc) {
      const headings = getHeadingList().map(({ level, id, text }) => ({ level, id, text: plainText(text) }));
      html = tableOfContents(headings) + html;
    }
    return { html, problems: current.problems };
  } finally {
    current = { problems: [], sizes: new Map() };
  }
}

/**
 * The code blocks of a body that may be highlighted, each with the first word of its info
 * string, exactly as rendering sees them. A body without a fence gives none (indented code has
 * no language).
 */
export function codeBlocks(body: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  if (!body.includes("```") && !body.includes("~~~")) return blocks; // no fence: spare a second lexing
  marked.walkTokens(marked.lexer(body), (token) => {
    if (token.type === "code") blocks.push({ lang: langOf((token as Tokens.Code).lang), code: token.text });
  });
  return blocks;
}

const langOf = (info: string | undefined): string => /^\S*/.exec(info ?? "")?.[0] ?? "";

/** {@link renderBody} for a body with no references to resolve: just the HTML. */
export function renderMarkdown(body: string, options: RenderOptions = {}): string {
  return renderBody(body, options).html;
}

const HEADING = /<h([23]) id="([^"]+)">([\s\S]*?)<\/h\1>/g;

/**
 * The heading's text becomes a link to itself (MDN's pattern: the link's name is the heading's
 * text, no JavaScript). A heading that already holds a link gets a separate "#" link instead,
 * since links cannot nest.
 */
function selfLink(_: string, level: string, id: string, html: string): string {
  const inner = keepHyphenatedWords(html);
  const link = /<a[\s>]/.test(inner)
    ? `${inner} <a href="#${id}" aria-label="${attr(`Section: ${plainText(inner)}`)}">#</a>`
    : `<a class="anchor" href="#${id}">${inner}</a>`;
  return `<h${level} id="${id}">${link}</h${level}>`;
}

/**
 * Hyphenated words of up to 20 characters ("K-pop") in a heading's text, outside its tags, put in a
 * `.nh` span (`white-space: nowrap`) so the heading never breaks at the hyphen: the same rule as
 * the Worker's titles and summaries (src/views/no-break.tsx; test/pipeline/markdown.test.ts checks
 * that both agree).
 */
export function keepHyphenatedWords(html: string): string {
  return html.replace(
    /(^|>)([^<]+)/g,
    (_, close: string, text: string) =>
      close +
      text.replace(/[\p{L}\p{N}]+(?:[-\u2010][\p{L}\p{N}]+)+/gu, (word) =>
        word.length > 20 ? word : `<span class="nh">${word}</span>`,
      ),
  );
}

/** Escapes an attribute value, leaving entities the writer wrote (`&amp;`) as they are. */
const attr = (text: string): string =>
  text.replace(/&(?!#?\w+;)/g, "&amp;").replace(/[<>"]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&quot;"));
