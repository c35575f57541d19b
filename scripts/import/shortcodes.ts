import { videoEmbed } from "./video.ts";

/** What expanding a post's shortcodes needs from the rest of the export. */
export interface ShortcodeContext {
  /** Image URLs of a `[gallery]`: of the attachments `ids`, or (no ids) those attached to the post. */
  gallery(ids: string[] | undefined): string[];
  /** Called once per shortcode kept as text (an unknown one). */
  unknown(name: string): void;
}

interface Shortcode {
  name: string;
  attrs: Record<string, string>;
  /** The positional value of `[youtube URL]` / `[youtube=URL]`. */
  value: string;
  /** Enclosed content, for `[name]...[/name]`. */
  content?: string;
  start: number;
  end: number;
}

const NAME = /^[a-zA-Z][\w-]*/;
const ATTR = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s\]]+))|("[^"]*"|'[^']*'|[^\s\]]+)/g;
const KNOWN = new Set(["caption", "wp_caption", "gallery", "embed", "youtube", "vimeo", "audio", "video"]);

/**
 * Turns WordPress shortcodes into HTML the converter understands: `[caption]` into a figure with
 * its caption, `[gallery]` into its images, `[embed]` / `[youtube]` / `[vimeo]` into a player (or a
 * link), `[audio]` / `[video]` into a link to the file. An unknown shortcode is kept as text and
 * reported; `[[name]]` (WordPress's escape) becomes the text `[name]`.
 */
export function expandShortcodes(html: string, context: ShortcodeContext): string {
  let out = "";
  let at = 0;
  for (let open = html.indexOf("[", at); open >= 0; open = html.indexOf("[", at)) {
    if (html[open + 1] === "[") {
      const close = html.indexOf("]]", open);
      if (close < 0) break;
      out += `${html.slice(at, open)}${html.slice(open + 1, close + 1)}`;
      at = close + 2;
      continue;
    }
    const code = parseAt(html, open);
    if (!code || !KNOWN.has(code.name)) {
      if (code) context.unknown(code.name);
      out += html.slice(at, open + 1);
      at = open + 1;
      continue;
    }
    out += html.slice(at, open) + render(code, context);
    at = code.end;
  }
  return out + html.slice(at);
}

/** The shortcode opening at `open`, with its content when a matching `[/name]` follows. */
function parseAt(html: string, open: number): Shortcode | undefined {
  const name = NAME.exec(html.slice(open + 1, open + 40))?.[0];
  if (!name) return undefined;
  const close = html.indexOf("]", open);
  if (close < 0) return undefined;
  const inner = html.slice(open + 1 + name.length, close);
  if (inner && !/^[\s=]/.test(inner)) return undefined;
  const attrs: Record<string, string> = {};
  let value = "";
  const body = inner.startsWith("=") ? inner.slice(1) : inner;
  for (const m of body.matchAll(ATTR)) {
    if (m[1]) attrs[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? "";
    else if (!value && m[5]) value = m[5].replace(/^["']|["']$/g, "");
  }
  const ending = `[/${name}]`;
  const end = html.indexOf(ending, close);
  const nextOpen = html.indexOf(`[${name}`, close);
  if (end >= 0 && (nextOpen < 0 || nextOpen > end))
    return { name, attrs, value, content: html.slice(close + 1, end), start: open, end: end + ending.length };
  return { name, attrs, value, start: open, end: close + 1 };
}

const escapeAttr = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

function render(code: Shortcode, context: ShortcodeContext): string {
  const content = code.content ?? "";
  switch (code.name) {
    case "caption":
    case "wp_caption": {
      // The caption is the text after the image (or the `caption` attribute of old exports).
      const media = /^\s*(?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?/i.exec(content)?.[0] ?? "";
      const caption = code.attrs.caption ?? content.slice(media.length).trim();
      return `<figure>${media || content}${caption ? `<figcaption>${caption}</figcaption>` : ""}</figure>`;
    }
    case "gallery": {
      const ids = code.attrs.ids
        ?.split(",")
        .map((id) => id.trim())
        .filter(Boolean);
      const images = context.gallery(ids);
      return `<p>${images.map((src) => `<img src="${escapeAttr(src)}" alt="">`).join(" ")}</p>`;
    }
    case "embed":
    case "youtube":
    case "vimeo":
    case "audio":
    case "video": {
      const url = (
        content ||
        code.value ||
        code.attrs.src ||
        code.attrs.url ||
        code.attrs.mp4 ||
        code.attrs.mp3 ||
        ""
      ).trim();
      if (!url) return "";
      return videoEmbed(url) ?? `<p><a href="${escapeAttr(url)}">${escapeAttr(url)}</a></p>`;
    }
    default:
      return content;
  }
}
