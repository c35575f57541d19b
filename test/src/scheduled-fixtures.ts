import { env } from "cloudflare:workers";
import { type ReleaseIndex, releaseKey } from "../../src/articles/record.ts";
import { forgetContent } from "../../src/articles/store.ts";
import { forgetPages } from "../../src/cache/page-cache.ts";
import { RELEASE } from "../../src/generated/release.ts";

/** The scheduled-post fixture releases (real pipeline output of test/fixtures/content), production and preview. */
type Fixture = { index: ReleaseIndex; entries: { key: string; value: string }[] };
const fixtures = JSON.parse(env.TEST_SCHEDULED) as Record<"production" | "preview", Fixture>;

/** Serves `which` fixture release under this Worker's release id, with no page or value of the last one remembered. */
export async function installFixture(which: "production" | "preview"): Promise<void> {
  const { index, entries } = fixtures[which];
  await Promise.all(entries.map(({ key, value }) => env.CONTENT.put(key, value)));
  await env.CONTENT.put(releaseKey(RELEASE), JSON.stringify({ ...index, release: RELEASE }));
  forgetContent();
  forgetPages();
}

/** Puts the real build's release back (afterAll of a file that installed a fixture). */
export async function restoreBuiltRelease(): Promise<void> {
  const original = env.TEST_KV_ENTRIES.find((e) => e.key === releaseKey(RELEASE));
  if (original) await env.CONTENT.put(original.key, original.value);
  forgetContent();
  forgetPages();
}
