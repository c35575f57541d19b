import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../pipeline/markdown.ts";
import { htmlToText, parseHtml, toMarkdown } from "../../../scripts/import/html-to-markdown.ts";
import { expandShortcodes } from "../../../scripts/import/shortcodes.ts";
import { wpautop } from "../../../scripts/import/wpautop.ts";

const unknown: string[] = [];
const shortcodes = (html: string, gallery: string[] = []) =>
  expandShortcodes(html, { gallery: () => gallery, unknown: (name) => unknown.push(name) });
const convert = (html: string) => toMarkdown(parseHtml(html));

describe("HTML to Markdown", () => {
  it("writes GFM: headings, emphasis, lists, links, images, code, tables", () => {
    const md = convert(
      "<h2>Title</h2><p>Some <strong>bold</strong> and <em>italic</em>, <a href='https://x.example'>a link</a>.</p><ul><li>one</li><li>two</li></ul><pre><code>let a = 1;</code></pre><table><thead><tr><th>a</th><th>b</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table><img src='https://x.example/a.png' alt='A'>",
    );
    expect(md).toContain("## Title");
    expect(md).toContain("Some **bold** and *italic*, [a link](https://x.example).");
    expect(md).toContain("-   one");
    expect(md).toContain("```\nlet a = 1;\n```");
    expect(md).toMatch(/\| a +\| b +\|/);
    expect(md).toContain("![A](https://x.example/a.png)");
  });

  it("keeps what Markdown cannot say as HTML the build passes through: spanned tables, players, captioned figures", () => {
    const md = convert(
      "<table><tr><td colspan='2' style='color:red' onclick='x()'>wide</td></tr><tr><td>a</td><td>b</td></tr></table>" +
        "<iframe src='https://www.youtube.com/embed/abcdefghijk' width='560' height='315' onload='x()'></iframe>" +
        "<iframe src='https://tracker.example/x'></iframe>" +
        "<figure><img src='a.png' alt='A'><figcaption>The <b>caption</b></figcaption></figure>" +
        "<script>alert(1)</script>",
    );
    expect(md).toContain('<td colspan="2">wide</td>');
    expect(md).not.toMatch(/onclick|onload|style=|alert/);
    expect(md).toContain(
      '<iframe src="https://www.youtube.com/embed/abcdefghijk" title="Video" width="560" height="315" loading="lazy" allowfullscreen></iframe>',
    );
    expect(md).toContain("[https://tracker.example/x](https://tracker.example/x)");
    expect(md).toContain("<figure>\n\n![A](a.png)\n\n<figcaption>The caption</figcaption>\n</figure>");
    // The build renders the figure's image as a Markdown image, inside the figure.
    expect(renderMarkdown(md)).toMatch(
      /<figure>\s*<p><img src="a.png" alt="A"><\/p>\s*<figcaption>The caption<\/figcaption>/,
    );
  });

  it("turns block-editor embeds into players, and ignores block comments", () => {
    const md = convert(
      '<!-- wp:paragraph --><p>Hi</p><!-- /wp:paragraph --><!-- wp:embed --><figure class="wp-block-embed is-provider-youtube"><div class="wp-block-embed__wrapper">\nhttps://youtu.be/abcdefghijk\n</div></figure><!-- /wp:embed -->',
    );
    expect(md).toBe(
      'Hi\n\n<iframe src="https://www.youtube-nocookie.com/embed/abcdefghijk" title="Video" width="560" height="315" loading="lazy" allowfullscreen></iframe>\n',
    );
  });
});

describe("WordPress shortcodes", () => {
  it("[caption] becomes a figure with its caption, [gallery] its images, [youtube]/[embed] players or links", () => {
    const html = shortcodes(
      '[caption id="attachment_1" width="300"]<a href="big.jpg"><img src="a.jpg" alt="A"></a> A caption[/caption] [gallery ids="1,2"] [youtube https://www.youtube.com/watch?v=abcdefghijk] [embed]https://vimeo.com/123456[/embed] [embed]https://example.com/page[/embed]',
      ["g1.jpg", "g2.jpg"],
    );
    expect(html).toContain(
      '<figure><a href="big.jpg"><img src="a.jpg" alt="A"></a><figcaption>A caption</figcaption></figure>',
    );
    expect(html).toContain('<img src="g1.jpg" alt=""> <img src="g2.jpg" alt="">');
    expect(html).toContain('src="https://www.youtube-nocookie.com/embed/abcdefghijk"');
    expect(html).toContain('src="https://player.vimeo.com/video/123456"');
    expect(html).toContain('<a href="https://example.com/page">');
  });

  it("keeps unknown shortcodes as text and names them; [[escaped]] becomes [escaped]", () => {
    unknown.length = 0;
    expect(shortcodes('[contact-form-7 id="1"] and [[caption]] [not a shortcode')).toBe(
      '[contact-form-7 id="1"] and [caption] [not a shortcode',
    );
    expect(unknown).toEqual(["contact-form-7"]);
  });

  it("wpautop: blank lines become paragraphs and newlines breaks, around blocks and never inside <pre>", () => {
    expect(wpautop("One\ntwo\n\nThree\n<ul>\n<li>x</li>\n</ul>\nAfter\n<pre>a\n\nb</pre>")).toBe(
      "<p>One<br>\ntwo</p>\n\n<p>Three</p>\n\n<ul>\n\n<li>x</li>\n\n</ul>\n\n<p>After</p>\n\n<pre>a\n\nb</pre>",
    );
    expect(wpautop("<!-- wp:paragraph -->\n<p>a</p>\n\n<p>b</p>")).toBe("<!-- wp:paragraph -->\n<p>a</p>\n\n<p>b</p>");
  });
});

describe("comment HTML to text", () => {
  it("keeps paragraphs, breaks and link addresses; drops tags and scripts", () => {
    expect(
      htmlToText('<p>Hi <a href="https://a.example/">there</a> &amp; you</p><p>two<br>three</p><script>x</script>'),
    ).toBe("Hi there (https://a.example/) & you\n\ntwo\nthree");
  });
});
