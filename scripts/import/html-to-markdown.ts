import { createRequire } from "node:module";
import type TurndownService from "turndown";
import { type DomElement, parseHtml } from "./dom.ts";
import { isKnownPlayer, videoEmbed } from "./video.ts";

export { parseHtml } from "./dom.ts";

const require = createRequire(import.meta.url);
/** turndown's nodes are the DOM's; its types name them by the browser's type. */
const el = (node: TurndownService.Node): DomElement => node as unknown as DomElement;

let service: TurndownService | undefined;

/** The converter: GFM (tables, strikethrough, task lists), ATX headings, fenced code, and the rules below. */
function turndown(): TurndownService {
  if (service) return service;
  const Turndown = require("turndown") as typeof TurndownService;
  const { gfm } = require("@joplin/turndown-plugin-gfm") as typeof import("@joplin/turndown-plugin-gfm");
  const td = new Turndown({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-", emDelimiter: "*" });
  td.use(gfm);
  td.remove(["script", "style", "noscript", "form", "button", "input", "select", "textarea"]);
  // Rules added later win: these come after the plugin's.
  td.addRule("players", {
    filter: (node) => node.nodeName === "IFRAME",
    replacement: (_content, node) => {
      const src = el(node).getAttribute("src") ?? "";
      if (!isKnownPlayer(src)) return src ? `\n\n[${src}](${src})\n\n` : "";
      return `\n\n${iframe(src, el(node))}\n\n`;
    },
  });
  td.addRule("spanned-tables", {
    filter: (node) => node.nodeName === "TABLE" && spanned(el(node)),
    replacement: (_content, node) => `\n\n${clean(el(node)).outerHTML}\n\n`,
  });
  td.addRule("figures", {
    filter: (node) => node.nodeName === "FIGURE" && el(node).querySelector("figcaption") !== null,
    replacement: (_content, node) => figure(td, el(node)),
  });
  td.addRule("block-embeds", {
    filter: (node) => node.nodeName === "FIGURE" && /\bwp-block-embed\b/.test(el(node).className),
    replacement: (_content, node) => {
      const url = (el(node).textContent ?? "").trim().split(/\s+/)[0] ?? "";
      if (!/^https?:\/\//.test(url)) return "";
      return `\n\n${videoEmbed(url) ?? `[${url}](${url})`}\n\n`;
    },
  });
  service = td;
  return td;
}

/** Whether a table has a cell spanning rows or columns (Markdown tables cannot say it). */
const spanned = (table: DomElement): boolean =>
  Array.from(table.querySelectorAll("td, th")).some((cell) => {
    const span = (name: string) => Number(cell.getAttribute(name) ?? "1") > 1;
    return span("colspan") || span("rowspan");
  });

/** A known player's iframe, with only the attributes that matter. */
function iframe(src: string, node: DomElement): string {
  const width = node.getAttribute("width");
  const height = node.getAttribute("height");
  const title = node.getAttribute("title") || "Video";
  const size = `${/^\d+$/.test(width ?? "") ? ` width="${width}"` : ""}${/^\d+$/.test(height ?? "") ? ` height="${height}"` : ""}`;
  return `<iframe src="${attr(src)}" title="${attr(title)}"${size} loading="lazy" allowfullscreen></iframe>`;
}

/**
 * A figure with a caption: raw HTML around Markdown (blank lines between), so the image inside is
 * still a Markdown image the build publishes, and the caption stays attached to it.
 */
function figure(td: TurndownService, node: DomElement): string {
  const caption = node.querySelector("figcaption");
  caption?.parentNode?.removeChild(caption);
  const inner = td.turndown(node.innerHTML).trim();
  // Markdown is not read inside an HTML block: the caption is kept as text.
  const text = (caption?.textContent ?? "").replace(/\s+/g, " ").trim();
  return `\n\n<figure>\n\n${inner}\n\n<figcaption>${escapeHtml(text)}</figcaption>\n</figure>\n\n`;
}

/** Drops styling and scripting attributes from an element kept as HTML. */
function clean(node: DomElement): DomElement {
  for (const element of [node, ...Array.from(node.querySelectorAll("*"))]) {
    for (const name of element.getAttributeNames())
      if (!["colspan", "rowspan", "scope", "href", "src", "alt"].includes(name)) element.removeAttribute(name);
  }
  return node;
}

const attr = (value: string): string => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
const escapeHtml = (value: string): string => value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** `https:`, `mailto:`, `//host`, `/path`, `#id`, `?q`: an address that does not name a file beside the post. */
const NOT_RELATIVE = /^(?:[a-z][a-z0-9+.-]*:|[/#?]|$)/i;

/**
 * Makes relative image sources (and relative links that are not root-relative) absolute against the old blog's address: left relative,
 * the build would look for them beside the post (and fail when they are not there).
 */
export function absolutize(body: DomElement, site: string): void {
  const base = URL.parse(site);
  for (const [selector, name] of [
    ["img", "src"],
    ["a", "href"],
  ] as const)
    for (const element of Array.from(body.querySelectorAll(selector))) {
      const value = element.getAttribute(name)?.trim() ?? "";
      // A link to /2019/05/old-post/ keeps working through that post's alias; an image there would not.
      if (NOT_RELATIVE.test(value) && !(name === "src" && /^\/[^/]/.test(value))) continue;
      const url = base && URL.parse(value, base.href);
      if (url) element.setAttribute(name, url.href);
      else element.removeAttribute(name);
    }
}

/** Every image source of a document, in order, each once. */
export function imageSources(body: DomElement): string[] {
  return [
    ...new Set(
      Array.from(body.querySelectorAll("img"))
        .map((img) => img.getAttribute("src") ?? "")
        .filter(Boolean),
    ),
  ];
}

/**
 * Sets image sources (and links that wrapped an image pointing at the same file) to their new
 * place; `moved` maps an old URL to the relative name of the file written beside the post.
 */
export function moveImages(body: DomElement, moved: ReadonlyMap<string, string>): void {
  for (const img of Array.from(body.querySelectorAll("img"))) {
    const local = moved.get(img.getAttribute("src") ?? "");
    if (local) img.setAttribute("src", local);
    for (const name of ["srcset", "sizes", "width", "height", "class", "style"]) img.removeAttribute(name);
  }
  for (const a of Array.from(body.querySelectorAll("a"))) {
    const local = moved.get(a.getAttribute("href") ?? "");
    if (local) a.setAttribute("href", local);
  }
}

/** Converts a post's (parsed) HTML to Markdown. */
export function toMarkdown(body: DomElement | string): string {
  const md = turndown().turndown(typeof body === "string" ? body : (body as unknown as TurndownService.Node));
  return `${md.replace(/\n{3,}/g, "\n\n").trim()}\n`;
}

/**
 * A comment's HTML as the plain text the blog stores (comments are always shown as text):
 * paragraphs and line breaks kept, a link's address kept beside its text.
 */
export function htmlToText(html: string): string {
  const body = parseHtml(html);
  for (const code of Array.from(body.querySelectorAll("script, style"))) code.parentNode?.removeChild(code);
  for (const a of Array.from(body.querySelectorAll("a"))) {
    const href = a.getAttribute("href") ?? "";
    const text = a.textContent ?? "";
    if (/^https?:/i.test(href) && text.trim() !== href) a.textContent = `${text} (${href})`;
  }
  const doc = body.ownerDocument;
  for (const br of Array.from(body.querySelectorAll("br"))) br.parentNode?.replaceChild(doc.createTextNode("\n"), br);
  for (const block of Array.from(body.querySelectorAll("p, div, li, blockquote, h1, h2, h3, h4, h5, h6, pre"))) {
    block.insertBefore(doc.createTextNode("\n\n"), block.firstChild);
    block.appendChild(doc.createTextNode("\n\n"));
  }
  return (body.textContent ?? "")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
