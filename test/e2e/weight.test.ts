import { expect, it } from "vitest";
import { BUDGET_GZIP_BYTES, weighPage } from "../../bench/weigh-page.ts";
import { SEED_PATH, useChromium } from "./browser.ts";

const chromium = useChromium();

it("the seed article fits the first round trip and asks only for itself and the favicon", async () => {
  const weight = await weighPage(chromium.browser, chromium.url(SEED_PATH));
  expect(weight.gzipBytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  const [page, ...others] = weight.requests;
  expect(page).toBe(chromium.url(SEED_PATH));
  for (const url of others)
    expect(url).toMatch(new RegExp(`^${chromium.url("/assets/favicon")}\\.[0-9a-f]{12}\\.svg$`));
});
