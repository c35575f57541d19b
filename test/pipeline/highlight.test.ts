import { describe, expect, it } from "vitest";
import { createHighlight } from "../../pipeline/highlight.ts";
import { renderMarkdown } from "../../pipeline/markdown.ts";

const fence = (lang: string, code: string) => `\`\`\`${lang}\n${code}\n\`\`\`\n`;

describe("code highlighting at build time", async () => {
  const bodies = [fence("ts", "x"), fence("yaml", "x"), "~~~ sh\nx\n~~~", fence("klingon", "x")];
  const highlight = await createHighlight(bodies);

  it("loads only the languages the posts name, and nothing when no code block names one", async () => {
    expect(highlight).toBeDefined();
    expect(await createHighlight(["Just text.", fence("", "plain code"), fence("klingon", "x")])).toBeUndefined();
  });

  it("marks tokens with classes the stylesheet colours, escapes the code, and sends no script or style", () => {
    const html = renderMarkdown(fence("ts", 'const tag = "<b>&"; // why\nfunction go(n: number) {}'), { highlight });
    expect(html).toMatch(/^<pre class="code" tabindex="0"><code class="language-ts">/);
    expect(html).toContain('<span class="k">const</span>');
    expect(html).toContain('<span class="s">"&lt;b&gt;&amp;"</span>');
    expect(html).toContain('<span class="c">// why</span>');
    expect(html).toContain('<span class="f">go</span>');
    expect(html).toContain(`// why</span>\n<span class="k">function</span>`); // lines stay lines
    expect(html).not.toMatch(/style=|<script|<b>/);
  });

  it("reads the language from the first word of the info string, in any case, aliases included", () => {
    expect(renderMarkdown(fence("TS {title=x}", "let a = 1"), { highlight })).toContain('<span class="k">let</span>');
    expect(renderMarkdown("~~~ sh\necho hi\n~~~", { highlight })).toContain('class="language-sh"');
  });

  it("leaves unknown languages, unnamed blocks and indented code as plain escaped code", () => {
    for (const md of [fence("klingon", "<qapla'>"), fence("", "<qapla'>"), "    <qapla'>\n"]) {
      const html = renderMarkdown(md, { highlight });
      expect(html).toContain("&lt;qapla&#39;&gt;");
      expect(html).not.toContain("<span");
    }
  });

  it("gives the same HTML every time (content hashes depend on it)", () => {
    const md = fence("yaml", "title: Hello\ntags: [a, b]\ndate: 2025-01-01");
    expect(renderMarkdown(md, { highlight })).toBe(renderMarkdown(md, { highlight }));
  });
});
