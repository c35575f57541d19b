import { ContentError } from "../../pipeline/content-error.ts";
import { aliasPath } from "../../pipeline/front-matter.ts";
import { HOME_ALIAS_PARAMS } from "../../src/articles/record.ts";

/**
 * The aliases of one post from its old addresses, each as the front matter will say it (a path,
 * or a path with one `?name=value`), checked as the build checks them. Blogger's `?m=1` needs
 * no alias of its own (an alias matches its path whatever the query); other queries are kept
 * when they are one parameter (`/?p=123`, `/index.php?page_id=7`). `claimed` (alias -> slug)
 * holds the addresses other posts already have: the first post keeps one, later ones are warned.
 */
export function aliasesFor(
  slug: string,
  oldUrls: readonly string[],
  claimed: Map<string, string>,
  warn: (message: string) => void,
): string[] {
  const out: string[] = [];
  const keys = new Set([`/posts/${slug}`]);
  for (const url of oldUrls) {
    const written = aliasForm(url);
    if (!written) continue;
    let key: string;
    try {
      key = aliasPath("import", written);
    } catch (error) {
      if (!(error instanceof ContentError)) throw error;
      if (!/own addresses/.test(error.message) || written.includes("?"))
        warn(`old address ${url} is not kept: ${error.message.replace(/^.*?which /, "it ")}`);
      continue;
    }
    if (keys.has(key)) continue;
    const other = claimed.get(key);
    if (other !== undefined && other !== slug) {
      warn(`old address ${url} is also one of /posts/${other}, which keeps it`);
      continue;
    }
    claimed.set(key, slug);
    keys.add(key);
    // Decoded when that reads better and means the same (/2024/04/케이팝/ rather than %EC%BC%80...).
    out.push(!written.includes("?") && !/[%?#\s\p{Cc}]/u.test(key) ? key : written);
  }
  return out;
}

/** The path (and query, when it addresses the post) of an old URL; undefined when it names no page. */
function aliasForm(url: string): string | undefined {
  const parsed = URL.parse(url, "http://old.invalid");
  if (!parsed || !/^https?:$/.test(parsed.protocol)) return undefined;
  const params = [...parsed.searchParams].filter(([name]) => name !== "m");
  // WordPress answered `//greek/page/` as `/greek/page/`.
  const path = parsed.pathname.replace(/\/{2,}/g, "/");
  if (params.length === 0) return path === "/" ? undefined : path;
  if (params.length > 1) return undefined;
  const [name] = params[0] as [string, string];
  if (path === "/" && !HOME_ALIAS_PARAMS.includes(name)) return undefined;
  return `${path}?${new URLSearchParams(params)}`;
}
