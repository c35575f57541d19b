import { describe, expect, it } from "vitest";
import { plainText, renderBody, renderMarkdown } from "../../pipeline/markdown.ts";
import { tableOfContents } from "../../pipeline/toc.ts";

describe("heading anchors", () => {
  it("makes h2 and h3 text a link to the heading itself; other levels stay as they are", () => {
    const html = renderMarkdown("# Title\n\n## Final Thoughts\n\n### 왜 사랑받을까?\n\n#### Small");
    expect(html).toContain('<h2 id="final-thoughts"><a class="anchor" href="#final-thoughts">Final Thoughts</a></h2>');
    expect(html).toContain('<h3 id="왜-사랑받을까"><a class="anchor" href="#왜-사랑받을까">왜 사랑받을까?</a></h3>');
    expect(html).toContain('<h1 id="title">Title</h1>');
    expect(html).toContain('<h4 id="small">Small</h4>');
  });

  it("keeps inline markup inside the link, and gives a heading that holds a link a separate # link", () => {
    expect(renderMarkdown("## Use `npm start`")).toContain(
      '<h2 id="use-npm-start"><a class="anchor" href="#use-npm-start">Use <code>npm start</code></a></h2>',
    );
    expect(renderMarkdown("## See [the docs](https://example.com)")).toContain(
      '<h2 id="see-the-docs">See <a href="https://example.com">the docs</a> <a href="#see-the-docs" aria-label="Section: See the docs">#</a></h2>',
    );
  });
});

describe("table of contents", () => {
  const md = "Intro.\n\n### Before any h2\n\n## One & Two\n\n### Detail <i>x</i>\n\n#### Too deep\n\n## Three";

  it("lists h2 and h3 links in a Contents nav, h3s nested under their h2, before the text", () => {
    const html = renderMarkdown(md, { toc: true });
    expect(html.indexOf('<nav class="toc" aria-label="Contents">')).toBe(0);
    expect(html).toContain(
      '<ol><li><a href="#before-any-h2">Before any h2</a></li>' +
        '<li><a href="#one--two">One &amp; Two</a><ol><li><a href="#detail-x">Detail x</a></li></ol></li>' +
        '<li><a href="#three">Three</a></li></ol></nav>',
    );
    expect(html).not.toContain('href="#too-deep"');
  });

  it("is left out unless asked for, or when there are no headings", () => {
    expect(renderMarkdown(md)).not.toContain("<nav");
    expect(renderMarkdown("Just text.", { toc: true })).not.toContain("<nav");
    expect(tableOfContents([])).toBe("");
  });

  it("does not count towards the text a reader reads", () => {
    const { html } = renderBody("## A\n\nWords here.", { toc: true });
    expect(plainText(html)).toBe("A Words here.");
  });
});
