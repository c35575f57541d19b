import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SourceExport, SourcePost } from "../../../scripts/import/model.ts";
import { readExportText } from "../../../scripts/import/read-export.ts";

const fixture = (name: string): SourceExport =>
  readExportText(readFileSync(join(import.meta.dirname, "..", "..", "fixtures", "import", name), "utf8"));
const byId = (source: SourceExport, id: string): SourcePost => {
  const post = source.posts.find((p) => p.sourceId === id);
  if (!post) throw new Error(`no post ${id}`);
  return post;
};

describe("WordPress WXR 1.2 (https namespaces, PHP warnings before <?xml, CDATA)", () => {
  const wxr = fixture("wordpress-1.2-https.xml");

  it("reads posts and pages with their statuses, UTC dates, excerpts and featured image", () => {
    expect(wxr.format).toBe("wordpress");
    expect(wxr.site).toBe("https://oldblog.example");
    const post = byId(wxr, "101");
    expect(post).toMatchObject({
      kind: "post",
      status: "published",
      title: "Red Velvet live: a <review>",
      oldSlug: "red-velvet-live",
      date: "2024-05-20T09:30:00.000Z",
      updated: "2024-05-21T10:00:00.000Z",
      summary: "<p>A night with <strong>Red Velvet</strong>.</p>",
      featuredImage: "https://oldblog.example/wp-content/uploads/2024/05/stage.png",
    });
    expect(post.html).toContain("[caption id=");
    expect(byId(wxr, "104").kind).toBe("page");
    expect(byId(wxr, "106")).toMatchObject({ status: "draft", date: "2024-06-01T10:00:00.000Z" });
    expect(byId(wxr, "107").status).toBe("scheduled");
    expect(byId(wxr, "108").status).toBe("private");
    expect(byId(wxr, "109").status).toBe("trash");
  });

  it("flattens categories into tags keeping the parent, drops Uncategorized, decodes Hangul slugs", () => {
    expect(byId(wxr, "101").tags.sort()).toEqual(["Girl groups", "Red Velvet", "music"]);
    expect(byId(wxr, "102")).toMatchObject({ oldSlug: "케이팝-이야기", tags: ["음악"] });
  });

  it("gives every old address: permalink, ?p=, date forms, category form, comment feed", () => {
    expect(byId(wxr, "101").oldUrls).toEqual(
      expect.arrayContaining([
        "https://oldblog.example/2024/05/20/red-velvet-live/",
        "https://oldblog.example/?p=101",
        "/?p=101",
        "/2024/05/20/red-velvet-live/",
        "/2024/05/red-velvet-live/",
        "/girl-groups/red-velvet-live/",
        "https://oldblog.example/2024/05/20/red-velvet-live/feed/",
      ]),
    );
    expect(byId(wxr, "104").oldUrls).toEqual(
      expect.arrayContaining(["https://oldblog.example/about/", "/?page_id=104"]),
    );
  });

  it("keeps the comment tree with statuses, leaves pingbacks and trackbacks out, reads no e-mail or IP", () => {
    const comments = byId(wxr, "101").comments;
    expect(comments.map((c) => [c.sourceId, c.parentId ?? null, c.status])).toEqual([
      ["1", null, "published"],
      ["2", "1", "published"],
      ["4", "3", "published"],
      ["3", "2", "published"],
      ["5", "4", "published"],
      ["6", null, "pending"],
      ["7", null, "spam"],
    ]);
    expect(comments[0]).toMatchObject({ author: "Jisoo", date: "2024-05-20T10:00:00.000Z" });
    expect(JSON.stringify(wxr)).not.toMatch(/jisoo@mail|203\.0\.113/);
    expect(wxr.skipped.map((s) => s.kind).sort()).toEqual(["nav_menu_item", "pingback", "trackback"]);
  });

  it("keeps attachments for galleries", () => {
    expect(wxr.attachedTo?.get("101")).toHaveLength(2);
    expect(wxr.attachments?.get("90")).toBe("https://oldblog.example/wp-content/uploads/2024/05/lightstick.png");
  });
});

describe("WordPress WXR 1.0 (another prefix for its namespace, undeclared excerpt:)", () => {
  const wxr = fixture("wordpress-1.0-undeclared-excerpt.xml");

  it("reads the post through the declared prefix and the undeclared excerpt", () => {
    const post = byId(wxr, "5");
    expect(post).toMatchObject({ oldSlug: "first-post", date: "2008-03-01T11:00:00.000Z", summary: "The old excerpt" });
    expect(post.tags.sort()).toEqual(["News", "Old Tag"]);
    expect(post.comments).toMatchObject([{ sourceId: "1", author: "Old reader", status: "published" }]);
  });
});

describe("WordPress with Polylang (language and post_translations terms on each item)", () => {
  const text = readFileSync(
    join(import.meta.dirname, "..", "..", "fixtures", "import", "wordpress-polylang.xml"),
    "utf8",
  );

  it("reads each post's language and translation group, and the blog's <language>", () => {
    const wxr = readExportText(text);
    expect(wxr.language).toBe("en-US");
    expect(byId(wxr, "301")).toMatchObject({ lang: "en", translationGroup: "pll_6650a1c2d3e4f", tags: ["Comebacks"] });
    expect(byId(wxr, "302")).toMatchObject({ lang: "ko", translationGroup: "pll_6650a1c2d3e4f", tags: [] });
    expect(byId(wxr, "305")).toMatchObject({ status: "private", lang: "ko" });
    expect(byId(wxr, "303")).not.toHaveProperty("translationGroup");
    expect(byId(wxr, "312")).not.toHaveProperty("lang");
    expect(wxr.warnings).toEqual([]);
  });

  it("takes the language term's locale when its code is another language or no language tag", () => {
    const renamed = text
      .replaceAll('nicename="ko"', 'nicename="kr"')
      .replace("<wp:term_slug><![CDATA[ko]]>", "<wp:term_slug><![CDATA[kr]]>")
      .replaceAll('nicename="en"', 'nicename="english"')
      .replace("<wp:term_slug><![CDATA[en]]>", "<wp:term_slug><![CDATA[english]]>");
    const wxr = readExportText(renamed);
    expect(byId(wxr, "302").lang).toBe("ko-KR");
    expect(byId(wxr, "301").lang).toBe("en-US");
    const unknown = readExportText(renamed.replace(/<wp:term>[\s\S]*?<\/wp:term>/g, ""));
    expect(byId(unknown, "302").lang).toBe("kr");
    expect(byId(unknown, "301")).not.toHaveProperty("lang");
    expect(unknown.warnings).toContain(
      'post 301 "BLACKPINK\'s comeback stage, seen from the front row": language "english" is not a language tag; its language is found from its text',
    );
  });
});

describe("Blogger", () => {
  it("classic backup: posts, pages, drafts, labels, replies by related link, template and settings skipped", () => {
    const blog = fixture("blogger-backup.xml");
    expect(blog).toMatchObject({ format: "blogger", site: "777", found: { settings: 1, template: 1 } });
    const post = byId(blog, "1001");
    expect(post).toMatchObject({
      status: "published",
      oldSlug: "hongdae-busking-night",
      date: "2024-03-05T12:15:00.000Z",
      tags: ["K-pop", "서울"],
    });
    expect(post.oldUrls).toContain("https://seoulnotes.blogspot.com/2024/03/hongdae-busking-night.html");
    expect(post.comments.map((c) => [c.sourceId, c.parentId ?? null])).toEqual([
      ["3001", null],
      ["3003", "3002"],
      ["3002", "3001"],
    ]);
    expect(byId(blog, "1003").status).toBe("draft");
    expect(byId(blog, "2001")).toMatchObject({ kind: "page", oldSlug: "about-me" });
    expect(blog).not.toHaveProperty("language");
    expect(fixture("blogger-korean.xml").language).toBe("ko");
  });

  it("Takeout feed.atom: blogger:type, status, filename, and parent (post or comment)", () => {
    const blog = fixture("blogger-takeout-feed.atom");
    const post = byId(blog, "5001");
    expect(post).toMatchObject({ status: "published", oldSlug: "takeout-post", tags: ["travel"] });
    expect(post.comments.map((c) => [c.sourceId, c.parentId ?? null, c.status])).toEqual([
      ["7001", null, "published"],
      ["7002", "7001", "published"],
      ["7003", null, "spam"],
    ]);
    expect(byId(blog, "5002").status).toBe("draft");
    expect(byId(blog, "5003").status).toBe("trash");
    expect(byId(blog, "6001")).toMatchObject({ kind: "page", oldSlug: "contact" });
  });
});

describe("Disqus", () => {
  it("reads threads by URL with their comment trees; deleted and spam kept as such", () => {
    const disqus = fixture("disqus.xml");
    expect(disqus.posts).toEqual([]);
    const [first, second] = disqus.threads;
    expect(first).toMatchObject({ url: "https://oldblog.example/2024/05/20/red-velvet-live/" });
    expect(first?.comments.map((c) => [c.sourceId, c.parentId ?? null, c.status])).toEqual([
      ["d1", null, "published"],
      ["d2", "d1", "published"],
      ["d3", "d2", "published"],
      ["d4", null, "deleted"],
      ["d5", null, "spam"],
    ]);
    expect(second?.comments[0]).toMatchObject({ author: "민지", html: "한국어 댓글" });
    expect(JSON.stringify(disqus)).not.toMatch(/fan@mail|198\.51/);
  });
});

describe("not an export", () => {
  it.each([
    ["plain text", "hello"],
    ["broken XML", "<?xml version='1.0'?><rss><channel><item></channel>"],
    ["other XML", "<?xml version='1.0'?><html><body/></html>"],
  ])("%s is refused with a clear message", (_name, text) => {
    expect(() => readExportText(text)).toThrow(/not XML|not well-formed|not a WordPress/);
  });
});
