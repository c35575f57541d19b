import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Every test file starts from the real build output in KV and a migrated D1.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await Promise.all(env.TEST_KV_ENTRIES.map(({ key, value }) => env.CONTENT.put(key, value)));
