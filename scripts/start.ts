/**
 * `npm start` / `npm run dev`: the real blog on http://localhost:8787 with local KV and D1, no
 * account needed. Builds the content (drafts and scheduled posts shown), loads it into local KV,
 * migrates local D1, starts `wrangler dev`, and rebuilds whenever a file under content/ changes;
 * the Worker reloads because the build rewrites its release module. wrangler reloads it on its
 * own when code under src/ (templates included) changes.
 *
 * The page cache is off here (`PAGE_CACHE=on npm start` turns it on): its keys carry the content
 * release, which a template edit does not change, so a cached page would hide the edit for up
 * to the cache bound.
 */
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { buildAndLoadContent, localSalt, migrateLocalDatabase } from "./local-data.ts";

const port = process.env.PORT ?? "8787";

// Migrations first: loading the content writes search rows into a migrated D1.
migrateLocalDatabase();
buildAndLoadContent();

// Secrets for local comments: a random salt kept in .wrangler/, and ADMIN_TOKEN / TURNSTILE_SECRET
// when set in the environment (`ADMIN_TOKEN=... npm start` turns on /admin locally). The page
// cache is off unless PAGE_CACHE says otherwise (see above).
const vars = [
  `IP_HASH_SALT:${process.env.IP_HASH_SALT ?? localSalt()}`,
  `PAGE_CACHE:${process.env.PAGE_CACHE ?? "off"}`,
];
for (const name of ["ADMIN_TOKEN", "TURNSTILE_SECRET", "TURNSTILE_SITE_KEY"]) {
  const value = process.env[name];
  if (value) vars.push(`${name}:${value}`);
}

const dev = spawn("wrangler", ["dev", "--port", port, ...vars.flatMap((v) => ["--var", v]), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
});
dev.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));

let timer: NodeJS.Timeout | undefined;
watch("content", { recursive: true }, () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    try {
      buildAndLoadContent();
    } catch (error) {
      // A broken post must not stop the preview: the build printed what is wrong.
      console.error((error as Error).message);
    }
  }, 200);
});
