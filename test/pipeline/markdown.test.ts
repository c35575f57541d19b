import { describe, expect, it } from "vitest";
import { firstParagraph, keepHyphenatedWords, plainText, renderBody, renderMarkdown } from "../../pipeline/markdown.ts";
import { readingMinutes } from "../../pipeline/reading-time.ts";

describe("renderMarkdown", () => {
  it("renders GitHub-flavoured Markdown with heading ids, Korean headings included", () => {
    const html = renderMarkdown(
      "## 1. The Time K-pop Crossed the DMZ\n\n## 왜 사랑받을까?\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ https://example.com",
    );
    expect(html).toContain('<h2 id="1-the-time-k-pop-crossed-the-dmz">');
    expect(html).toContain('<h2 id="왜-사랑받을까">');
    expect(html).toContain("<table>");
    expect(html).toContain("<del>old</del>");
    expect(html).toContain('<a href="https://example.com">');
  });

  it("gives each document its own heading ids (no -1 suffixes carried over)", () => {
    renderMarkdown("## Same");
    expect(renderMarkdown("## Same")).toContain('id="same"');
  });
});

describe("plain text and summaries", () => {
  it("strips tags and decodes entities", () => {
    expect(plainText("<p>Rock &amp; roll &lt;3 &#39;n&#x27;</p>")).toBe("Rock & roll <3 'n'");
  });

  it("summarizes the first paragraph, cut at a word", () => {
    expect(firstParagraph("<p>Short one.</p><p>Second.</p>")).toBe("Short one.");
    expect(firstParagraph('<p><img src="/a.png" alt="A"></p>\n<p>After the picture.</p>')).toBe("After the picture.");
    const long = `<p>${"word ".repeat(100)}</p>`;
    const summary = firstParagraph(long, 50);
    expect(summary.length).toBeLessThanOrEqual(51);
    expect(summary.endsWith("word…")).toBe(true);
  });
});

describe("readingMinutes", () => {
  it("counts English in words and Korean in characters", () => {
    expect(readingMinutes("word ".repeat(230 * 3))).toBe(3);
    expect(readingMinutes("가".repeat(500 * 4))).toBe(4);
    expect(readingMinutes(`${"word ".repeat(230)}${"한".repeat(500)}`)).toBe(2);
    expect(readingMinutes("")).toBe(1);
  });
});

describe("headings keep hyphenated words whole", () => {
  it("wraps each in a .nh span, outside tags, with the rule of the Worker's titles (src/views/no-break.tsx)", () => {
    // The same samples as test/src/views/article-page.test.tsx's NoBreak tests: both sides agree.
    expect(keepHyphenatedWords("K-pop and co-op, not K-")).toBe(
      '<span class="nh">K-pop</span> and <span class="nh">co-op</span>, not K-',
    );
    expect(keepHyphenatedWords("케이-팝 &amp; &lt;b&gt;")).toBe('<span class="nh">케이-팝</span> &amp; &lt;b&gt;');
    expect(keepHyphenatedWords("a never-ever-ever-break-this-one")).toBe("a never-ever-ever-break-this-one");
    expect(keepHyphenatedWords('<a href="/x-y">Lo-fi</a> <code>a-b</code>')).toBe(
      '<a href="/x-y"><span class="nh">Lo-fi</span></a> <code><span class="nh">a-b</span></code>',
    );
  });

  it("in h2 and h3 of a rendered post", () => {
    const { html } = renderBody("## The K-pop wave\n\n### Co-op fans\n\nK-pop in a paragraph stays as written.");
    expect(html).toContain('<a class="anchor" href="#the-k-pop-wave">The <span class="nh">K-pop</span> wave</a>');
    expect(html).toContain('<span class="nh">Co-op</span> fans');
    expect(html).toContain("<p>K-pop in a paragraph stays as written.</p>");
  });
});
