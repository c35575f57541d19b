import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parsePost } from "../../pipeline/front-matter.ts";
import { createPost, MAX_DERIVED_SLUG, NewPostError, slugForTitle } from "../../scripts/post-file.ts";

const NOW = new Date("2026-03-04T05:06:07.890Z");
const tempContent = () => mkdtemp(join(tmpdir(), "new-post-"));

/** `npm run new -- ...args` in a throw-away content folder. */
function cli(content: string, ...args: string[]) {
  return spawnSync(process.execPath, ["scripts/new-post.ts", ...args, "--content", content], { encoding: "utf8" });
}

async function refusal(promise: Promise<unknown>): Promise<NewPostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof NewPostError)) throw new Error(`expected a NewPostError, got ${String(error)}`);
  return error;
}

describe("slugForTitle", () => {
  it.each([
    ["My First Post", "my-first-post"],
    ["K-Pop in North Korea: What’s Really Going On?", "k-pop-in-north-korea-what-s-really-going-on"],
    ["케이팝 이야기: 2025년", "케이팝-이야기-2025년"],
    ["  Café  crème  ", "café-crème"],
    ["!!!", "post-2026-03-04"],
    ["🎉🎉", "post-2026-03-04"],
  ])("%j -> %j", (title, slug) => {
    expect(slugForTitle(title, NOW)).toBe(slug);
  });

  it("cuts a long title at a word, never leaving it empty", () => {
    const slug = slugForTitle("word ".repeat(40), NOW);
    expect([...slug].length).toBeLessThanOrEqual(MAX_DERIVED_SLUG);
    expect(slug).toMatch(/^word(-word)+$/);
    expect([...slugForTitle("가".repeat(200), NOW)]).toHaveLength(MAX_DERIVED_SLUG);
  });
});

describe("createPost", () => {
  it("writes a draft whose front matter the build accepts", async () => {
    const content = await tempContent();
    const { file, slug } = await createPost({ contentDir: content, title: "My First Post", now: NOW });
    expect(slug).toBe("my-first-post");
    expect(file.endsWith(join("posts", "my-first-post.md"))).toBe(true);
    const text = await readFile(join(content, "posts", "my-first-post.md"), "utf8");
    const { meta } = parsePost(file, text, slug);
    expect(meta).toEqual({
      title: "My First Post",
      slug: "my-first-post",
      date: "2026-03-04T05:06:07.000Z",
      tags: [],
      draft: true,
    });
    expect(text).toContain('summary: ""');
    expect(text).toContain("tags: []");
  });

  it("keeps Hangul in the slug and the file name, and takes --slug and --date", async () => {
    const content = await tempContent();
    expect((await createPost({ contentDir: content, title: "케이팝 이야기", now: NOW })).slug).toBe("케이팝-이야기");
    const custom = await createPost({
      contentDir: content,
      title: "Anything",
      slug: "Chosen-Slug",
      date: "2026-07-01T09:00:00+09:00",
      now: NOW,
    });
    expect(custom.slug).toBe("chosen-slug");
    expect(await readdir(join(content, "posts"))).toEqual(["chosen-slug.md", "케이팝-이야기.md"]);
    const text = await readFile(join(content, "posts", "chosen-slug.md"), "utf8");
    expect(parsePost("x.md", text, "chosen-slug").meta.date).toBe("2026-07-01T00:00:00.000Z");
  });

  it("refuses to overwrite a post, or to take a slug another post's front matter or aliases use", async () => {
    const content = await tempContent();
    await createPost({ contentDir: content, title: "Taken", now: NOW });
    const before = await readFile(join(content, "posts", "taken.md"), "utf8");
    const again = await refusal(createPost({ contentDir: content, title: "Taken!", now: NOW }));
    expect(again.code).toBe(1);
    expect(again.message).toMatch(/the slug "taken" is already used by .*taken\.md/);
    expect(await readFile(join(content, "posts", "taken.md"), "utf8")).toBe(before);

    await mkdir(join(content, "posts", "folder-post"), { recursive: true });
    await writeFile(join(content, "posts", "folder-post", "index.md"), "---\ntitle: F\ndate: 2025-01-01\n---\n");
    await writeFile(join(content, "posts", "other.md"), "---\ntitle: O\ndate: 2025-01-01\nslug: claimed\n---\n");
    await writeFile(join(content, "posts", "moved.md"), "---\ntitle: M\ndate: 2025-01-01\naliases: [old-name]\n---\n");
    for (const [title, by] of [
      ["Folder Post", "folder-post"],
      ["Claimed", "other.md"],
      ["Old Name", "moved.md (aliases)"],
    ] as const) {
      const error = await refusal(createPost({ contentDir: content, title, now: NOW }));
      expect(error.code, title).toBe(1);
      expect(error.message, title).toContain(by);
    }
    expect((await readdir(join(content, "posts"))).sort()).toEqual(["folder-post", "moved.md", "other.md", "taken.md"]);
  });

  it("refuses an empty title, a bad slug or a bad date with code 2 and writes nothing", async () => {
    const content = await tempContent();
    for (const options of [{ title: "  " }, { title: "T", slug: "not a slug" }, { title: "T", date: "tomorrow" }]) {
      const error = await refusal(createPost({ contentDir: content, now: NOW, ...options }));
      expect(error.code).toBe(2);
    }
    await expect(readdir(join(content, "posts"))).rejects.toThrow();
  });
});

describe("createPost: language and translations", () => {
  const original = (lang: string, extra = "") =>
    `---\ntitle: Original\ndate: 2025-01-01\nlang: ${lang}${extra}\n---\n\nThe text stays as it is.\n`;

  it("marks a Hangul title lang: ko, takes --lang, and leaves an English title unmarked", async () => {
    const content = await tempContent();
    const korean = await createPost({ contentDir: content, title: "방탄소년단 새 앨범 리뷰", now: NOW });
    expect(korean.lang).toBe("ko");
    const text = await readFile(join(content, "posts", `${korean.slug}.md`), "utf8");
    expect(parsePost("x.md", text, korean.slug).meta.lang).toBe("ko");
    expect((await createPost({ contentDir: content, title: "BTS 새 앨범", now: NOW })).lang).toBe("ko");
    expect((await createPost({ contentDir: content, title: "BLACKPINK 컴백 무대 후기", now: NOW })).lang).toBe("ko");
    expect((await createPost({ contentDir: content, title: "BTS is back", now: NOW })).lang).toBeUndefined();
    expect(
      (await createPost({ contentDir: content, title: "Learning 한국어 through K-pop", now: NOW })).lang,
    ).toBeUndefined();
    expect((await createPost({ contentDir: content, title: "Hi", lang: "en-GB", now: NOW })).lang).toBe("en-GB");
    expect((await refusal(createPost({ contentDir: content, title: "X", lang: "english", now: NOW }))).code).toBe(2);
  });

  it("--translation-of shares the original's key, or adds its slug as the key to the original", async () => {
    const content = await tempContent();
    await mkdir(join(content, "posts"), { recursive: true });
    const file = join(content, "posts", "original.md");
    await writeFile(file, original("en"));
    const made = await createPost({ contentDir: content, title: "원문", translationOf: "original", now: NOW });
    expect(made.translation).toMatchObject({ key: "original", keyAdded: true });
    const updated = await readFile(file, "utf8");
    expect(parsePost("o.md", updated, "original").meta.translationKey).toBe("original");
    expect(updated.endsWith("---\n\nThe text stays as it is.\n")).toBe(true);
    const translation = await readFile(join(content, "posts", `${made.slug}.md`), "utf8");
    expect(parsePost("t.md", translation, made.slug).meta).toMatchObject({ lang: "ko", translationKey: "original" });

    await writeFile(join(content, "posts", "keyed.md"), original("ko", "\ntranslationKey: story"));
    const second = await createPost({
      contentDir: content,
      title: "Keyed",
      slug: "keyed-en",
      lang: "en",
      translationOf: "keyed",
      now: NOW,
    });
    expect(second.translation).toMatchObject({ key: "story", keyAdded: false });
  });

  it("refuses a translation the build would refuse, with code 2, writing nothing", async () => {
    const content = await tempContent();
    await mkdir(join(content, "posts"), { recursive: true });
    await writeFile(join(content, "posts", "english.md"), original("en"));
    await writeFile(join(content, "posts", "nolang.md"), "---\ntitle: N\ndate: 2025-01-01\n---\n");
    await createPost({ contentDir: content, title: "첫 번역", translationOf: "english", now: NOW });
    const before = (await readdir(join(content, "posts"))).sort();
    const englishText = await readFile(join(content, "posts", "english.md"), "utf8");
    for (const [options, message] of [
      [{ title: "둘째 번역", translationOf: "english" }, /already its ko translation/],
      [{ title: "Same", lang: "en", translationOf: "english" }, /already in en/],
      [{ title: "No language", translationOf: "english" }, /needs the new post's language/],
      [{ title: "번역", translationOf: "nolang" }, /names no lang/],
      [{ title: "번역", translationOf: "missing" }, /no post has the slug "missing"/],
    ] as const) {
      const error = await refusal(createPost({ contentDir: content, now: NOW, ...options }));
      expect(error.code, options.title).toBe(2);
      expect(error.message, options.title).toMatch(message);
    }
    expect((await readdir(join(content, "posts"))).sort()).toEqual(before);
    expect(await readFile(join(content, "posts", "english.md"), "utf8")).toBe(englishText);
  });
});

// Each case starts Node processes, slow on a busy machine.
describe("npm run new", { timeout: 30_000 }, () => {
  it("creates the post and exits 0; exits 1 when it exists, 2 on bad arguments", async () => {
    const content = await tempContent();
    const made = cli(content, "Hello Seoul");
    expect(made.status).toBe(0);
    expect(made.stdout).toMatch(/created .*posts\/hello-seoul\.md/);
    const twice = cli(content, "Hello Seoul");
    expect(twice.status).toBe(1);
    expect(twice.stderr).toContain('the slug "hello-seoul" is already used');
    const none = cli(content);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('npm run new -- "My title"');
    const help = cli(content, "--help");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--translation-of <slug>");
    const unknown = cli(content, "T", "--colour", "red");
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("usage:");
    for (const run of [made, twice, none, unknown]) expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it("writes a post the content build accepts", async () => {
    const content = await tempContent();
    cli(content, "빌드 테스트");
    const out = await mkdtemp(join(tmpdir(), "out-"));
    const build = spawnSync(
      process.execPath,
      ["pipeline/build.ts", "--drafts", "--content", content, "--out", out, "--release-module", join(out, "r.ts")],
      { encoding: "utf8" },
    );
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toContain("1 posts (1 drafts)");
  });
});
