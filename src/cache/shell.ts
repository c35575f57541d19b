import { HtmlEscapedCallbackPhase, raw, resolveCallback } from "hono/utils/html";

/**
 * A page's shell: everything of it but one per-request part (an article without its comments
 * section), rendered once with a hole where that part goes and kept as UTF-8 bytes. A miss then
 * renders and encodes only the part and splices it in; the whole page is what the page cache
 * stores, so a hit costs the same as before.
 *
 * Kept in this isolate's memory only, in a WeakMap keyed by the site settings and the immutable
 * content value the shell shows (the article's record, as the content store keeps it): it lives
 * as long as that value stays in this isolate's memory, and a deploy, which starts new isolates,
 * renews it with the code that renders it. Never in the Cache API: its keys carry the content
 * release, which a template-only deploy does not change. The shell holds nothing a reader
 * sent, so it is shared by every render, personal ones included; it is dropped once a scheduled
 * post comes out (`validUntil`), since what it links to may change then.
 */

/** Stands where the per-request part goes while the shell renders (nothing after it comes from content). */
export const HOLE = raw("<!--hole-->");

interface Shell {
  before: Uint8Array;
  after: Uint8Array;
  validUntil: number | undefined;
}

const shells = new WeakMap<object, WeakMap<object, Shell>>();

/** Shells rendered and parts spliced in by this isolate (tests count work with them). */
export const shellWork = { shells: 0, parts: 0 };

const encoder = new TextEncoder();

/** Renders hono/jsx (or an escaped string) to a string, running its callbacks as `c.html` does. */
export const html = async (node: unknown): Promise<string> =>
  String(await resolveCallback(node as string, HtmlEscapedCallbackPhase.Stringify, false, {}));

/**
 * The page of `content` on `site` with `part` in its hole, as bytes: the shell from this isolate's
 * memory when it holds one still valid at `now`, else `render()` (the page with `HOLE` in it),
 * split and kept until `validUntil` (when the page's schedule changes, if it does).
 */
export async function withShell(
  at: { site: object; content: object; now: number; validUntil: number | undefined },
  render: () => unknown,
  part: unknown,
): Promise<Uint8Array<ArrayBuffer>> {
  let bySite = shells.get(at.site);
  if (!bySite) {
    bySite = new WeakMap<object, Shell>();
    shells.set(at.site, bySite);
  }
  const kept = bySite.get(at.content);
  const shell = kept && (kept.validUntil === undefined || at.now < kept.validUntil) ? kept : await split(render());
  if (shell !== kept) {
    shell.validUntil = at.validUntil;
    bySite.set(at.content, shell);
  }
  shellWork.parts++;
  const middle = encoder.encode(await html(part));
  const out = new Uint8Array(shell.before.length + middle.length + shell.after.length);
  out.set(shell.before);
  out.set(middle, shell.before.length);
  out.set(shell.after, shell.before.length + middle.length);
  return out;
}

async function split(page: unknown): Promise<Shell> {
  const text = await html(page);
  // The last hole is ours: what follows it (the page's end) holds no content, so no look-alike.
  const cut = text.lastIndexOf(String(HOLE));
  if (cut < 0) throw new Error("the shell rendered without its hole");
  shellWork.shells++;
  return {
    before: encoder.encode(text.slice(0, cut)),
    after: encoder.encode(text.slice(cut + String(HOLE).length)),
    validUntil: undefined,
  };
}
