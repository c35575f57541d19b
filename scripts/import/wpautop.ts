/** Block elements: WordPress's list, for which it adds paragraph breaks around the tag. */
const BLOCKS =
  "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe";
const OPEN = new RegExp(`(<(?:${BLOCKS})[\\s/>])`, "gi");
const CLOSE = new RegExp(`(</(?:${BLOCKS})>)`, "gi");
const STARTS_BLOCK = new RegExp(`^(?:<!--|</?(?:${BLOCKS})[\\s/>])`, "i");

/**
 * WordPress's classic editor stores paragraphs as blank lines and line breaks as newlines, and
 * adds `<p>` / `<br>` only when a page is shown (its `wpautop`). This does the same before the
 * conversion, so paragraphs survive: blank lines are put around block elements, then each run
 * of text between blank lines becomes a paragraph, its newlines line breaks. Block-editor content
 * (`<!-- wp:` comments) already has its paragraphs; `<pre>` is left as it is.
 */
export function wpautop(html: string): string {
  if (html.includes("<!-- wp:") || !html.includes("\n")) return html;
  const out: string[] = [];
  for (const [i, part] of html
    .replace(/\r\n?/g, "\n")
    .split(/(<pre[\s>][\s\S]*?<\/pre>)/i)
    .entries()) {
    if (i % 2 === 1) {
      out.push(part);
      continue;
    }
    const spaced = part.replace(OPEN, "\n\n$1").replace(CLOSE, "$1\n\n");
    for (const chunk of spaced.split(/\n[ \t]*\n/)) {
      const trimmed = chunk.trim();
      if (!trimmed) continue;
      out.push(STARTS_BLOCK.test(trimmed) ? trimmed : `<p>${trimmed.replace(/\n/g, "<br>\n")}</p>`);
    }
  }
  return out.join("\n\n");
}
