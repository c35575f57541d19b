/**
 * Quick probe: req/s of a few routes of the real bundle against a hello-world, one Miniflare
 * each, to see where per-request CPU goes. `node bench/probe-routes.ts [path...]`
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { helloWorldOptions } from "./hello-world.ts";
import { runLoad } from "./load.ts";
import { blogOptions, migrateD1, seedKv, start } from "./miniflare-worker.ts";

const paths = process.argv.slice(2).length ? process.argv.slice(2) : ["/robots.txt", "/posts/kpop-in-north-korea"];
const blog = await start(
  blogOptions({
    bundle: "dist/worker/index.js",
    persistDir: mkdtempSync(join(tmpdir(), "probe-")),
    vars: { IP_HASH_SALT: "x" },
  }),
);
await seedKv(blog.mf, "dist/kv");
await migrateD1(blog.mf, "migrations");
const page = await (await fetch(new URL("/posts/kpop-in-north-korea", blog.url))).text();
const hello = await start(helloWorldOptions(page, "2026-11-01"));
const shape = { connections: 16, durationSeconds: 3, tool: "wrk" as const };
for (let round = 0; round < 2; round++) {
  const h = await runLoad({ url: new URL("/", hello.url).toString() }, shape);
  console.log(`hello ${Math.round(h.rps)} req/s`);
  for (const path of paths) {
    await fetch(new URL(path, blog.url));
    const r = await runLoad({ url: new URL(path, blog.url).toString() }, shape);
    console.log(`${path} ${Math.round(r.rps)} req/s (${(r.rps / h.rps).toFixed(2)}x)`);
  }
}
await blog.mf.dispose();
await hello.mf.dispose();
