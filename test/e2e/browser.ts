import { randomInt } from "node:crypto";
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
 * A made-up client address (TEST-NET-2 plus random) for the Worker's CF-Connecting-IP: each
 * browser context is a different reader, so the per-sender comment rate limit (5 a minute) does
 * not trip over the many comments the suite posts from one machine. Miniflare keeps a
 * CF-Connecting-IP the client sent.
 */
export const readerAddress = () => `198.51.${randomInt(100, 255)}.${randomInt(1, 255)}`;

/** The admin token the blog under test was started with. */
export const ADMIN_TOKEN = inject("adminToken");

/** How far the page scrolls sideways (0 when everything fits the viewport's width). */
export const sidewaysScroll = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/**
 * One Chromium for the test file (launched before, closed after). `open(path)` loads a page in a
 * fresh context (own cookies, cache and client address) with the given options; close the context when done.
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
      const context = await browser.newContext({
        baseURL: baseUrl,
        ...options,
        extraHTTPHeaders: { "cf-connecting-ip": readerAddress(), ...options.extraHTTPHeaders },
      });
      const page = await context.newPage();
      const response = await page.goto(path);
      if (!response) throw new Error(`no response for ${path}`);
      return { page, response };
    },
  };
}

/**
 * Runs axe-core (WCAG 2.x A/AA and best practices) in the page and returns what it found; with
 * `aaaWithin` (a selector), also the WCAG AAA rules (`wcag2aaa`: 7:1 text contrast and the rest)
 * on that part of the page.
 */
export async function axeViolations(page: Page, options: { aaaWithin?: string } = {}): Promise<string[]> {
  // Evaluated over the DevTools protocol: the page's CSP (no inline script) rightly blocks a <script> tag.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async (aaaWithin) => {
    const all = await window.axe.run(document);
    if (!aaaWithin) return all.violations;
    if (!document.querySelector(aaaWithin)) throw new Error(`nothing matches ${aaaWithin}`);
    const aaa = await window.axe.run(aaaWithin, { runOnly: { type: "tag", values: ["wcag2aaa"] } });
    return [...all.violations, ...aaa.violations];
  }, options.aaaWithin ?? null);
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}

declare global {
  interface Window {
    axe: typeof axe;
  }
}
