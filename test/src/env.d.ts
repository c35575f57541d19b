declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_KV_ENTRIES: { key: string; value: string }[];
    /** JSON of the sample posts plus two scheduled in 2999 (test/fixtures/releases.ts `scheduledReleases`). */
    TEST_SCHEDULED: string;
    /** The real build's search documents (dist/search) as SQL for a fresh D1, one statement per line. */
    TEST_SEARCH_SQL: string;
    /** Search documents of the sample posts plus the two scheduled in 2999, under the real build's release id. */
    TEST_SEARCH_SCHEDULED_SQL: string;
    /** The base URL of the webhook receiver test/fixtures/webhook-receiver.ts runs for these tests. */
    TEST_RECEIVER_URL: string;
  }
}
