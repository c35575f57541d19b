import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createHighlight } from "../../pipeline/highlight.ts";
import { codeBlocks, renderMarkdown } from "../../pipeline/markdown.ts";

const fence = (lang: string, code: string) => `\`\`\`${lang}\n${code}\n\`\`\`\n`;

describe("code highlighting at build time", async () => {
  const posts = [fence("ts", "x"), fence("yaml", "x"), "~~~ sh\nx\n~~~", fence("klingon", "x")];
  const highlight = (await createHighlight(posts.flatMap(codeBlocks)))?.highlight;

  it("reads each fenced block's language as rendering does, and does nothing without named languages", async () => {
    expect(codeBlocks("    indented only\n")).toEqual([]);
    expect(codeBlocks(`${fence("TS {title=x}", "let a")}\n    indented\n\n${fence("", "plain")}`)).toEqual([
      { lang: "TS", code: "let a" },
      { lang: "", code: "indented" },
      { lang: "", code: "plain" },
    ]);
    expect(highlight).toBeDefined();
    expect(await createHighlight(codeBlocks(`Just text.\n\n${fence("", "plain code")}`))).toBeUndefined();
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

describe("the highlight cache", () => {
  const md = `${fence("ts", "let cached = 1")}\n${fence("klingon", "nuqneH")}`;

  it("serves blocks an earlier build highlighted, keeps only this build's blocks, and ignores a stale cache", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "highlight-")), "cache", "highlight.json");
    const first = await createHighlight(codeBlocks(md), file);
    const fresh = renderMarkdown(md, { highlight: first?.highlight });
    await first?.save();
    const saved = JSON.parse(await readFile(file, "utf8")) as { version: string; blocks: Record<string, string> };
    expect(Object.values(saved.blocks).sort()).toEqual(["", expect.stringContaining('<span class="k">let</span>')]);

    // A later build takes the cached HTML as it is (marked here to tell it from a fresh render).
    const marked = Object.fromEntries(Object.entries(saved.blocks).map(([k, v]) => [k, v.replace("cached", "CACHED")]));
    await writeFile(file, JSON.stringify({ ...saved, blocks: marked }));
    const second = await createHighlight(codeBlocks(md), file);
    expect(renderMarkdown(md, { highlight: second?.highlight })).toBe(fresh.replace("cached", "CACHED"));

    // A block that is new is highlighted once its language is loaded (the first render is
    // marked pending, to be done again); the unknown language stays plain without asking Shiki.
    const other = fence("ts", "let other = 2");
    renderMarkdown(other, { highlight: second?.highlight });
    expect(second?.pending).toBe(true);
    await second?.load();
    expect(renderMarkdown(other, { highlight: second?.highlight })).toContain('<span class="k">let</span> other');
    await second?.save();
    const kept = JSON.parse(await readFile(file, "utf8")) as { blocks: Record<string, string> };
    expect(Object.keys(kept.blocks)).toHaveLength(3);

    // Another Shiki or another version of the highlighter (a different version key) starts over.
    await writeFile(file, JSON.stringify({ version: "other", blocks: marked }));
    const third = await createHighlight(codeBlocks(md), file);
    expect(renderMarkdown(md, { highlight: third?.highlight })).toBe(fresh);
  });
});
