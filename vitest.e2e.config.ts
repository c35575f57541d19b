import { defineConfig } from "vitest/config";

/**
 * `npm run test:e2e`: the reader's path in Debian's headless Chromium against the real Worker
 * (`wrangler dev` on workerd with local KV and D1, started once by the global setup).
 * Kept out of `npm test`: it needs /usr/bin/chromium and takes tens of seconds.
 */
export default defineConfig({
  test: {
    name: "e2e",
    include: ["test/e2e/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/e2e/global-setup.ts"],
    // One Chromium at a time: the machine has two cores and wrangler dev needs one.
    fileParallelism: false,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
