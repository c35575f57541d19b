import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { builtSearchSql, scheduledReleases, scheduledSearchSql } from "./test/fixtures/releases.ts";
import { startWebhookReceiver } from "./test/fixtures/webhook-receiver.ts";

/** The real build output (`npm run build` runs first in `npm test`), loaded into KV before each file. */
function builtKvEntries(): { key: string; value: string }[] {
  const dir = join("dist", "kv");
  return readdirSync(dir)
    .sort()
    .flatMap((file) => JSON.parse(readFileSync(join(dir, file), "utf8")));
}

/** The webhook receiver's URL, and notifications on: every comment's goes to its /hook/live. */
async function receiverBindings() {
  const url = await startWebhookReceiver();
  return {
    TEST_RECEIVER_URL: url,
    NOTIFY_WEBHOOK_URL: `${url}/hook/live`,
    NOTIFY_WEBHOOK_SECRET: "test-webhook-secret",
  };
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
                // A real HTTP receiver for the notification tests (test/src/notify/). Every comment
                // the tests post is notified to its /hook/live through the real local queue.
                ...(await receiverBindings()),
              },
            },
          })),
        ],
        test: { name: "worker", include: ["test/src/**/*.test.{ts,tsx}"], setupFiles: ["test/src/setup.ts"] },
      },
    ],
  },
});
