import { describe, expect, it } from "vitest";
import { absoluteUrls } from "../../../src/lib/absolute-urls.ts";

const BASE = "https://blog.example/posts/%EC%BC%80%EC%9D%B4";

describe("absoluteUrls", () => {
  it("resolves relative href, src, poster and srcset against the article's address", () => {
    const html =
      '<p><a href="#notes">notes</a> <a href="/tags/k-pop">tag</a> <a href="../posts/other?x=1&amp;y=2">other</a></p>' +
      '<img src="/assets/a.jpg" srcset="/assets/a-480.webp 480w, /assets/a-960.webp 960w" alt="">' +
      "<video poster='media/p.jpg'></video>";
    expect(absoluteUrls(html, BASE)).toBe(
      `<p><a href="${BASE}#notes">notes</a> <a href="https://blog.example/tags/k-pop">tag</a> <a href="https://blog.example/posts/other?x=1&amp;y=2">other</a></p>` +
        '<img src="https://blog.example/assets/a.jpg" srcset="https://blog.example/assets/a-480.webp 480w, https://blog.example/assets/a-960.webp 960w" alt="">' +
        '<video poster="https://blog.example/posts/media/p.jpg"></video>',
    );
  });

  it("keeps absolute URLs and other schemes as they are, and touches no text", () => {
    const html =
      '<a href="https://other.example/x">x</a> <a href="mailto:me@blog.example">mail</a>' +
      '<pre><code>&lt;img src="relative.png"&gt; href="/x"</code></pre>';
    expect(absoluteUrls(html, BASE)).toBe(html);
  });
});
