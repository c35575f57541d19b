/**
 * The whole move, as a writer does it: `npm run import` of a WordPress export (with its uploads
 * folder), its Disqus comments and a Blogger backup into a throw-away content folder and local
 * D1, run twice; then the production build, the Worker bundled with it and served by Miniflare
 * on that D1. Posts, comment trees and old addresses are checked through the Worker.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importInto } from "../../../scripts/import/import-cli.ts";
import { readExport, readExportText } from "../../../scripts/import/read-export.ts";
import { buildSite, type Site, startSite, visibleComments } from "../../../scripts/import/site-check.ts";
import { verifyImport } from "../../../scripts/import/verify.ts";

const root = resolve(import.meta.dirname, "..", "..", "..");
const fixtures = join(root, "test", "fixtures", "import");
const dir = mkdtempSync(join(tmpdir(), "our-kpop-import-e2e-"));
const content = join(dir, "content");
let site: Site;
const reports: string[] = [];
/** The bilingual blog (WordPress with Polylang), imported twice. */
const polylang: string[] = [];

function exportCli(...flags: string[]): string {
  const PATH = `${join(root, "node_modules", ".bin")}${delimiter}${process.env.PATH ?? ""}`;
  const args = ["scripts/export-comments.ts", "--persist-to", join(dir, "state"), ...flags];
  const result = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env: { ...process.env, PATH } });
  if (result.status !== 0) throw new Error(`export failed:\n${result.stderr}`);
  return result.stdout;
}

const importCli = (file: string, ...flags: string[]): string => importInto(join(fixtures, file), dir, ...flags);

beforeAll(async () => {
  cpSync(join(root, "content"), content, { recursive: true });
  for (const round of [1, 2]) {
    reports.push(importCli("wordpress-1.2-https.xml", "--media", join(fixtures, "uploads")));
    reports.push(importCli("disqus.xml"));
    if (round === 1) reports.push(importCli("blogger-backup.xml"));
    polylang.push(importCli("wordpress-polylang.xml"));
  }
  site = await startSite(buildSite(content, dir), join(dir, "state"));
}, 480_000);
afterAll(async () => {
  await site?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const row = (report: string | undefined, kind: string) =>
  new RegExp(`^${kind}\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)`, "m")
    .exec(report ?? "")
    ?.slice(1)
    .map(Number);

describe("an imported blog, served by the Worker", { timeout: 60_000 }, () => {
  it("the reports count what was found, imported and left out; a second run changes nothing", () => {
    const [wordpress, disqus, , wordpressAgain, disqusAgain] = reports;
    expect(row(wordpress, "posts")).toEqual([6, 4, 0, 2]);
    expect(row(wordpress, "comments")).toEqual([7, 7, 0, 0]);
    expect(wordpress).toContain("e-mail addresses, IP addresses and web site URLs");
    expect(row(disqus, "comments")).toEqual([7, 6, 0, 1]);
    expect(row(wordpressAgain, "posts")).toEqual([6, 0, 4, 2]);
    expect(row(wordpressAgain, "comments")).toEqual([7, 0, 7, 0]);
    expect(row(disqusAgain, "comments")).toEqual([7, 0, 6, 1]);
  });

  it("serves the posts with their images, and keeps scheduled and draft ones out", async () => {
    const res = await site.get("/posts/red-velvet-live");
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Red Velvet live: a &lt;review&gt;");
    // The photo is published with its own size (and, since it is a PNG, AVIF and WebP beside it in a <picture>).
    expect(html).toMatch(
      /<img src="\/assets\/lightstick\.[0-9a-f]+\.png"[^>]* alt="A lightstick" width="1" height="1"/,
    );
    expect(html).toContain("<figcaption>Lightsticks everywhere</figcaption>");
    expect(html).toContain('src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"');
    expect((await site.get(`/posts/${encodeURIComponent("케이팝-이야기")}`)).status).toBe(200);
    expect((await site.get("/posts/coming-in-2999")).status).toBe(404);
    expect((await site.get("/posts/unfinished-thoughts")).status).toBe(404);
    expect((await site.get("/posts/welcome-to-our-kpop-2")).status).toBe(200);
  });

  it("shows the comment trees at every depth, WordPress's and Disqus's, and no held, spam or deleted one", async () => {
    const comments = await visibleComments(site, "red-velvet-live");
    expect(comments.map((c) => [c.author, c.depth])).toEqual(
      expect.arrayContaining([
        ["Jisoo", 0],
        ["Min", 1],
        ["Wendy", 2],
        ["Jisoo", 3],
        ["Seulgi", 4],
        ["Fan One", 0],
        ["Fan Two", 1],
        ["Fan One", 2],
      ]),
    );
    expect(comments).toHaveLength(8);
    const byId = new Map(comments.map((c) => [c.id, c]));
    const deepest = comments.find((c) => c.author === "Seulgi");
    expect(byId.get(deepest?.parent ?? 0)?.body).toBe("Level 3");
    expect(
      new Set(comments.filter((c) => c.author !== "Fan One" && c.author !== "Fan Two").map((c) => c.thread)).size,
    ).toBe(1);
    expect(comments.map((c) => c.body)).not.toContain("Held for moderation");
    expect(comments.map((c) => c.body)).not.toContain("Buy now");
    expect(comments.find((c) => c.author === "Jisoo")?.body).toBe("Best concert ever & more!");
    expect(await visibleComments(site, "케이팝-이야기")).toMatchObject([{ author: "민지", body: "한국어 댓글" }]);
    expect(await visibleComments(site, "hongdae-busking-night")).toHaveLength(3);
  });

  it("answers every kind of old address with 301 to the post", async () => {
    const hangul = `/posts/${encodeURIComponent("케이팝-이야기")}`;
    for (const [path, to] of [
      ["/?p=101", "/posts/red-velvet-live"],
      ["/2024/05/20/red-velvet-live/", "/posts/red-velvet-live"],
      ["/2024/05/red-velvet-live/", "/posts/red-velvet-live"],
      ["/girl-groups/red-velvet-live/", "/posts/red-velvet-live"],
      ["/2024/05/20/red-velvet-live/feed/", "/posts/red-velvet-live"],
      ["/?page_id=104", "/posts/about"],
      ["/about/", "/posts/about"],
      ["/2022/02/02/about/", "/posts/about-2"],
      ["/2024/04/01/%ec%bc%80%ec%9d%b4%ed%8c%9d-%ec%9d%b4%ec%95%bc%ea%b8%b0/", hangul],
      ["/?p=102", hangul],
      ["/2024/03/hongdae-busking-night.html", "/posts/hongdae-busking-night"],
      ["/2024/03/hongdae-busking-night.html?m=1", "/posts/hongdae-busking-night"],
      ["/p/about-me.html", "/posts/about-me"],
    ] as const) {
      const res = await site.get(path);
      expect([res.status, res.headers.get("location")], path).toEqual([301, to]);
    }
    // A scheduled post's old address is not followed before it is out: the home page answers.
    expect((await site.get("/?p=107")).status).toBe(200);
  });

  it("serves a bilingual blog's posts in their languages, each pair linked, and their old /ko/ addresses", async () => {
    expect(polylang[1]).toMatch(/^posts\s+10\s+0\s+9\s+1$/m);
    expect(polylang[1]).toContain("Translations: 3 sets linked");
    const english = await (await site.get("/posts/blackpink-comeback-stage")).text();
    expect(english).toMatch(/<html lang="en"/);
    expect(english).toMatch(/<link rel="alternate" hreflang="ko" href="[^"]*\/posts\/blackpink-comeback-stage-ko"/);
    const korean = await (await site.get("/posts/blackpink-comeback-stage-ko")).text();
    expect(korean).toMatch(/<html lang="ko"/);
    expect(korean).toMatch(/<link rel="alternate" hreflang="en" href="[^"]*\/posts\/blackpink-comeback-stage"/);
    // Its translation is a draft: no switcher until it is published.
    expect(await (await site.get("/posts/stray-kids-tour")).text()).not.toContain('hreflang="ko"');
    const list = await site.get("/ko");
    expect(list.status).toBe(200);
    expect(await list.text()).toContain("블랙핑크 컴백 무대, 맨 앞줄에서");
    for (const [path, to] of [
      ["/ko/2025/05/02/blackpink-comeback-stage-ko/", "/posts/blackpink-comeback-stage-ko"],
      ["/2025/05/01/blackpink-comeback-stage/", "/posts/blackpink-comeback-stage"],
      ["/?p=302", "/posts/blackpink-comeback-stage-ko"],
    ] as const) {
      const res = await site.get(path);
      expect([res.status, res.headers.get("location")], path).toEqual([301, to]);
    }
  });

  it("passes the check CI runs on real exports (and that check sees comments added beside the export's)", async () => {
    const blogger = await verifyImport(site, await readExport(join(fixtures, "blogger-backup.xml")), content);
    expect(blogger).toMatchObject({ posts: 3, comments: 3, maxDepth: 2, problems: [] });
    // The WordPress posts also have the Disqus comments, which the WordPress export alone does not know.
    const wordpress = await verifyImport(site, await readExport(join(fixtures, "wordpress-1.2-https.xml")), content);
    expect(wordpress.problems).toEqual([
      "/posts/red-velvet-live: comments at depths [0,0,1,1,2,2,3,4], the export has [0,1,2,3,4]",
      `/posts/${encodeURIComponent("케이팝-이야기")}: comments at depths [0], the export has []`,
    ]);
  });

  it("exports every comment, as JSON and as WXR, with its thread and status but no hash", () => {
    const json = JSON.parse(exportCli()) as { count: number; comments: Record<string, unknown>[] };
    expect(json.count).toBe(7 + 6 + 3);
    const statuses = json.comments.map((c) => c.status);
    expect(statuses.filter((s) => s === "published")).toHaveLength(5 + 3 + 1 + 3);
    expect(statuses.filter((s) => s === "spam")).toHaveLength(2);
    expect(statuses.filter((s) => s === "pending")).toHaveLength(1);
    expect(statuses.filter((s) => s === "deleted")).toHaveLength(1);
    expect(Object.keys(json.comments[0] ?? {}).sort()).toEqual(
      ["author", "body", "created", "depth", "id", "parent", "post", "status", "thread", "updated"].sort(),
    );
    const wxr = readExportText(exportCli("--format", "wxr"));
    const post = wxr.posts.find((p) => p.oldSlug === "red-velvet-live");
    expect(post?.comments).toHaveLength(7 + 5);
    expect(post?.comments.filter((c) => c.parentId).length).toBe(4 + 2);
  });
});
