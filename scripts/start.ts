/**
 * `npm start` / `npm run dev`: the real blog on http://localhost:8787 with local KV and D1, no
 * account needed. Builds the content (drafts and scheduled posts shown), loads it into local KV
 * and its search documents into local D1 (migrated first), starts `wrangler dev`, and rebuilds
 * whenever a file under content/ changes; the Worker reloads because the build rewrites its
 * release module. wrangler reloads it on its own when code under src/ (templates included) changes.
 *
 * Loads go through the local stores opened once in this process (scripts/local-data.ts) and send
 * only what the stores lack, so an edit loads a few KV entries and one search document, whatever
 * the size of the blog.
 *
 * The page cache is off here (`PAGE_CACHE=on npm start` turns it on): its keys carry the content
 * release, which a template edit does not change, so a cached page would hide the edit for up
 * to the cache bound.
 *
 * Environment: `PORT` (default 8787), `CONTENT_DIR` (default content), `PAGE_CACHE`, and the
 * secrets and settings `devVars` passes on (scripts/dev-vars.ts).
 */
import { spawn } from "node:child_process";
import { watch } from "node:fs";
import { devVars } from "./dev-vars.ts";
import {
  buildPreview,
  type LocalStores,
  loadBuild,
  localSalt,
  migrateLocalDatabase,
  openLocalStores,
} from "./local-data.ts";
import { wranglerEnv } from "./processes.ts";

const port = process.env.PORT ?? "8787";
const contentDir = process.env.CONTENT_DIR ?? "content";

/** Builds and loads; the time of each half goes to the log, for the writer and the dev-loop bench. */
async function buildAndLoad(stores: LocalStores): Promise<void> {
  const started = performance.now();
  await buildPreview(contentDir);
  const built = Math.round(performance.now() - started);
  console.log(`${await loadBuild(stores)}; build ${built} ms`);
}

// The first build runs while the database is migrated and the local stores are opened, one after
// the other: two Workers runtimes setting up the same local state at once can collide (SQLITE_BUSY).
const building = buildPreview(contentDir);
building.catch(() => {}); // awaited below; this only keeps an early failure from being "unhandled"
let stores: LocalStores | undefined;
try {
  await migrateLocalDatabase();
  console.log("local D1 is migrated");
  stores = await openLocalStores();
  await building;
  console.log(await loadBuild(stores));
} catch (error) {
  // The build or wrangler printed what is wrong; the message says which step.
  console.error((error as Error).message);
  await stores?.dispose();
  process.exit(1);
}
const local = stores;

const vars = devVars(process.env, port, localSalt);
const dev = spawn("wrangler", ["dev", "--port", port, ...vars.flatMap((v) => ["--var", v]), ...process.argv.slice(2)], {
  stdio: "inherit",
  env: wranglerEnv(),
});
dev.on("exit", (code) => {
  void local.dispose().finally(() => process.exit(code ?? 0));
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));

// One rebuild at a time; saves made while one runs are picked up by a single rebuild after it.
let running: Promise<void> | undefined;
let again = false;
async function rebuild(): Promise<void> {
  do {
    again = false;
    try {
      await buildAndLoad(local);
    } catch (error) {
      // A broken post must not stop the preview: the build printed what is wrong.
      console.error((error as Error).message);
    }
  } while (again);
  running = undefined;
}

let timer: NodeJS.Timeout | undefined;
watch(contentDir, { recursive: true }, () => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    if (running) again = true;
    else running = rebuild();
  }, 200);
});
