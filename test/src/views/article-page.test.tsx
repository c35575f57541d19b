import { describe, expect, it } from "vitest";
import type { ArticleRecord } from "../../../src/articles/record.ts";
import type { Site } from "../../../src/lib/site.ts";
import { ArticlePage } from "../../../src/views/article-page.tsx";
import { NoBreak } from "../../../src/views/no-break.tsx";

const site: Site = {
  title: "OUR K-POP",
  description: "d",
  author: "Mina Park",
  authorType: "Person",
  lang: "en",
  url: "https://blog.example",
  pageSize: 10,
};
const article: ArticleRecord = {
  slug: "stage",
  title: "On stage",
  date: "2025-01-01T00:00:00.000Z",
  tags: [],
  summary: "s",
  readingMinutes: 1,
  html: "<p>x</p>",
  sourceHash: "h",
  image: { url: "/assets/stage.0123456789ab.jpg", width: 1600, height: 900 },
};

const render = async (props: Parameters<typeof ArticlePage>[0]) => String(await ArticlePage(props)?.toString());
const jsonLd = (html: string) =>
  JSON.parse(/<script type="application\/ld\+json">(.*?)<\/script>/.exec(html)?.[1] ?? "{}");

describe("an article's social card and structured data", () => {
  it("use the post's own image, with its size, and the author as a Person when so configured", async () => {
    const html = await render({ site, article });
    const url = "https://blog.example/assets/stage.0123456789ab.jpg";
    expect(html).toContain(`<meta property="og:image" content="${url}"/>`);
    expect(html).toContain('<meta property="og:image:width" content="1600"/>');
    expect(html).toContain('<meta property="og:image:height" content="900"/>');
    expect(html).toContain(`<meta name="twitter:image" content="${url}"/>`);
    // Its alt text is not known here; the site's ("OUR K-POP") would describe another picture.
    expect(html).not.toContain("og:image:alt");
    expect(jsonLd(html)).toMatchObject({
      image: { "@type": "ImageObject", url, width: 1600, height: 900 },
      author: { "@type": "Person", name: "Mina Park" },
      publisher: { "@type": "Organization", name: "OUR K-POP", logo: { "@type": "ImageObject" } },
    });
  });
});

describe("NoBreak", () => {
  const text = async (value: string) => String(await (<NoBreak text={value} />).toString());

  it("keeps each hyphenated word whole and leaves the rest of the text as it is", async () => {
    expect(await text("K-pop and co-op, not K-")).toBe(
      '<span class="nh">K-pop</span> and <span class="nh">co-op</span>, not K-',
    );
    expect(await text("케이-팝 & <b>")).toBe('<span class="nh">케이-팝</span> &amp; &lt;b&gt;');
    expect(await text("No hyphen here")).toBe("No hyphen here");
  });

  it("leaves a compound too long for a phone's line breakable", async () => {
    const long = "never-ever-ever-break-this-one";
    expect(await text(`a ${long}`)).toBe(`a ${long}`);
  });
});
