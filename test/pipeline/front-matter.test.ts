import { describe, expect, it } from "vitest";
import { ContentError } from "../../pipeline/content-error.ts";
import { parsePost } from "../../pipeline/front-matter.ts";

const post = (front: string, body = "Hello.") => `---\n${front}\n---\n${body}`;
const parse = (front: string, fileSlug = "from-file") => parsePost("content/posts/x.md", post(front), fileSlug);

function errorOf(fn: () => unknown): ContentError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ContentError) return error;
    throw error;
  }
  throw new Error("expected a ContentError");
}

describe("parsePost", () => {
  it("reads every field and normalizes dates, tags and text", () => {
    const { meta, body } = parse(
      'title: " Hello "\ndate: 2025-05-20\nupdated: 2025-06-01T10:30:00+09:00\nsummary: Short.\ntags: [K-Pop, North Korea, 케이팝]\nlang: ko\ndraft: true',
    );
    expect(meta).toEqual({
      title: "Hello",
      slug: "from-file",
      date: "2025-05-20T00:00:00.000Z",
      updated: "2025-06-01T01:30:00.000Z",
      summary: "Short.",
      tags: ["k-pop", "north-korea", "케이팝"],
      lang: "ko",
      draft: true,
    });
    expect(body).toBe("Hello.");
  });

  it("takes the slug from front matter, else from the file name, Hangul included", () => {
    expect(parse("title: T\ndate: 2025-01-01\nslug: 케이팝-뉴스").meta.slug).toBe("케이팝-뉴스");
    expect(parse("title: T\ndate: 2025-01-01", "케이팝이란").meta.slug).toBe("케이팝이란");
  });

  it("takes toc: true, and leaves it out when false or absent", () => {
    expect(parse("title: T\ndate: 2025-01-01\ntoc: true").meta.toc).toBe(true);
    expect(parse("title: T\ndate: 2025-01-01\ntoc: false").meta).not.toHaveProperty("toc");
    expect(parse("title: T\ndate: 2025-01-01").meta).not.toHaveProperty("toc");
  });

  it("accepts description as the summary and a comma list of tags", () => {
    const { meta } = parse("title: T\ndate: 2025-01-01\ndescription: D\ntags: a, b");
    expect(meta.summary).toBe("D");
    expect(meta.tags).toEqual(["a", "b"]);
  });

  it.each([
    ["date: 2025-01-01", "title", "is missing"],
    ["title: T", "date", "is missing"],
    ["title: T\ndate: yesterday", "date", "is not a date"],
    ["title: T\ndate: 2025-02-30", "date", "is not a date"],
    ["title: T\ndate: 2025-13-01", "date", "is not a date"],
    ["title: T\ndate: 2025-01-02\nupdated: 2025-01-01", "updated", "before"],
    ["title: T\ndate: 2025-01-01\nslug: Not A Slug", "slug", "is not a slug"],
    ["title: T\ndate: 2025-01-01\nslug: a--b", "slug", "is not a slug"],
    ["title: T\ndate: 2025-01-01\ndraft: maybe", "draft", "true or false"],
    ["title: T\ndate: 2025-01-01\ntoc: yes please", "toc", "true or false"],
    ["title: T\ndate: 2025-01-01\ntags: [ok, '!!!']", "tags", "invalid tag"],
    ["title: T\ndate: 2025-01-01\ntags: {a: 1}", "tags", "must be a list"],
    ["title: T\ndate: 2025-01-01\nlang: english please", "lang", "not a language tag"],
    ["title: T\ndate: 2025-01-01\nauthor: me", "author", "not a known field"],
    ["title: [1, 2]\ndate: 2025-01-01", "title", "must be text"],
  ])("refuses %j, naming the file and the field %s", (front, field, problem) => {
    const error = errorOf(() => parse(front));
    expect(error.field).toBe(field);
    expect(error.message).toContain("content/posts/x.md");
    expect(error.message).toContain(`"${field}"`);
    expect(error.message).toContain(problem);
  });

  // The forms writers use, as the yaml package reads them (YAML 1.2 core schema): these were once
  // read by a hand-written parser, and must read the same now.
  it("reads quoted text, comments, Hangul and emoji as writers write them", () => {
    const { meta } = parse(
      [
        "# a comment line",
        "",
        'title: "K-pop in North Korea: What’s Really Going On?"',
        "summary: It's C# and R&B! 100% @home *really* | > ok, K-pop#1 # and a comment",
        "tags: [k-pop, 한국어, a b] # a comment after a list",
        "aliases: [/2025/05/k-pop-in-north-korea-whats-really.html] # its old Blogger address",
        "date: 2025-05-20",
        "lang: ko",
        "toc: False",
      ].join("\n"),
    );
    expect(meta).toMatchObject({
      title: "K-pop in North Korea: What’s Really Going On?",
      summary: "It's C# and R&B! 100% @home *really* | > ok, K-pop#1",
      tags: ["k-pop", "한국어", "a-b"],
      aliases: ["/2025/05/k-pop-in-north-korea-whats-really.html"],
      lang: "ko",
    });
    expect(meta).not.toHaveProperty("toc");
    expect(
      parse("title: 케이팝이란 무엇인가?\ndate: 2025-01-01\nsummary: emoji 🎤 👩‍👩‍👧, nbsp\u00a0inside").meta,
    ).toMatchObject({
      title: "케이팝이란 무엇인가?",
      summary: "emoji 🎤 👩‍👩‍👧, nbsp\u00a0inside",
    });
  });

  it("reads single and double quotes with their escapes, and numbers as text", () => {
    const { meta } = parse(
      'title: \'it\'\'s single\'\nsummary: "tab\\tnew \\u00e9 \\ud83c\\udfa4 \\"q\\" \\/ \\\\"\ndate: 2025-01-01\ntags: ["a", "b, c", 3]',
    );
    expect(meta).toMatchObject({ title: "it's single", summary: 'tab\tnew é 🎤 "q" / \\', tags: ["a", "b-c", "3"] });
    expect(parse("title: 2025\ndate: 2025-01-01\nsummary: 0x1F").meta).toMatchObject({ title: "2025", summary: "31" });
    expect(parse("title:    spaced out   \ndate: 2025-01-01\nsummary:").meta).toMatchObject({ title: "spaced out" });
    expect(parse("title:    spaced out   \ndate: 2025-01-01\nsummary:").meta).not.toHaveProperty("summary");
  });

  it("reads dates as text (YAML 1.2 has no timestamps), with or without a time and offset", () => {
    expect(parse("title: T\ndate: 2025-05-20").meta.date).toBe("2025-05-20T00:00:00.000Z");
    expect(parse("title: T\ndate: 2025-01-01T09:00:00+09:00").meta.date).toBe("2025-01-01T00:00:00.000Z");
    expect(parse("title: T\ndate: '2025-05-20'").meta.date).toBe("2025-05-20T00:00:00.000Z");
    expect(parse("title: T\ndate: 2025-05-20 # the day it went up").meta.date).toBe("2025-05-20T00:00:00.000Z");
  });

  it("reads block lists, block text and anchors (forms a hand-written parser left to the yaml package)", () => {
    const { meta } = parse("title: &t Same\nsummary: *t\ndate: 2025-01-01\ntags:\n  - a\n  - 케이팝\n");
    expect(meta).toMatchObject({ title: "Same", summary: "Same", tags: ["a", "케이팝"] });
    expect(parse("title: >\n  folded\n  text\ndate: 2025-01-01").meta.title).toBe("folded text");
  });

  it("refuses a file without front matter or with broken YAML", () => {
    expect(errorOf(() => parsePost("a.md", "# Just markdown", "a")).message).toMatch(/a\.md: has no front matter/);
    expect(errorOf(() => parsePost("a.md", "---\ntitle: [unclosed\n---\n", "a")).message).toMatch(/not valid YAML/);
    expect(errorOf(() => parsePost("a.md", "---\ntitle: x\ntitle: y\n---\n", "a")).message).toMatch(/not valid YAML/);
    expect(errorOf(() => parse("title: a: b\ndate: 2025-01-01")).message).toMatch(/not valid YAML/);
  });
});

describe("aliases", () => {
  const aliases = (list: string) => parse(`title: T\ndate: 2025-01-01\naliases: ${list}`).meta.aliases;

  it("takes paths, full URLs (their path) and bare slugs (under /posts/), normalized", () => {
    expect(
      aliases(
        "[/2025/05/old-title.html, 'https://ourkpop.blogspot.com/2025/05/x.html', Old-Slug, 옛-제목, /posts/Moved/, /%EC%BC%80%EC%9D%B4]",
      ),
    ).toEqual([
      "/2025/05/old-title.html",
      "/2025/05/x.html",
      "/posts/old-slug",
      "/posts/옛-제목",
      "/posts/moved",
      "/케이",
    ]);
    expect(aliases("/one/path")).toEqual(["/one/path"]);
    expect(
      aliases("['/?p=123', 'https://old.example/index.php?page_id=7', '/2019/05/x.html?m=1', '/?p=%ED%95%9C']"),
    ).toEqual(["/?p=123", "/index.php?page_id=7", "/2019/05/x.html?m=1", "/?p=%ED%95%9C"]);
    expect(parse("title: T\ndate: 2025-01-01").meta).not.toHaveProperty("aliases");
  });

  it.each([
    ["{a: 1}", "must be a list"],
    ["[1]", "is not a path or a slug"],
    ["['not a slug!']", "neither a path starting with / nor a slug"],
    ["[/feed.xml]", "the blog's own addresses"],
    ["[/sitemaps/posts-1.xml]", "the blog's own addresses"],
    ["[/tags/k-pop]", "the blog's own addresses"],
    ["[/page/2]", "the blog's own addresses"],
    ["[/admin]", "the blog's own addresses"],
    ["[/]", "the blog's own addresses"],
    ["['/old.html?id=3&x=4']", "one name=value parameter"],
    ["['https://old.example/p?id=']", "one name=value parameter"],
    ["['/?utm_source=x']", "only ?p=, ?page_id=, ?attachment_id= can be"],
    ["['/tags/a?p=3']", "the blog's own addresses"],
    ["['/posts/a?p=3']", "the blog's own addresses"],
    ["['/old.html#top']", "#fragment"],
    ["['/a b']", "space"],
    ["[/a//b]", "empty"],
    ["[/a/../b]", '".."'],
    ["[/%E0%A4%A]", "malformed %-escape"],
    ["[/posts/a/comments]", "single slug"],
    ["[/x, /x/]", 'lists "/x" twice'],
  ])("refuses aliases %s, naming the file and field", (list, problem) => {
    const error = errorOf(() => aliases(list));
    expect(error.field).toBe("aliases");
    expect(error.message).toContain('content/posts/x.md: front matter "aliases"');
    expect(error.message).toContain(problem);
  });
});
