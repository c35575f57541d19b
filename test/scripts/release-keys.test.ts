import { describe, expect, it } from "vitest";
import { readContent } from "../../pipeline/read-content.ts";
import { buildRelease } from "../../pipeline/release.ts";
import { contentKeysIn, releaseKeys } from "../../scripts/release-keys.ts";

/** A KV reader over a build's entries, as `npm run prune` reads the remote namespace. */
const reader = (entries: Map<string, string>) => async (keys: string[]) =>
  new Map(keys.flatMap((k) => (entries.has(k) ? [[k, entries.get(k) as string] as const] : [])));

describe("the keys of a release (what prune keeps)", () => {
  it("are exactly the entries a real build writes: sample posts, scheduled posts, tags and aliases", async () => {
    const sources = [...(await readContent("content")), ...(await readContent("test/fixtures/content"))];
    const release = buildRelease(sources, { drafts: false });
    const routes = [...release.entries].filter(([key]) => key.startsWith("routes:")).map(([, v]) => JSON.parse(v));
    // The sample content has an alias: a bucket holds a redirect object, not only keys.
    expect(routes.some((bucket) => Object.values(bucket).some((route) => typeof route !== "string"))).toBe(true);
    const keys = await releaseKeys([release.id], reader(release.entries));
    expect([...keys].sort()).toEqual([...release.entries.keys()].sort());
  });

  it("covers two releases that share entries, and fails when an index or a bucket is missing", async () => {
    const sources = await readContent("content");
    const one = buildRelease(sources, { drafts: false });
    const two = buildRelease(sources, { drafts: true });
    const all = new Map([...one.entries, ...two.entries]);
    expect(await releaseKeys([one.id, two.id], reader(all))).toEqual(new Set(all.keys()));

    await expect(releaseKeys(["nope"], reader(all))).rejects.toThrow("release:nope is missing");
    const bucket = one.index.buckets[0] as string;
    const withoutBucket = new Map([...one.entries].filter(([key]) => key !== bucket));
    await expect(releaseKeys([one.id], reader(withoutBucket))).rejects.toThrow(`${bucket} is missing`);
  });

  it("finds content keys at any depth and ignores other strings", () => {
    const found = contentKeysIn({ a: ["list:1", { b: "article:2" }], c: "k-pop", d: 3, e: null, "routes:x": "y" });
    expect([...found]).toEqual(["list:1", "article:2"]);
  });
});
