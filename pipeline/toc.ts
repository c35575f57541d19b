/** A heading of the post: its level, its id (from marked-gfm-heading-id) and its plain text. */
export interface Heading {
  level: number;
  id: string;
  text: string;
}

/**
 * A table of contents of the h2 and h3 headings: `<nav aria-label="Contents">` with a list of
 * links, h3s nested under the h2 before them. Empty when there are no such headings.
 */
export function tableOfContents(headings: readonly Heading[]): string {
  const items: { heading: Heading; children: Heading[] }[] = [];
  for (const heading of headings) {
    if (heading.level === 2 || (heading.level === 3 && items.length === 0)) items.push({ heading, children: [] });
    else if (heading.level === 3) items.at(-1)?.children.push(heading);
  }
  if (items.length === 0) return "";
  const link = (h: Heading) => `<a href="#${escapeHtml(h.id)}">${escapeHtml(h.text)}</a>`;
  const list = items
    .map(({ heading, children }) => {
      const nested = children.length ? `<ol>${children.map((c) => `<li>${link(c)}</li>`).join("")}</ol>` : "";
      return `<li>${link(heading)}${nested}</li>`;
    })
    .join("");
  return `<nav class="toc" aria-label="Contents"><p class="toc-title">Contents</p><ol>${list}</ol></nav>\n`;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
