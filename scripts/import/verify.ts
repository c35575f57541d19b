import { readContent } from "../../pipeline/read-content.ts";
import { postPath } from "../../src/lib/paths.ts";
import { commentRows } from "./comments-plan.ts";
import { readContentState } from "./content-state.ts";
import type { SourceExport } from "./model.ts";
import { ImportReport } from "./report.ts";
import { sourceKey } from "./run.ts";
import { type Site, visibleComments } from "./site-check.ts";

/** What a check of an imported blog looked at, and what was wrong. */
export interface Verified {
  posts: number;
  comments: number;
  maxDepth: number;
  aliases: number;
  problems: string[];
}

/**
 * Checks a running imported blog against its export: every published post answers 200 (a
 * scheduled or draft one 404), shows as many comments as the export has published ones, at the
 * depths of the export's tree, and a sample of its old addresses (`sample` per post) answer 301
 * to it.
 */
export async function verifyImport(
  site: Site,
  source: SourceExport,
  contentDir: string,
  sample = 3,
): Promise<Verified> {
  const state = await readContentState(contentDir);
  const aliases = new Map((await readContent(contentDir)).map((p) => [p.meta.slug, p.meta.aliases ?? []]));
  const out: Verified = { posts: 0, comments: 0, maxDepth: 0, aliases: 0, problems: [] };
  const problem = (message: string) => out.problems.push(message);
  for (const post of source.posts) {
    const slug = state.imported.get(sourceKey(source, post))?.slug;
    if (post.status !== "published" && post.status !== "scheduled" && post.status !== "draft") {
      if (slug) problem(`${post.kind} ${post.sourceId} is ${post.status} but was imported`);
      continue;
    }
    if (!slug) {
      problem(`${post.kind} ${post.sourceId} "${post.title}" was not imported`);
      continue;
    }
    const page = await site.get(postPath(slug));
    await page.body?.cancel();
    const shown = post.status === "published";
    if (page.status !== (shown ? 200 : 404)) problem(`${postPath(slug)} answered ${page.status}`);
    if (!shown) continue;
    out.posts++;
    const expected = commentRows(
      post.comments,
      { format: source.format, site: source.site, slug, label: slug },
      new ImportReport(),
    )
      .filter((r) => r.status === "published")
      .map((r) => r.depth)
      .sort();
    const visible = await visibleComments(site, slug);
    const depths = visible.map((c) => c.depth).sort();
    if (JSON.stringify(depths) !== JSON.stringify(expected))
      problem(`${postPath(slug)}: comments at depths [${depths}], the export has [${expected}]`);
    const byId = new Map(visible.map((c) => [c.id, c]));
    for (const c of visible) {
      const parent = c.parent === null ? undefined : byId.get(c.parent);
      if (c.parent !== null && parent && parent.depth + 1 !== c.depth)
        problem(`${postPath(slug)}: comment ${c.id} is at depth ${c.depth} under a comment at depth ${parent.depth}`);
    }
    out.comments += visible.length;
    out.maxDepth = Math.max(out.maxDepth, ...depths, 0);
    for (const alias of (aliases.get(slug) ?? []).slice(0, sample)) {
      const res = await site.get(encodeURI(alias).replace(/%25/g, "%"));
      await res.body?.cancel();
      out.aliases++;
      const location = res.headers.get("location");
      if (res.status !== 301 || location !== postPath(slug))
        problem(`old address ${alias} answered ${res.status} ${location ?? ""} (expected 301 to ${postPath(slug)})`);
    }
  }
  return out;
}
