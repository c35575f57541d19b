import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { runSqlFile } from "./sql.ts";

// Every test file starts from the real build output in KV and a migrated D1 holding its search rows.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await runSqlFile(env.DB, env.TEST_SEARCH_SQL);
await Promise.all(env.TEST_KV_ENTRIES.map(({ key, value }) => env.CONTENT.put(key, value)));
