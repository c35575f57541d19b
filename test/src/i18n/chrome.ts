import type { Catalog } from "../../../src/i18n/index.ts";

const MARK = "\u0000";

/** Every fixed piece of a catalog: its strings, and what its functions say around their arguments. */
export function fragments(catalog: Catalog, minLength: number): string[] {
  const out: string[] = [];
  const visit = (value: unknown) => {
    if (typeof value === "string") out.push(value);
    else if (typeof value === "function") {
      const args = Array.from({ length: value.length }, () => MARK);
      out.push(...String(value(...args)).split(MARK));
    } else if (value && typeof value === "object") Object.values(value).forEach(visit);
  };
  for (const [key, value] of Object.entries(catalog)) if (key !== "timeZone") visit(value);
  return [...new Set(out.map((s) => s.trim()).filter((s) => s.length >= minLength))];
}

/**
 * The text of a page's body outside the post's own text (`.content`), anything marked with its
 * own `lang`, and what `alsoSkipped` selects (what readers wrote: comment bodies and names), with
 * the labels, tooltips and alternative text of what is left.
 */
export async function chromeText(res: Response, alsoSkipped: string[] = []): Promise<string> {
  let skip = 0;
  let inBody = false;
  let text = "";
  const skipped = {
    element(element: Element) {
      skip++;
      element.onEndTag(() => {
        skip--;
      });
    },
  };
  await new HTMLRewriter()
    .on("body", {
      element(element) {
        inBody = true;
        element.onEndTag(() => {
          inBody = false;
        });
      },
    })
    .on(".content", skipped)
    .on("[lang]:not(html)", skipped)
    .on(alsoSkipped.join(", ") || "nothing-else", skipped)
    // What is read out but not shown: labels, tooltips, alternative text.
    .on("[aria-label], [title], [alt], [placeholder]", {
      element(element) {
        if (skip > 0) return;
        for (const name of ["aria-label", "title", "alt", "placeholder"])
          text += `${element.getAttribute(name) ?? ""}\n`;
      },
    })
    .onDocument({
      text(chunk) {
        if (inBody && skip === 0) text += chunk.text + (chunk.lastInTextNode ? "\n" : "");
      },
    })
    .transform(res)
    .text();
  return text;
}
