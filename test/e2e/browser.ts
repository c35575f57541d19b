import { mkdirSync } from "node:fs";
import { join } from "node:path";
import axe from "axe-core";
import type { Browser, BrowserContextOptions, Page, Response } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";
import { launchChromium } from "../../scripts/chromium.ts";

/** Screenshots for people to look at (git-ignored). */
export const SCREENSHOTS = join("test-results", "screenshots");
mkdirSync(SCREENSHOTS, { recursive: true });

/** A phone: iPhone SE's CSS viewport, touch, and its device pixel ratio. */
export const PHONE: BrowserContextOptions = {
  viewport: { width: 375, height: 667 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
};

export const SEED_TITLE = "K-pop in North Korea: What’s Really Going On?";
export const SEED_PATH = "/posts/kpop-in-north-korea";
export const KOREAN_PATH = `/posts/${encodeURIComponent("케이팝이란")}`;

/**
 * One Chromium for the test file (launched before, closed after). `open(path)` loads a page in a
 * fresh context (own cookies and cache) with the given options; close the context when done.
 */
export function useChromium() {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  const baseUrl = inject("baseUrl");
  return {
    baseUrl,
    get browser(): Browser {
      if (!browser) throw new Error("Chromium is not running");
      return browser;
    },
    url: (path: string) => `${baseUrl}${path}`,
    async open(path: string, options: BrowserContextOptions = {}): Promise<{ page: Page; response: Response }> {
      if (!browser) throw new Error("Chromium is not running");
      const context = await browser.newContext({ baseURL: baseUrl, ...options });
      const page = await context.newPage();
      const response = await page.goto(path);
      if (!response) throw new Error(`no response for ${path}`);
      return { page, response };
    },
  };
}

/** Runs axe-core (WCAG 2.x A/AA and best practices) in the page and returns what it found. */
export async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated over the DevTools protocol: the page's CSP (no inline script) rightly blocks a <script> tag.
  await page.evaluate(axe.source);
  const results = await page.evaluate(() => window.axe.run(document));
  return results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

declare global {
  interface Window {
    axe: typeof axe;
  }
}
