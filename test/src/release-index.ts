import { env } from "cloudflare:workers";
import { type ReleaseIndex, releaseKey } from "../../src/articles/record.ts";
import { forgetContent } from "../../src/articles/store.ts";
import { forgetPages } from "../../src/cache/page-cache.ts";
import { RELEASE } from "../../src/generated/release.ts";

export { restoreBuiltRelease } from "./scheduled-fixtures.ts";

/**
 * Serves the real build's release index changed by `change` (beforeAll of a file that needs
 * another index), with no page or value of the last one remembered; `restoreBuiltRelease` puts
 * it back.
 */
export async function serveReleaseIndex(change: (index: ReleaseIndex) => Promise<ReleaseIndex> | ReleaseIndex) {
  const built = env.TEST_KV_ENTRIES.find((e) => e.key === releaseKey(RELEASE));
  const index = JSON.parse(built?.value ?? "{}") as ReleaseIndex;
  await env.CONTENT.put(releaseKey(RELEASE), JSON.stringify(await change(index)));
  forgetContent();
  forgetPages();
}
