import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { writeAssets } from "../../pipeline/assets.ts";

async function build(files: Record<string, string>) {
  const dir = await mkdtemp(join(tmpdir(), "assets-test-"));
  const src = join(dir, "assets");
  await mkdir(src);
  for (const [name, text] of Object.entries(files)) await writeFile(join(src, name), text);
  const options = { srcDir: src, outDir: join(dir, "public"), module: join(dir, "generated", "assets.ts") };
  return { urls: await writeAssets(options), ...options };
}

it("copies each asset under a content-hashed name and maps it for the Worker", async () => {
  const { urls, outDir, module } = await build({ "favicon.svg": "<svg/>", "og-image.jpg": "jpeg bytes" });
  expect(urls).toEqual({
    favicon: expect.stringMatching(/^\/assets\/favicon\.[0-9a-f]{12}\.svg$/),
    ogImage: expect.stringMatching(/^\/assets\/og-image\.[0-9a-f]{12}\.jpg$/),
  });
  expect(await readFile(join(outDir, urls.favicon ?? ""), "utf8")).toBe("<svg/>");
  expect((await readdir(join(outDir, "assets"))).sort()).toHaveLength(2);
  expect(await readFile(module, "utf8")).toContain(`"favicon": "${urls.favicon}"`);
});

it("marks the hashed files immutable for a year in _headers", async () => {
  const { outDir } = await build({ "favicon.svg": "<svg/>" });
  expect(await readFile(join(outDir, "_headers"), "utf8")).toContain(
    "/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n",
  );
});

it("gives a changed file a new name, and the same bytes the same name", async () => {
  const a = await build({ "favicon.svg": "<svg/>" });
  const b = await build({ "favicon.svg": "<svg/>" });
  const c = await build({ "favicon.svg": "<svg><title>new</title></svg>" });
  expect(b.urls.favicon).toBe(a.urls.favicon);
  expect(c.urls.favicon).not.toBe(a.urls.favicon);
});
