import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeBuild } from "../../pipeline/write-build.ts";
import { contentDir, runBuildCli } from "./build-fixtures.ts";

const post = (title: string, date: string, extra = "") =>
  `---\ntitle: ${title}\ndate: ${date}\n${extra}---\nBody of ${title}.\n`;

describe("writeBuild", () => {
  it("writes bulk-put files within the pair limit, a manifest and the release module", async () => {
    const content = await contentDir({
      "posts/a.md": post("A", "2025-01-01", "tags: [x]\n"),
      "posts/b/index.md": post("B", "2025-01-02"),
      "posts/_notes.md": "ignored: starts with an underscore",
    });
    const out = await mkdtemp(join(tmpdir(), "out-"));
    const releaseModule = join(out, "release.ts");
    const { release, kvFiles } = await writeBuild({
      contentDir: content,
      outDir: out,
      releaseModule,
      drafts: false,
      pairsPerFile: 3,
    });

    const pairs = (await Promise.all(kvFiles.map(async (f) => JSON.parse(await readFile(f, "utf8"))))) as {
      key: string;
      value: string;
    }[][];
    expect(pairs.every((file) => file.length <= 3)).toBe(true);
    expect(
      pairs
        .flat()
        .map((p) => p.key)
        .sort(),
    ).toEqual([...release.entries.keys()].sort());
    expect(await readdir(join(out, "kv"))).toEqual(kvFiles.map((f) => f.split("/").at(-1)));

    const manifest = JSON.parse(await readFile(join(out, "manifest.json"), "utf8"));
    expect(manifest.release).toBe(release.id);
    expect(manifest.posts.map((p: { slug: string }) => p.slug)).toEqual(["b", "a"]);
    expect(await readFile(releaseModule, "utf8")).toContain(`export const RELEASE = "${release.id}";`);
  });

  it("the CLI lists every content mistake with file and field, and exits 1", async () => {
    const content = await contentDir({
      "posts/no-title.md": "---\ndate: 2025-01-01\n---\nx",
      "posts/bad-date.md": "---\ntitle: T\ndate: 2025-02-30\n---\nx",
    });
    const run = await runBuildCli(content);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/no-title\.md: front matter "title" is missing/);
    expect(run.stderr).toMatch(/bad-date\.md: front matter "date" "2025-02-30" is not a date/);
    expect(run.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
