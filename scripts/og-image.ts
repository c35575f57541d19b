/**
 * Renders scripts/og-image.svg to assets/og-image.jpg (1200x630) in Chromium. Social sites do not
 * show SVG previews, and as JPEG the gradient is a fifth of its PNG size. The JPEG is committed;
 * run `npm run og-image` after changing the SVG.
 */
import { readFile, writeFile } from "node:fs/promises";
import { launchChromium } from "./chromium.ts";

const svg = await readFile("scripts/og-image.svg", "utf8");
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 630 } });
  await page.setContent(`<!doctype html><style>html,body{margin:0}svg{display:block}</style>${svg}`);
  const jpeg = await page.screenshot({ type: "jpeg", quality: 85 });
  await writeFile("assets/og-image.jpg", jpeg);
  console.log(`wrote assets/og-image.jpg (${jpeg.length} bytes)`);
} finally {
  await browser.close();
}
