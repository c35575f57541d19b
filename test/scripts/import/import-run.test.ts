import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readContent } from "../../../pipeline/read-content.ts";
import { buildRelease } from "../../../pipeline/release.ts";
import { readExport } from "../../../scripts/import/read-export.ts";
import { ImportReport } from "../../../scripts/import/report.ts";
import { type ImportOptions, importExport } from "../../../scripts/import/run.ts";

const fixtures = join(import.meta.dirname, "..", "..", "fixtures", "import");
const root = join(import.meta.dirname, "..", "..", "..");
let dir = "";
let content = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "our-kpop-import-"));
  content = join(dir, "content");
  // The sample blog's own posts: an imported post must not take their slugs.
  cpSync(join(root, "content"), content, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(file: string, options: Partial<ImportOptions> = {}) {
  const report = new ImportReport();
  const result = await importExport(
    await readExport(join(fixtures, file)),
    { contentDir: content, media: { folder: join(fixtures, "uploads") }, overwrite: false, dryRun: false, ...options },
    report,
  );
  return { report, result };
}
const post = (slug: string) => readFileSync(join(content, "posts", slug, "index.md"), "utf8");

describe("importing a WordPress export into a content folder", () => {
  it("writes each post with front matter the build accepts, its images beside it and its old addresses", async () => {
    const { report } = await run("wordpress-1.2-https.xml");
    const text = post("red-velvet-live");
    expect(text).toMatch(/^---\n# imported from wordpress:https:\/\/oldblog\.example:post:101 sha256:[0-9a-f]{16}/);
    expect(text).toContain('title: "Red Velvet live: a <review>"');
    expect(text).toContain("date: 2024-05-20T09:30:00.000Z");
    expect(text).toContain("summary: A night with Red Velvet.");
    expect(text).toMatch(/tags:\n {2}- girl-groups\n {2}- music\n {2}- red-velvet\n/);
    for (const alias of ["/2024/05/20/red-velvet-live", "/?p=101", "/girl-groups/red-velvet-live"])
      expect(text).toContain(`  - ${alias}\n`);
    // Images found in the uploads copy are written beside the post; the missing one keeps its old address.
    expect(text).toContain("[![A lightstick](lightstick.png)](lightstick.png)");
    expect(text).toContain("<figcaption>Lightsticks everywhere</figcaption>");
    expect(text).toContain("![](stage.png)");
    expect(text).toContain("![Banner](https://cdn.example/missing/banner.jpg)");
    expect(readFileSync(join(content, "posts", "red-velvet-live", "lightstick.png")).length).toBeGreaterThan(0);
    expect(report.warnings).toContain(
      'post 101 "Red Velvet live: a <review>": image https://cdn.example/missing/banner.jpg not in ' +
        `${join(fixtures, "uploads")}; left at the old address`,
    );
    expect(text).toContain('\\[contact-form-7 id="12" title="Contact"\\]');
    expect(report.warnings).toContain(
      'post 101 "Red Velvet live: a <review>": shortcode [contact-form-7] is not known, kept as text',
    );

    // Hangul slug kept; a slug the blog or another import has gets a suffix, reported.
    expect(post("케이팝-이야기")).toContain("  - /2024/04/01/케이팝-이야기\n");
    expect(existsSync(join(content, "posts", "welcome-to-our-kpop-2", "index.md"))).toBe(true);
    expect(existsSync(join(content, "posts", "about-2", "index.md"))).toBe(true);
    expect(report.warnings.some((w) => w.includes('slug "welcome-to-our-kpop" is taken'))).toBe(true);
    expect(post("unfinished-thoughts")).toContain("draft: true");
    expect(post("coming-in-2999")).toContain("date: 2999-01-01T00:00:00.000Z");
    expect(existsSync(join(content, "posts", "secret"))).toBe(false);

    // The release builds, with every alias routed.
    const { index } = buildRelease(await readContent(content), { drafts: true });
    expect(index.posts.count).toBe(4 + 7);
    expect(report.count("posts", "imported")).toBe(4);
    expect(report.count("pages", "imported")).toBe(1);
    expect(report.skippedCount("posts")).toBe(2);
  });

  it("plans the comments as a tree with depth and thread, pingbacks left out", async () => {
    const { result, report } = await run("wordpress-1.2-https.xml");
    const rows = result.comments.filter((r) => r.slug === "red-velvet-live");
    const depth = Object.fromEntries(rows.map((r) => [r.body, r.depth]));
    expect(depth).toEqual({
      "Best concert ever & more!": 0,
      "Agreed, level 1": 1,
      "Level 2": 2,
      "Level 3": 3,
      "Level 4, deepest": 4,
      "Held for moderation": 0,
      "Buy now": 0,
    });
    const top = rows[0];
    expect(rows.slice(1, 5).every((r) => r.rootKey === top?.key)).toBe(true);
    expect(rows.map((r) => r.status)).toEqual([
      "published",
      "published",
      "published",
      "published",
      "published",
      "pending",
      "spam",
    ]);
    expect(report.skippedCount("pingback") + report.skippedCount("trackback")).toBe(2);
  });

  it("is idempotent, keeps an edited post unless --overwrite, and writes nothing in a dry run", async () => {
    await run("wordpress-1.2-https.xml");
    const before = post("red-velvet-live");
    const again = await run("wordpress-1.2-https.xml");
    expect(again.report.count("posts", "imported")).toBe(0);
    expect(again.report.count("posts", "unchanged")).toBe(4);
    expect(post("red-velvet-live")).toBe(before);
    expect(again.result.comments.map((c) => c.key)).toEqual(
      (await run("wordpress-1.2-https.xml")).result.comments.map((c) => c.key),
    );

    writeFileSync(join(content, "posts", "red-velvet-live", "index.md"), `${before}\nMy own edit.\n`);
    const kept = await run("wordpress-1.2-https.xml");
    expect(kept.report.skippedCount("posts")).toBe(3);
    expect(post("red-velvet-live")).toContain("My own edit.");
    await run("wordpress-1.2-https.xml", { overwrite: true });
    expect(post("red-velvet-live")).toBe(before);

    const fresh = join(dir, "fresh");
    const dry = await importExport(
      await readExport(join(fixtures, "blogger-backup.xml")),
      { contentDir: fresh, media: {}, overwrite: false, dryRun: true },
      new ImportReport(),
    );
    expect(dry.plans).toHaveLength(4);
    expect(existsSync(fresh)).toBe(false);
  });

  it("matches Disqus threads to imported posts by their old address (path or ?p=)", async () => {
    await run("wordpress-1.2-https.xml");
    const { result, report } = await run("disqus.xml");
    expect(result.comments.map((c) => [c.slug, c.body, c.depth, c.status])).toEqual([
      ["red-velvet-live", "Disqus top comment", 0, "published"],
      ["red-velvet-live", "Disqus reply", 1, "published"],
      ["red-velvet-live", "Reply to the reply", 2, "published"],
      ["red-velvet-live", "(deleted)", 0, "deleted"],
      ["red-velvet-live", "Spam link", 0, "spam"],
      ["케이팝-이야기", "한국어 댓글", 0, "published"],
    ]);
    expect(report.skippedCount("comments")).toBe(1);
    expect(report.warnings.some((w) => w.includes('Disqus thread t3 "Not a post"'))).toBe(true);
  });
});
