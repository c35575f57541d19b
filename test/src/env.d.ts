declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
    TEST_KV_ENTRIES: { key: string; value: string }[];
    /** JSON of the sample posts plus two scheduled in 2999 (test/fixtures/releases.ts `scheduledReleases`). */
    TEST_SCHEDULED: string;
  }
}
