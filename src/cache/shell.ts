import { HtmlEscapedCallbackPhase, raw, resolveCallback } from "hono/utils/html";

/**
 * A page's shell: everything of it but one per-request part (an article without its comments
 * section), rendered once with a hole where that part goes. A miss then renders only the part and
 * splices it in; the whole page is what the page cache stores, so a hit costs what it did.
 *
 * Kept in this isolate's memory only, in a WeakMap keyed by the immutable content value the shell
 * shows (the article's record, as the content store keeps it) and checked against the site
 * settings it was rendered with: it lives as long as that value stays in this isolate's memory,
 * and a deploy, which starts new isolates, renews it with the code that renders it. Never in the Cache API: its keys carry the content
 * release, which a template-only deploy does not change. The shell holds nothing a reader
 * sent, so it is shared by every render, personal ones included; it is dropped once a scheduled
 * post comes out (`validUntil`), since what it links to may change then.
 */

/** Stands where the per-request part goes while the shell renders (nothing after it comes from content). */
export const HOLE = raw("<!--hole-->");

/** Before the hole, after it, the site it was rendered for, and until when it holds (a scheduled post's time). */
type Shell = [string, string, object, number | undefined];

const shells = new WeakMap<object, Shell>();

/** Shells rendered and parts spliced in by this isolate (tests count work with them). */
export const shellWork = { shells: 0, parts: 0 };

/** Renders hono/jsx (or an escaped string) to a string, running its callbacks as `c.html` does. */
const html = async (node: unknown): Promise<string> =>
  String(await resolveCallback(node as string, HtmlEscapedCallbackPhase.Stringify, false, {}));

/**
 * The page of `content` on `site` with `part` in its hole: the shell from this isolate's memory
 * when it holds one for that site still valid at `now`, else `render()` (the page with `HOLE` in
 * it), split and kept until `validUntil` (when the page's schedule changes, if it does).
 */
export async function withShell(
  at: { site: object; content: object; now: number; validUntil: number | undefined },
  render: () => unknown,
  part: unknown,
): Promise<string> {
  let shell = shells.get(at.content);
  if (!shell || shell[2] !== at.site || (shell[3] !== undefined && at.now >= shell[3])) {
    const page = await html(render());
    // The last hole is ours: what follows it (the page's end) holds no content, so no look-alike.
    const cut = page.lastIndexOf(HOLE);
    shell = [page.slice(0, cut), page.slice(cut + HOLE.length), at.site, at.validUntil];
    shells.set(at.content, shell);
    shellWork.shells++;
  }
  shellWork.parts++;
  return shell[0] + (await html(part)) + shell[1];
}
