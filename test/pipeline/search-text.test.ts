import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../pipeline/markdown.ts";
import { readContent } from "../../pipeline/read-content.ts";
import { buildRelease } from "../../pipeline/release.ts";
import { searchDoc } from "../../pipeline/search-rows.ts";
import { decodeEntities, searchText } from "../../pipeline/search-text.ts";
import { BLOCK_BREAK, compoundWords, foldWord } from "../../src/search/fold.ts";

describe("searchText", () => {
  it("is the rendered text: no code block, no markup characters, one line per block", () => {
    const html = renderMarkdown(
      [
        "Send us yours and it could look like this:",
        "",
        "```markdown",
        "---",
        "title: My first concert",
        "tags: [k-pop, concerts]",
        "---",
        "The lights went down, and **40,000 lightsticks** came on at once.",
        "```",
        "",
        "## What you will find",
        "",
        "Hello, and welcome to **OUR K-POP**: a *small* blog, see [the FAQ](/faq)",
        "and `npm start`.",
        "",
        "- one item",
        "- two items",
      ].join("\n"),
    );
    expect(searchText(html)).toBe(
      [
        "Send us yours and it could look like this:",
        "What you will find",
        // The soft line break of the paragraph is a space; inline elements leave none.
        "Hello, and welcome to OUR K-POP: a small blog, see the FAQ and npm start.",
        "one item",
        "two items",
      ].join(BLOCK_BREAK),
    );
  });

  it("leaves out the table of contents and the heading's separate # link", () => {
    const html = renderMarkdown("## See [this](/x) first\n\nText.\n\n## Two\n\nMore.", { toc: true });
    expect(html).toContain('class="toc"');
    expect(searchText(html).split(BLOCK_BREAK)).toEqual(["See this first", "Text.", "Two", "More."]);
  });

  it("puts no space where an inline element starts or ends", () => {
    expect(
      searchText("<p>K-<em>pop</em> and <strong>40,000</strong> <a href='x'>light</a>sticks, (<code>x</code>)</p>"),
    ).toBe("K-pop and 40,000 lightsticks, (x)");
  });

  it("decodes entities, numeric and the common named ones, and keeps unknown ones as written", () => {
    expect(
      decodeEntities("Rock &amp; roll &lt;3 &#39;n&#x27; &hellip;&mdash;&nbsp;&rsquo; &#x1F3A4; &bogus; &#0; &#xD800;"),
    ).toBe("Rock & roll <3 'n' …—\u00A0’ 🎤 &bogus; \uFFFD \uFFFD");
    expect(searchText("<p>a&nbsp;&nbsp;b &amp;lt; c</p>")).toBe("a b &lt; c");
  });

  it("drops comments, scripts, styles, soft hyphens and the snippet markers, and is NFC", () => {
    const html = `<!-- note --><p>ly&shy;rics \uE000x\uE001 ${"서태지".normalize("NFD")}</p><script>var a = 1;</script><style>p{}</style><p>end</p>`;
    expect(searchText(html)).toBe(`lyrics x 서태지${BLOCK_BREAK}end`);
  });

  it("makes the sample posts' documents without Markdown or the code block's front matter", async () => {
    const release = buildRelease(await readContent("content"), { drafts: false });
    const welcome = release.posts.find((post) => post.slug === "welcome-to-our-kpop");
    if (!welcome) throw new Error("the sample post is missing");
    const doc = searchDoc(welcome);
    for (const raw of ["**", "---", "[ k-pop", "title :", "```", "40,000 lightsticks", "<"])
      expect(doc.body).not.toContain(raw);
    expect(doc.body).toContain("Hello, and welcome to OUR K-POP: a small blog");
    expect(doc).toMatchObject({ lang: "en", title_compounds: "kpop", compounds: "kpop" });
    const korean = release.posts.find((post) => post.slug === "케이팝이란");
    expect(korean && searchDoc(korean)).toMatchObject({ lang: "ko", compounds: "kpop" });
  });
});

describe("folding (src/search/fold.ts, shared with the Worker)", () => {
  it("lower-cases and drops hyphens inside words only", () => {
    expect(foldWord("K-Pop")).toBe("kpop");
    expect(foldWord("K\u2011pop")).toBe("kpop"); // a non-breaking hyphen
    expect(foldWord("K\u2010POP")).toBe("kpop");
    expect(foldWord("-red")).toBe("-red");
    expect(foldWord("red-")).toBe("red-");
    expect(foldWord("Kim Jong-un")).toBe("kim jongun");
    expect(foldWord("케이-팝")).toBe("케이팝");
    expect(foldWord("ÉCOLE")).toBe("école");
  });

  it("lists a text's hyphenated words once each, folded; dashes are not hyphens", () => {
    expect(compoundWords("K-pop and K-POP, Kim Jong-un; everywhere—from 1990–2000, live-streamed")).toBe(
      "kpop jongun livestreamed",
    );
    expect(compoundWords("no compounds here")).toBe("");
    expect(compoundWords("a-b c-d e-f", 8).split(" ")).toEqual(["ab", "cd"]);
  });
});
