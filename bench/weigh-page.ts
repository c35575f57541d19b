import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";

/** The first round trip: TCP's initial window of 10 segments is about 14 KB. */
export const BUDGET_GZIP_BYTES = 14 * 1024;

export interface PageWeight {
  /** Every URL the page asked for, in order (the page itself first). */
  requests: string[];
  /** HTML plus any stylesheet the page loaded (the CSS is inlined, so normally the HTML alone). */
  rawBytes: number;
  /** The same, gzip-compressed at zlib's default level 6 (what most servers and CDNs send). */
  gzipBytes: number;
  /** The same, Brotli at quality 5, for comparison. */
  brotliBytes: number;
}

/**
 * Loads `url` in a fresh Chromium context, records every request it makes, and weighs the HTML
 * and CSS it received, compressed as a server would send them.
 */
export async function weighPage(browser: Browser, url: string): Promise<PageWeight> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const requests: string[] = [];
    const bodies: Promise<Buffer>[] = [];
    page.on("request", (request) => {
      requests.push(request.url());
    });
    page.on("response", (response) => {
      const type = response.request().resourceType();
      if (type === "document" || type === "stylesheet") bodies.push(response.body());
    });
    await page.goto(url, { waitUntil: "networkidle" });
    const body = Buffer.concat(await Promise.all(bodies));
    return {
      requests,
      rawBytes: body.length,
      gzipBytes: gzipSync(body).length,
      brotliBytes: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }).length,
    };
  } finally {
    await context.close();
  }
}
