import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`); Playwright's own browser downloads cannot run here. */
export const CHROMIUM_PATH = process.env.CHROME_PATH ?? "/usr/bin/chromium";

/** Flags for a headless Chromium in a container that must not phone home. */
export const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

/**
 * Starts Debian's Chromium. Playwright gives every launch a fresh, temporary user data dir
 * (deleted on close), and every `browser.newContext()` is a clean incognito-like profile.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
