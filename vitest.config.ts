import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { builtSearchSql, scheduledReleases, scheduledSearchSql } from "./test/fixtures/releases.ts";

/** The real build output (`npm run build` runs first in `npm test`), loaded into KV before each file. */
function builtKvEntries(): { key: string; value: string }[] {
  const dir = join("dist", "kv");
  return readdirSync(dir)
    .sort()
    .flatMap((file) => JSON.parse(readFileSync(join(dir, file), "utf8")));
}

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/pipeline/**/*.test.ts", "test/scripts/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest(async () => ({
            wrangler: { configPath: "./wrangler.toml" },
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations("migrations"),
                TEST_KV_ENTRIES: builtKvEntries(),
                // The real build's search documents (dist/search) as SQL, loaded into D1 after the migrations.
                TEST_SEARCH_SQL: await builtSearchSql(),
                TEST_SEARCH_SCHEDULED_SQL: await scheduledSearchSql(),
                // As JSON text: the release index's interfaces are not Miniflare's Json type.
                TEST_SCHEDULED: JSON.stringify(await scheduledReleases()),
                // Secrets the comment tests need (never real values).
                IP_HASH_SALT: "test-salt-not-secret",
                ADMIN_TOKEN: "test-admin-token",
              },
            },
          })),
        ],
        test: { name: "worker", include: ["test/src/**/*.test.{ts,tsx}"], setupFiles: ["test/src/setup.ts"] },
      },
    ],
  },
});
