/**
 * Attributes of the article HTML that hold URLs. `srcset` holds a list of them, each followed by
 * a width or density; the rest hold one.
 */
const URL_ATTRIBUTE = /(\s(?:href|src|poster|srcset))=(?:"([^"]*)"|'([^']*)')/gi;

const START_TAG = /<[a-z][a-z0-9-]*\s[^>]*>/gi;

/** The value of an attribute as written in HTML, decoded as far as URLs need (`&amp;` and quotes). */
const decode = (value: string): string =>
  value.replace(/&(amp|quot|#39|apos);/g, (_, name: string) => (name === "amp" ? "&" : name === "quot" ? '"' : "'"));

const encode = (value: string): string => value.replace(/&/g, "&amp;").replace(/"/g, "&quot;");

function absolute(url: string, base: string): string {
  try {
    return new URL(url, base).href;
  } catch {
    return url;
  }
}

const absoluteSrcset = (list: string, base: string): string =>
  list
    .split(",")
    .map((candidate) => {
      const [url = "", ...descriptor] = candidate.trim().split(/\s+/);
      return [absolute(url, base), ...descriptor].join(" ");
    })
    .join(", ");

/**
 * `html` (the build's trusted article HTML) with every relative `href`, `src`, `poster` and
 * `srcset` URL made absolute against `base` (the article's own address, so `../media/x.jpg` and
 * `#notes` resolve as they do on the page). Feed readers show the HTML away from the site, where
 * a relative URL leads nowhere. URLs that are already absolute (`https:`, `mailto:`) are kept.
 */
export function absoluteUrls(html: string, base: string): string {
  // Only inside start tags: text (code samples included) has its `<` escaped, so it never matches.
  return html.replace(START_TAG, (tag) =>
    tag.replace(URL_ATTRIBUTE, (whole, name: string, double?: string, single?: string) => {
      const value = decode(double ?? single ?? "");
      const resolved = /srcset$/i.test(name) ? absoluteSrcset(value, base) : absolute(value.trim(), base);
      return resolved === value ? whole : `${name}="${encode(resolved)}"`;
    }),
  );
}
