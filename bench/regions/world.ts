/**
 * The simulated deployment, set up: the KV and D1 models loaded as a deploy loads them (release
 * A's KV entries in the central stores, D1 migrated and both releases' search documents loaded,
 * then copied to the replicas), one data center per region, the single-origin server, and the
 * static CDN floor (a Node server answering a fixed page at once).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import type { DatabaseSync } from "node:sqlite";
import { type D1Like, loadSearch } from "../../scripts/search-load.ts";
import { D1Model } from "./d1-model.ts";
import { DataCenter } from "./datacenter.ts";
import { KvModel } from "./kv-model.ts";
import { type Region, SimClock } from "./network.ts";
import type { Release } from "./releases.ts";
import { BindingWaits } from "./waits.ts";

export interface WorldOptions {
  work: string;
  regions: readonly Region[];
  primary: Region;
  replicas: readonly Region[];
  lagMs: number;
  boundSeconds: number;
}

export interface World {
  clock: SimClock;
  kv: KvModel;
  d1: D1Model;
  dcs: Map<Region, DataCenter>;
  origin: DataCenter;
  waits: BindingWaits;
  floorUrl: string;
  stop(): Promise<void>;
}

/** KV bulk entries of a build (`wrangler kv bulk put` files). */
export function bulkEntries(out: string): { key: string; value: string; base64?: boolean; metadata?: unknown }[] {
  const dir = join(out, "kv");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(dir, f), "utf8")));
}

function migrate(db: DatabaseSync): void {
  for (const file of readdirSync("migrations")
    .filter((f) => f.endsWith(".sql"))
    .sort())
    db.exec(readFileSync(join("migrations", file), "utf8"));
}

/** node:sqlite behind the D1-like interface scripts/search-load.ts loads through. */
function d1Like(db: DatabaseSync): D1Like {
  const sqlOf = new WeakMap<object, string>();
  const prepare = (sql: string) => {
    const statement = { all: async <T>() => ({ results: db.prepare(sql).all() as T[] }) };
    sqlOf.set(statement, sql);
    return statement;
  };
  return {
    prepare,
    batch: async (statements) => {
      db.exec("BEGIN");
      for (const s of statements) db.prepare(sqlOf.get(s) ?? "").run();
      db.exec("COMMIT");
      return [];
    },
  };
}

async function floorServer(page: Buffer): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=UTF-8", "content-length": page.length });
    res.end(page);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}

/** Sets everything up on release A (B's KV goes up at deploy time, see workload.ts). */
export async function startWorld(options: WorldOptions, releases: Release[]): Promise<World> {
  const [a, b] = releases as [Release, Release];
  const clock = new SimClock(1);
  const kv = new KvModel(clock);
  kv.seed(bulkEntries(a.out));
  const d1 = new D1Model(clock, {
    dir: options.work,
    primary: options.primary,
    replicas: options.replicas,
    lagMs: options.lagMs,
  });
  migrate(d1.primaryDb);
  // Both releases' search documents, as each deploy loads its own before its Worker goes live.
  for (const r of [a, b]) await loadSearch(d1Like(d1.primaryDb), join(r.out, "search"));
  d1.startReplicas();
  const vars = {
    IP_HASH_SALT: "regions-bench-salt",
    CACHE_BOUND_SECONDS: String(options.boundSeconds),
    NOTIFY_MODE: "off",
    SITE_URL: "http://localhost:8787",
  };
  const waits = new BindingWaits();
  const dcs = new Map<Region, DataCenter>();
  for (const region of options.regions) {
    const dc = new DataCenter({
      name: region,
      region,
      bundle: a.bundle,
      persistDir: join(options.work, `dc-${region}`),
      vars,
      kv,
      d1,
      waits,
    });
    dcs.set(region, dc);
  }
  const origin = new DataCenter({
    name: "origin",
    region: options.primary,
    bundle: a.bundle,
    persistDir: join(options.work, "origin"),
    vars,
    kv,
    d1,
    waits,
    primaryOnly: true,
  });
  await Promise.all([...dcs.values(), origin].map((dc) => dc.start(a.bundle, a.release)));
  const sample = await fetch(new URL("/posts/kpop-in-north-korea", await origin.url()));
  const floor = await floorServer(Buffer.from(await sample.arrayBuffer()));
  return {
    clock,
    kv,
    d1,
    dcs,
    origin,
    waits,
    floorUrl: floor.url,
    async stop() {
      await Promise.all([...dcs.values(), origin].map((dc) => dc.stop()));
      floor.server.close();
      d1.close();
    },
  };
}
