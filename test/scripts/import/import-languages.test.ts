/**
 * Imported posts keep their language and their translations: Polylang's language and
 * translation-group terms of a WordPress export, else the language the text is written in, else
 * the old blog's; written as front matter the content build accepts, and the pairs linked in the
 * release the Worker reads.
 */
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readContent } from "../../../pipeline/read-content.ts";
import { buildRelease } from "../../../pipeline/release.ts";
import { languageTag, postLanguage, siteLanguage } from "../../../scripts/import/languages.ts";
import type { SourcePost } from "../../../scripts/import/model.ts";
import { readExport } from "../../../scripts/import/read-export.ts";
import { ImportReport } from "../../../scripts/import/report.ts";
import { type ImportOptions, importExport } from "../../../scripts/import/run.ts";
import type { ArticleRecord, RouteBucket } from "../../../src/articles/record.ts";
import { bucketOf } from "../../../src/articles/record.ts";
import { runBuildCli } from "../../pipeline/build-fixtures.ts";

const root = join(import.meta.dirname, "..", "..", "..");
const fixtures = join(root, "test", "fixtures", "import");
let dir = "";
let content = "";

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "our-kpop-import-lang-"));
  content = join(dir, "content");
  // The sample blog's own posts (a translated pair among them) stay beside the imported ones.
  cpSync(join(root, "content"), content, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function run(file: string, options: Partial<ImportOptions> = {}) {
  const report = new ImportReport();
  const result = await importExport(
    await readExport(join(fixtures, file)),
    { contentDir: content, media: {}, overwrite: false, dryRun: false, siteLang: "en", ...options },
    report,
  );
  return { report, result, text: report.format("Import") };
}

const post = (slug: string) => readFileSync(join(content, "posts", slug, "index.md"), "utf8");
/** The front matter lines about language: `lang` and `translationKey`. */
const langLines = (slug: string) => post(slug).match(/^(lang|translationKey): .*$/gm) ?? [];

/** Every file of the content folder and its bytes. */
function snapshot(): Map<string, string> {
  const files = readdirSync(content, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
  return new Map(files.map((f) => [join(f.parentPath, f.name), readFileSync(join(f.parentPath, f.name), "utf8")]));
}

function recordOf(release: ReturnType<typeof buildRelease>, slug: string): ArticleRecord {
  const json = <T>(key: string): T => JSON.parse(release.entries.get(key) ?? "null") as T;
  const bucket = json<RouteBucket>(release.index.buckets[bucketOf(slug, 64)] as string);
  return json<ArticleRecord>(bucket[slug] as string);
}

describe("a WordPress export with Polylang", () => {
  it("writes each post's language and links its translations; the build accepts it and the release links the pairs", async () => {
    const { report, text } = await run("wordpress-polylang.xml");
    // A translated pair: both get the group's key, and their lang (English too, though it is the site's).
    expect(langLines("blackpink-comeback-stage")).toEqual(["lang: en", "translationKey: pll_6650a1c2d3e4f"]);
    expect(langLines("blackpink-comeback-stage-ko")).toEqual(["lang: ko", "translationKey: pll_6650a1c2d3e4f"]);
    // Korean only: lang, no key. Polylang's Korean "Uncategorized" is no tag.
    expect(langLines("newjeans-fanmeeting")).toEqual(["lang: ko"]);
    expect(post("blackpink-comeback-stage-ko")).not.toContain("tags:");
    // The Korean translation is private (not imported): the English post alone keeps no key, and says why.
    expect(langLines("seventeen-choreography")).toEqual([]);
    expect(report.warnings).toContain(
      'post 304 "Why SEVENTEEN\'s choreography works": imported without translationKey: of its translation group "pll_6650a1c2d3e50", post 305 "세븐틴 안무가 통하는 이유" is private, not imported; a translation set needs two posts in different languages',
    );
    // A draft translation is imported as a draft and linked (drafts count for the build's checks).
    expect(langLines("stray-kids-tour")).toEqual(["lang: en", "translationKey: pll_6650a1c2d3e51"]);
    expect(post("스트레이-키즈-월드-투어-일정")).toMatch(
      /lang: ko\ntranslationKey: pll_6650a1c2d3e51\n[\s\S]*draft: true/,
    );
    // Two Korean posts in one group: the first is linked, the second keeps its lang only.
    expect(langLines("itzy-concert")).toEqual(["lang: en", "translationKey: pll_6650a1c2d3e52"]);
    expect(langLines("itzy-concert-ko")).toEqual(["lang: ko", "translationKey: pll_6650a1c2d3e52"]);
    expect(langLines("itzy-concert-ko-2")).toEqual(["lang: ko"]);
    expect(report.warnings).toContain(
      'post 311 "있지 콘서트 후기 (사본)": imported without translationKey: post 310 "있지 콘서트 후기", of the same translation group "pll_6650a1c2d3e52", is also in ko (a set has one post per language)',
    );
    // Polylang's /ko/... addresses stay old addresses; /ko itself (its Korean front page) is the blog's Korean list.
    expect(post("blackpink-comeback-stage-ko")).toContain("  - /ko/2025/05/02/blackpink-comeback-stage-ko\n");
    expect(post("home-ko")).not.toMatch(/^ {2}- \/ko$/m);
    expect(report.warnings).toContain(
      'page 320 "홈": old address /ko is not kept: the blog answers it with its list of posts in ko',
    );
    // No language term (written before Polylang): its text is Korean.
    expect(langLines("first-snsd")).toEqual(["lang: ko"]);

    expect(text).toContain(
      "Languages of the posts: en 4, ko 7 (10 by the export's language terms (Polylang), 1 by their text)",
    );
    expect(text).toContain(
      "Translations: 3 sets linked (6 posts share a translationKey); 2 left without one (see warnings)",
    );

    const build = await runBuildCli(content);
    expect(build.status, build.stderr).toBe(0);
    const production = buildRelease(await readContent(content), { drafts: false });
    expect(recordOf(production, "blackpink-comeback-stage").translations).toEqual([
      { slug: "blackpink-comeback-stage-ko", lang: "ko", date: "2025-05-02T09:00:00.000Z" },
    ]);
    expect(recordOf(production, "blackpink-comeback-stage-ko").translations?.map((t) => t.slug)).toEqual([
      "blackpink-comeback-stage",
    ]);
    expect(recordOf(production, "newjeans-fanmeeting")).not.toHaveProperty("translations");
    expect(recordOf(production, "stray-kids-tour")).not.toHaveProperty("translations");
    const preview = buildRelease(await readContent(content), { drafts: true });
    expect(recordOf(preview, "stray-kids-tour").translations?.map((t) => t.lang)).toEqual(["ko"]);
  });

  it("running it again changes nothing", async () => {
    await run("wordpress-polylang.xml");
    const before = snapshot();
    const again = await run("wordpress-polylang.xml");
    expect(again.report.count("posts", "imported")).toBe(0);
    expect(again.report.count("posts", "unchanged")).toBe(9);
    expect(snapshot()).toEqual(before);
    expect(again.text).toContain("Translations: 3 sets linked");
  });

  it("keeps a set whose member was edited since the last import, and never leaves a key alone", async () => {
    await run("wordpress-polylang.xml");
    const ko = join(content, "posts", "blackpink-comeback-stage-ko", "index.md");
    writeFileSync(ko, `${readFileSync(ko, "utf8")}\n내가 고친 문장.\n`);
    const again = await run("wordpress-polylang.xml");
    expect(again.report.skippedCount("posts")).toBe(2); // the private post, and the edited one
    expect(langLines("blackpink-comeback-stage")).toEqual(["lang: en", "translationKey: pll_6650a1c2d3e4f"]);
    expect((await runBuildCli(content)).status).toBe(0);
  });

  it("on a Korean site, writes lang for the English posts and not for the Korean ones outside a set", async () => {
    await run("wordpress-polylang.xml", { siteLang: "ko" });
    expect(langLines("newjeans-fanmeeting")).toEqual([]);
    expect(langLines("first-snsd")).toEqual([]);
    expect(langLines("seventeen-choreography")).toEqual(["lang: en"]);
    expect(langLines("blackpink-comeback-stage-ko")).toEqual(["lang: ko", "translationKey: pll_6650a1c2d3e4f"]);
  });
});

describe("a Blogger export of a Korean blog", () => {
  it("finds each post's language from its text, else the blog's BLOG_LOCALE; the build accepts it", async () => {
    const { text } = await run("blogger-korean.xml");
    expect(langLines("iu-concert")).toEqual(["lang: ko"]);
    // Latin letters on a Korean blog: English, the site's language, so no lang.
    expect(langLines("iu-concert-english")).toEqual([]);
    // No words at all: the blog's language.
    expect(langLines("blog-post")).toEqual(["lang: ko"]);
    expect(text).toContain("Languages of the posts: ko 2, en 1 (2 by their text, 1 by the old blog's language)");
    expect(text).not.toContain("Translations:");
    const build = await runBuildCli(content);
    expect(build.status, build.stderr).toBe(0);
    const release = buildRelease(await readContent(content), { drafts: false });
    expect(release.index.languages?.ko).toBeDefined();
  });
});

describe("a post's language", () => {
  const source = { lang: undefined } as unknown as SourcePost;
  it.each([
    ["블랙핑크 컴백 무대 후기", undefined, "en", "ko", "text"],
    ["BTS 새 앨범 리뷰", "ko-KR", "en", "ko-KR", "text"],
    ["Learning 한국어 through K-pop", "ko-KR", "en", "en", "text"],
    ["Learning 한국어 through K-pop", "ko", "ko", "en", "text"],
    ["Une soirée à Séoul", "fr-FR", "en", "fr-FR", "blog"],
    ["2025.04.06 🎤", "ko", "en", "ko", "blog"],
    ["2025.04.06 🎤", undefined, "en", "en", "site"],
  ])("%s (blog %s, site %s): %s, by %s", (text, blog, site, lang, from) => {
    expect(postLanguage(source, text, blog, site)).toEqual({ lang, from });
  });

  it("is the export's when it names one; tags are read as exports write them", () => {
    expect(postLanguage({ lang: "ko" } as SourcePost, "English text", "en", "en")).toEqual({
      lang: "ko",
      from: "export",
    });
    expect(["ko_KR", "pt-br", "en", "de_DE_formal", "english", "", "x"].map(languageTag)).toEqual([
      "ko-KR",
      "pt-BR",
      "en",
      "de-DE-formal",
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("the site's language", () => {
  it("is SITE_LANG of wrangler.toml's top-level [vars], en when there is none", () => {
    const toml = join(dir, "wrangler.toml");
    writeFileSync(toml, 'name = "x"\n[vars]\nSITE_LANG = "ko_KR"\n[env.staging.vars]\nSITE_LANG = "en"\n');
    expect(siteLanguage(toml)).toBe("ko-KR");
    writeFileSync(toml, 'name = "x"\n[vars]\nSITE_TITLE = "T"\n');
    expect(siteLanguage(toml)).toBe("en");
    expect(siteLanguage(join(dir, "missing.toml"))).toBe("en");
    expect(siteLanguage(join(root, "wrangler.toml"))).toBe("en");
  });
});
