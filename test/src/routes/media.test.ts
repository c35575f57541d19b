import { describe, expect, it } from "vitest";
import { get } from "../fetch.ts";

const WELCOME = "/posts/welcome-to-our-kpop";

describe("a post with an image and code (the real build of content/posts/welcome-to-our-kpop.md)", () => {
  it("serves the image at its hashed static-asset URL with its size, lazily loaded", async () => {
    const res = await get(WELCOME);
    expect(res.status).toBe(200);
    const html = await res.text();
    // `![...](../media/lightstick.svg)` in the Markdown; content/media/lightstick.svg is 640 x 320.
    expect(html).toMatch(
      /<img src="\/assets\/lightstick\.[0-9a-f]{12}\.svg" alt="A glowing lightstick with a heart, raised above a crowd" width="640" height="320" loading="lazy" decoding="async">/,
    );
    expect(html).not.toContain("../media/");
  });

  it("serves the code block highlighted with classes, no inline style or script", async () => {
    const html = await (await get(WELCOME)).text();
    const code = /<pre class="code" tabindex="0"><code class="language-markdown">[\s\S]*?<\/code><\/pre>/.exec(
      html,
    )?.[0];
    expect(code).toContain('<span class="t">title</span>: <span class="s">My first concert</span>');
    expect(code).toContain("**40,000 lightsticks**");
    expect(code).not.toMatch(/style=|<script/);
    // The one stylesheet carries the token colours (the CSP allows no inline style attributes).
    expect(html).toMatch(/<style>[^<]*\.code \.k\{color:[^<]*<\/style>/);
  });

  it("links each section heading to itself", async () => {
    const html = await (await get(WELCOME)).text();
    expect(html).toContain('<h2 id="write-for-us"><a class="anchor" href="#write-for-us">Write for us</a></h2>');
  });
});
