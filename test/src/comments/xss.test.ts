import { describe, expect, it } from "vitest";
import { ASSETS } from "../../../src/generated/assets.ts";
import { renderCommentBody } from "../../../src/lib/comment-text.ts";
import { cookiesOf, elementsOf, fetchApp, marker, postForm, postJson, SLUG, textOf } from "../helpers.ts";

/** Hostile input: every one must come back as text, never as markup, script or a dangerous link. */
const VECTORS = [
  "<script>alert(1)</script>",
  "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
  "<img src=x onerror=alert(1)>",
  "<svg/onload=alert(1)>",
  "<body onload=alert(1)>",
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<a href="javascript:alert(1)">click</a>',
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "java\tscript:alert(1)",
  "&#106;avascript:alert(1)",
  "&#x6A;&#x61;vascript:alert(1)",
  "[click](javascript:alert(1))",
  "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  '<iframe src="https://evil.example"></iframe>',
  "<div><p><b><i>nested <u>tags</u></i></b></p></div>",
  "<style>body{display:none}</style>",
  "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
  "<<script>script>alert(1)<</script>/script>",
  "<!--<img src=x onerror=alert(1)>-->",
  "<![CDATA[<script>alert(1)</script>]]>",
  "&lt;script&gt;alert(1)&lt;/script&gt;",
  "<input autofocus onfocus=alert(1)>",
  "<details open ontoggle=alert(1)>",
  '<a href="https://ok.example" onclick="alert(1)">x</a>',
  'https://ok.example/"onmouseover="alert(1)',
  "https://ok.example/<script>alert(1)</script>",
  "http://x.example/'><svg onload=alert(1)>",
  "\u202e<script>alert(1)</script>",
  "<meta http-equiv=refresh content=0;url=https://evil.example>",
  "<base href=https://evil.example/>",
  "<form action=https://evil.example><button>go</button></form>",
  "<textarea></textarea><script>alert(1)</script>",
  "</textarea><script>alert(1)</script>",
  '<object data="javascript:alert(1)"></object>',
];

/** The only markup a comment body may hold, and the only attributes on it. */
function assertSafeBody(elements: { tag: string; attributes: [string, string][] }[]) {
  for (const { tag, attributes } of elements) {
    expect(["p", "br", "a"]).toContain(tag);
    if (tag === "a") {
      const attrs = Object.fromEntries(attributes);
      expect(Object.keys(attrs).sort()).toEqual(["href", "rel"]);
      expect(attrs.href).toMatch(/^https?:\/\//);
      expect(attrs.rel).toBe("nofollow ugc noopener noreferrer");
    } else {
      expect(attributes).toEqual([]);
    }
  }
}

describe("XSS: commenter text is only ever text", () => {
  it(`renders ${VECTORS.length} hostile bodies as text (unit)`, async () => {
    for (const vector of VECTORS) {
      const html = renderCommentBody(vector);
      assertSafeBody(await elementsOf(`<div class="comment-body">${html}</div>`, ".comment-body *"));
    }
  });

  it("stores hostile names and bodies and renders the article page with nothing live", async () => {
    expect(VECTORS.length).toBeGreaterThanOrEqual(20);
    const tag = marker("xss");
    // Half the vectors go in as names (cut to the 80-character limit), all as bodies.
    const ids: string[] = [];
    let cookie = "";
    for (const [i, vector] of VECTORS.entries()) {
      const res = await postForm(
        SLUG,
        { name: `${vector.slice(0, 60)} ${tag}`, body: `${vector}\n\n${tag}-${i}` },
        { cookie, envOverrides: { COMMENT_MODERATION: "publish" } },
      );
      expect(res.status, vector).toBe(303);
      cookie = cookiesOf(res, cookie);
      ids.push((res.headers.get("location") ?? "").split("#comment-")[1] ?? "");
    }
    const html = await (await fetchApp(`/posts/${SLUG}`, { headers: { cookie } })).text();

    // The page's own markup is unchanged: the site's comment-times file, one data-block script
    // (JSON-LD), one style, no handlers.
    const all = await elementsOf(html);
    const scripts = all.filter((e) => e.tag === "script").map((e) => Object.fromEntries(e.attributes));
    expect(scripts.map((s) => s.src ?? s.type)).toEqual([ASSETS.localTime, "application/ld+json"]);
    for (const forbidden of ["iframe", "object", "svg", "math", "base", "input[autofocus]", "details", "u", "b", "i"])
      expect(await elementsOf(html, forbidden), forbidden).toHaveLength(0);
    // The only image is the site's own logo in the header, a hashed static asset.
    const images = all.filter((e) => e.tag === "img").map((e) => Object.fromEntries(e.attributes).src ?? "");
    expect(images).toHaveLength(1);
    expect(images[0]).toMatch(/^\/assets\/favicon\.[0-9a-f]+\.svg$/);
    expect(all.filter((e) => e.tag === "style")).toHaveLength(1);
    expect(all.filter((e) => e.tag === "meta" && Object.fromEntries(e.attributes)["http-equiv"])).toHaveLength(0);
    // The comment form, and the like buttons' forms (the blog's own addresses, never a comment's text).
    const actions = all.filter((e) => e.tag === "form").map((e) => Object.fromEntries(e.attributes).action ?? "");
    expect(actions.filter((action) => !/^\/posts\/[^/]+\/comments\/\d+\/like$/.test(action))).toEqual([
      `/posts/${SLUG}/comments`,
    ]);
    for (const element of all) {
      for (const [name, value] of element.attributes) {
        expect(name.startsWith("on"), `${element.tag} ${name}`).toBe(false);
        if (name === "href" || name === "src" || name === "action")
          expect(value, `${element.tag} ${name}`).toMatch(/^(https?:\/\/|\/|#|\?)/);
      }
    }

    for (const [i, vector] of VECTORS.entries()) {
      const id = ids[i];
      assertSafeBody(await elementsOf(html, `li#comment-${id} .comment-body *`));
      expect(await elementsOf(html, `li#comment-${id} .comment-author *`)).toHaveLength(0);
      // What was typed is what a reader reads (normalized: NFC, no bidi controls, one space).
      const [author] = await textOf(html, `li#comment-${id} .comment-author`);
      expect(author).toBe(
        `${vector.slice(0, 60)} ${tag}`
          .replace(/[\u202A-\u202E]/g, "")
          .replace(/\s+/g, " ")
          .trim(),
      );
      const body = (await textOf(html, `li#comment-${id} .comment-body p`)).join("\n");
      expect(body.replace(/\s+/g, "")).toContain(vector.replace(/[\u202A-\u202E]/g, "").replace(/\s+/g, ""));
    }
  });

  it("the JSON API returns the same safe HTML and the raw text", async () => {
    const vector = '<img src=x onerror=alert(1)> https://ok.example/"onmouseover="x';
    const res = await postJson(
      SLUG,
      { name: marker("<b>n</b>"), body: vector },
      { envOverrides: { COMMENT_MODERATION: "publish" } },
    );
    const { comment } = await res.json<{ comment: { body: string; html: string; author: string } }>();
    expect(comment.body).toBe(vector);
    expect(comment.author).toMatch(/^<b>n<\/b>-/);
    assertSafeBody(await elementsOf(`<div>${comment.html}</div>`, "div *"));
    expect(comment.html).toContain("&lt;img src=x onerror=alert(1)&gt;");
  });
});
