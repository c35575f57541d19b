/**
 * The second control of `npm run bench`: the cache-miss instance (same bundle, PAGE_CACHE off, no
 * Cache API) with its D1 binding answered outside the workerd process, as production's D1 binding
 * is answered over the network. Locally Miniflare's D1 simulator (a Durable Object and its SQLite)
 * runs in the same workerd process as the Worker, so its work is counted in the process's CPU;
 * in production that work is D1's, not the Worker's.
 *
 * How: bench:regions' entry module (bench/regions/sim-entry.ts) in front of the unmodified
 * bundle hands the Worker KV and D1 objects with the bindings' API that forward every call as
 * JSON over a Miniflare service binding to a Node function (served over HTTP on localhost, so the
 * call leaves workerd straight from the Worker's fetch: see `Transport`); there bench:regions' D1 model runs
 * the SQL with node:sqlite on a copy of the miss instance's own migrated and seeded database
 * (primary only, no replicas, no simulated round trip) and its KV model answers from the build's
 * KV files. That JSON over a service binding stands for the real D1 client's, which is also JSON
 * over a fetch. The entry replaces KV too; a warm miss makes no KV call (the Worker keeps
 * immutable values in isolate memory), which the counts in the report show.
 */
import { mkdirSync, readdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { basename, dirname, join, resolve } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { Response as MfResponse, type V4MiniflareOptions } from "miniflare";
import { countingEntry } from "./count-bindings.ts";
import { type BlogInstanceOptions, blogOptions } from "./miniflare-worker.ts";
import { D1Model } from "./regions/d1-model.ts";
import type { Message } from "./regions/datacenter.ts";
import { KvModel } from "./regions/kv-model.ts";
import { type Region, SimClock } from "./regions/network.ts";
import { simEntry } from "./regions/sim-entry.ts";
import { bulkEntries } from "./regions/world.ts";

/** One region for everything: the models' round trips are not waited for here. */
const REGION: Region = "virginia";

/** The models' clock with every delay at zero: this control measures CPU, not distance. */
class NoWait extends SimClock {
  override delay(): Promise<void> {
    return Promise.resolve();
  }
}

/** The Node side: the models, and how many calls reached each since the last `reset`. */
export class OutsideBindings {
  readonly d1: D1Model;
  readonly kv: KvModel;
  calls = { kv: 0, d1: 0 };

  /** `dbFile`: a SQLite copy to serve (see `copyMiniflareD1`); `distDir`: the build (its kv/ files). */
  constructor(work: string, dbFile: string, distDir: string) {
    const clock = new NoWait();
    mkdirSync(work, { recursive: true });
    copySqlite(dbFile, join(work, "primary.sqlite"));
    this.d1 = new D1Model(clock, { dir: work, primary: REGION, replicas: [], lagMs: 0 });
    this.kv = new KvModel(clock, [REGION]);
    this.kv.seed(bulkEntries(distDir));
  }

  reset(): void {
    this.calls = { kv: 0, d1: 0 };
  }

  /** The service binding's handler: one KV or D1 call of the entry module. */
  readonly handle = async (request: Request): Promise<Response> => {
    try {
      const message = (await request.json()) as Message;
      return json(await this.#answer(message));
    } catch (error) {
      // The entry module turns `error` into the exception the binding would throw.
      return json({ error: (error as Error).message });
    }
  };

  async #answer(message: Message): Promise<unknown> {
    if ("d1" in message) {
      this.calls.d1++;
      return this.d1.query(REGION, message.statements, message.route);
    }
    this.calls.kv++;
    if (message.kv === "get") {
      const stored = await this.kv.get(REGION, message.key, message.cacheTtl);
      return stored ? { value: stored.value, metadata: stored.metadata, base64: stored.base64 } : { value: null };
    }
    if (message.kv === "put") await this.kv.put(REGION, message.key, message.value, message.metadata);
    else if (message.kv === "delete") await this.kv.delete(REGION, message.key);
    else return { keys: await this.kv.list(REGION, message.prefix, message.limit) };
    return {};
  }

  #server: Server | undefined;
  /** Where `listen` serves the calls ("127.0.0.1:port"), once it has. */
  address: string | undefined;

  /** Serves the same calls over HTTP on a free localhost port (the "external" `Transport`); returns its address. */
  async listen(): Promise<string> {
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let out: unknown;
      try {
        out = await this.#answer(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Message);
      } catch (error) {
        out = { error: (error as Error).message };
      }
      const body = JSON.stringify(out ?? {});
      res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    this.#server = server;
    const address = server.address();
    this.address = `127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
    return this.address;
  }

  close(): void {
    this.#server?.closeAllConnections();
    this.#server?.close();
    this.d1.close();
  }
}

function json(value: unknown): Response {
  return new MfResponse(JSON.stringify(value ?? {}), {
    headers: { "content-type": "application/json" },
  }) as unknown as Response;
}

/** A consistent copy of a SQLite database (its WAL included), as one file. */
function copySqlite(from: string, to: string): void {
  const db = new DatabaseSync(from, { readOnly: true });
  try {
    db.exec(`VACUUM INTO '${to.replaceAll("'", "''")}'`);
  } finally {
    db.close();
  }
}

/** The SQLite file of the one D1 database Miniflare persisted under `persistDir` (its instance stopped). */
export function miniflareD1File(persistDir: string): string {
  const dir = join(persistDir, "d1", "miniflare-D1DatabaseObject");
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.length}`);
  return join(dir, files[0] as string);
}

/** How the entry module's calls reach the Node side. */
export interface Transport {
  /**
   * "external" (what the bench measures): the `SIM` service binding is workerd's external HTTP
   * service pointed at `outside.listen()`'s address, so each call leaves the workerd process
   * straight from the Worker's fetch, as a network binding's does. "function": Miniflare's
   * function service binding (what bench:regions uses), which passes each call through one more
   * Worker inside workerd (Miniflare's custom-fetch service) on its way to Node; that hop's CPU
   * counts in workerd's (about 300 µs a call on this machine, measured side by side).
   */
  via: "external" | "function";
  /**
   * Stack bench/count-bindings.ts's entry in front (probe instances only): it counts the calls
   * that still reach Miniflare's own KV and D1 (none should).
   */
  countBindings?: boolean;
}

/** Miniflare options for the bundle behind the entry module, its `SIM` binding answered by `outside`. */
export function d1OutsideOptions(
  spec: BlogInstanceOptions,
  outside: OutsideBindings,
  transport: Transport,
): V4MiniflareOptions {
  const base = blogOptions({ ...spec, countBindings: false }) as V4MiniflareOptions & {
    scriptPath?: string;
    modules?: unknown;
    compatibilityFlags?: string[];
    serviceBindings?: object;
  };
  const { scriptPath: _s, modules: _m, ...rest } = base;
  const bundle = resolve(spec.bundle);
  const root = dirname(bundle);
  const entry = {
    type: "ESModule" as const,
    path: join(root, "bench-d1-outside.mjs"),
    contents: simEntry(`./${basename(bundle)}`, { primaryOnly: true }),
  };
  const count = {
    type: "ESModule" as const,
    path: join(root, "bench-d1-outside-count.mjs"),
    contents: countingEntry("./bench-d1-outside.mjs", ["CONTENT"], ["DB"]),
  };
  return {
    ...rest,
    // sim-entry ties each call to its request with an AsyncLocalStorage; the bundle does not use it.
    compatibilityFlags: [...(base.compatibilityFlags ?? []), "nodejs_als"],
    modulesRoot: root,
    modules: [...(transport.countBindings ? [count] : []), entry, { type: "ESModule" as const, path: bundle }],
    serviceBindings: { ...(base.serviceBindings ?? {}), SIM: simService(outside, transport) },
  } as V4MiniflareOptions;
}

function simService(outside: OutsideBindings, transport: Transport) {
  if (transport.via === "function") return outside.handle;
  if (!outside.address) throw new Error("the external transport needs outside.listen() first");
  return { external: { address: outside.address, http: {} } };
}
