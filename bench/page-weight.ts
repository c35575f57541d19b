/**
 * `npm run bench:weight`: weighs the seed article as Chromium receives it from the real Worker and
 * fails when its HTML and CSS exceed 14 KB gzip-compressed (the first round trip), or when it
 * asks for anything but itself and the favicon.
 *
 * Starts the blog on a free port with throw-away local state (scripts/local-worker.ts); set
 * BASE_URL=http://localhost:8787 to weigh a blog that is already running (`npm start`).
 */
import { launchChromium } from "../scripts/chromium.ts";
import { type LocalWorker, startLocalWorker } from "../scripts/local-worker.ts";
import { BUDGET_GZIP_BYTES, weighPage } from "./weigh-page.ts";

const PATH = "/posts/kpop-in-north-korea";

const worker: LocalWorker | undefined = process.env.BASE_URL ? undefined : await startLocalWorker();
const base = (process.env.BASE_URL ?? worker?.url ?? "").replace(/\/+$/, "");
const browser = await launchChromium();
let failed = false;
try {
  const url = `${base}${PATH}`;
  const weight = await weighPage(browser, url);
  const html = await (await fetch(url)).text();
  const favicon = html.match(/<link rel="icon" href="([^"]+)"/)?.[1];
  const allowed = new Set([url, favicon && new URL(favicon, url).href]);
  const extra = weight.requests.filter((r) => !allowed.has(r));
  const kb = (n: number) => `${n} B (${(n / 1024).toFixed(1)} KB)`;
  console.log(`page weight of ${PATH} (HTML with inlined CSS)`);
  console.log(`  raw     ${kb(weight.rawBytes)}`);
  console.log(
    `  gzip    ${kb(weight.gzipBytes)}   budget ${kb(BUDGET_GZIP_BYTES)}, headroom ${BUDGET_GZIP_BYTES - weight.gzipBytes} B`,
  );
  console.log(`  brotli  ${kb(weight.brotliBytes)}`);
  console.log(`  requests (${weight.requests.length}): ${weight.requests.join(", ")}`);
  if (weight.gzipBytes > BUDGET_GZIP_BYTES) {
    console.error(`FAIL: ${weight.gzipBytes} B gzip is over the ${BUDGET_GZIP_BYTES} B budget`);
    failed = true;
  }
  if (extra.length > 0) {
    console.error(`FAIL: requests other than the page and its favicon: ${extra.join(", ")}`);
    failed = true;
  }
} finally {
  await browser.close();
  await worker?.stop();
}
process.exit(failed ? 1 : 0);
