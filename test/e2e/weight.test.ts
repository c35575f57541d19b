import { gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { BUDGET_GZIP_BYTES, weighPage } from "../../bench/weigh-page.ts";
import { SEED_PATH, useChromium } from "./browser.ts";

const chromium = useChromium();

it("the seed article fits the first round trip and asks only for itself, the favicon and the comment-times script", async () => {
  const weight = await weighPage(chromium.browser, chromium.url(SEED_PATH));
  expect(weight.gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  const [page, ...others] = weight.requests;
  expect(page).toBe(chromium.url(SEED_PATH));
  const asset = (name: string, ext: string) =>
    new RegExp(`^${chromium.url(`/assets/${name}`)}\\.[0-9a-f]{12}\\.${ext}$`);
  for (const url of others)
    expect(url).toMatch(new RegExp(`${asset("favicon", "svg").source}|${asset("local-time", "js").source}`));
  // The script (assets/local-time.js) is deferred, so it never holds the page up, and small.
  const script = others.find((url) => url.endsWith(".js")) ?? "";
  const res = await fetch(script);
  expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
  expect(gzipSync(Buffer.from(await res.arrayBuffer())).length).toBeLessThan(700);
});
