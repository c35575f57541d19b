import { Marked } from "marked";
import { gfmHeadingId } from "marked-gfm-heading-id";

/** GFM with GitHub-style heading ids (Unicode kept, so Korean headings get Korean anchors). */
const marked = new Marked({ gfm: true }, gfmHeadingId());

/** Renders a post's Markdown body to an HTML fragment. The writer's HTML is trusted. */
export function renderMarkdown(body: string): string {
  return marked.parse(body, { async: false });
}

/** The text a reader reads, for reading time and summaries. */
export function plainText(html: string): string {
  return decodeEntities(html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, " ").replace(/<[^>]+>/g, " "))
    .replace(/\s+/g, " ")
    .trim();
}

/** The first paragraph as plain text, cut at a word boundary near `max` characters. */
export function firstParagraph(html: string, max = 200): string {
  const paragraph = /<p>([\s\S]*?)<\/p>/.exec(html)?.[1] ?? html;
  const text = plainText(paragraph);
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:!?—-]+$/u, "")}…`;
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e.startsWith("#x")) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith("#")) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ({ amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " } as Record<string, string>)[e] ?? "";
  });
}
