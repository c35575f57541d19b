import { defineConfig } from "vitest/config";

/**
 * `npm run test:deploy`: the deploy scripts with the real wrangler binary against the Cloudflare
 * API emulator (tools/cf-api). Each file runs its own emulator and deploys; they take a minute or
 * two, so they are not part of `npm test`; `.ci/run` runs them.
 */
export default defineConfig({
  test: {
    include: ["test/tools/**/*.test.ts"],
    environment: "node",
    // The files mostly wait for wrangler and the emulator: run all three at once, even on 2 cores
    // (vitest would otherwise run one file at a time there).
    maxWorkers: 3,
    // Generous: a deploy takes seconds, but the machine may be busy.
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
