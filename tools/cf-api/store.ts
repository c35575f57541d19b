/**
 * Where the emulated account's data lives and its Workers run: one Miniflare instance (real
 * workerd, real KV and real SQLite D1 storage, persisted to a directory). A "store" Worker binds
 * every KV namespace and D1 database by id, so the API handlers read and write them; each Worker
 * with a deployment runs its live version beside it, bound to the same namespaces and databases
 * by the same ids, so the live site reads exactly what the API wrote.
 */
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from "miniflare";
import { liveWorker, siteWorkerName } from "./site-worker.ts";
import type { AccountState } from "./state.ts";

const STORE = "store";
const kvBinding = (id: string) => `KV_${id}`;
const d1Binding = (id: string) => `D1_${id.replaceAll("-", "_")}`;

/** Bulk KV operations, run inside workerd by the store Worker (one dispatch each, not one per key). */
export interface KvStore {
  put(
    pairs: { key: string; value: string; base64?: boolean; metadata?: unknown; expiration?: number }[],
  ): Promise<void>;
  delete(keys: string[]): Promise<void>;
  get(keys: string[]): Promise<Record<string, string | null>>;
  list(options: { prefix?: string; cursor?: string; limit?: number }): Promise<{
    keys: { name: string; expiration?: number; metadata?: unknown }[];
    list_complete: boolean;
    cursor?: string;
  }>;
}
/** The part of a D1 binding the API handlers use (Miniflare proxies the real one). */
export interface D1Store {
  prepare(sql: string): D1StoreStatement;
  batch(statements: D1StoreStatement[]): Promise<{ results: unknown[]; meta: Record<string, unknown> }[]>;
}
export interface D1StoreStatement {
  bind(...values: unknown[]): D1StoreStatement;
}

/** The store Worker: bulk KV operations on the binding a request names. */
const STORE_SCRIPT = `
const bytes = (b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
export default {
  async fetch(request, env) {
    const op = new URL(request.url).pathname.slice(1);
    const body = await request.json();
    const kv = env[body.binding];
    if (!kv) return new Response("no such namespace", { status: 404 });
    if (op === "put") {
      for (const p of body.pairs) {
        const options = {};
        if (p.metadata !== undefined) options.metadata = p.metadata;
        if (p.expiration !== undefined) options.expiration = p.expiration;
        await kv.put(p.key, p.base64 ? bytes(p.value) : p.value, options);
      }
      return Response.json({});
    }
    if (op === "delete") {
      for (const key of body.keys) await kv.delete(key);
      return Response.json({});
    }
    if (op === "get") {
      const values = {};
      for (const key of body.keys) values[key] = await kv.get(key, "text");
      return Response.json(values);
    }
    if (op === "list") return Response.json(await kv.list({ prefix: body.prefix, cursor: body.cursor, limit: body.limit }));
    return new Response("unknown operation", { status: 400 });
  },
};`;

export class Store {
  #mf: Miniflare | undefined;
  /** The last reconfiguration: the live site and the API wait for it. */
  #ready: Promise<unknown> = Promise.resolve();
  #stale = false;
  #fingerprint = "";
  /** How many times workerd took a new configuration (a test can count them). */
  restarts = 0;
  readonly #state: AccountState;
  readonly #persistDir: string;

  constructor(state: AccountState, persistDir: string) {
    this.#state = state;
    this.#persistDir = persistDir;
  }

  /**
   * The account changed (a namespace, database, deployment, consumer or cron): Miniflare takes it
   * before its next use, by the API or a reader. One `wrangler deploy` changes the account several
   * times with nothing reading in between, and each restart of workerd costs a second or so: it
   * restarts once. Whoever uses the store next waits for it, so no answer ever comes from before
   * the change.
   */
  refresh(): void {
    this.#stale = true;
  }

  async #reconfigure(): Promise<void> {
    this.#stale = false;
    const workers = [this.#storeWorker(), ...this.#siteWorkers()];
    // A change that changes no Worker (a queue nobody binds yet, a consumer updated with the same
    // settings, a cron set again) restarts nothing.
    const fingerprint = JSON.stringify(workers, (_key, value) =>
      value instanceof Uint8Array ? value.byteLength : value,
    );
    if (this.#mf && fingerprint === this.#fingerprint) return;
    this.#fingerprint = fingerprint;
    const options = convertV4MiniflareOptions({
      host: "127.0.0.1",
      port: 0,
      resourcePersistencePath: this.#persistDir,
      workers,
    });
    if (this.#mf) await this.#mf.setOptions(options);
    else {
      this.#mf = new Miniflare(options);
      await this.#mf.ready;
    }
    this.restarts++;
  }

  kv(id: string): KvStore {
    const call = async (op: string, body: unknown) => {
      const mf = await this.#miniflare();
      const response = await mf.dispatchFetch(`http://store/${op}`, {
        method: "POST",
        body: JSON.stringify({ binding: kvBinding(id), ...(body as object) }),
      });
      if (!response.ok) throw new Error(`store ${op}: ${await response.text()}`);
      return response.json();
    };
    return {
      put: async (pairs) => void (await call("put", { pairs })),
      delete: async (keys) => void (await call("delete", { keys })),
      get: (keys) => call("get", { keys }) as Promise<Record<string, string | null>>,
      list: (options) => call("list", options) as ReturnType<KvStore["list"]>,
    };
  }

  async d1(id: string): Promise<D1Store> {
    const mf = await this.#miniflare();
    return (await mf.getD1Database(d1Binding(id), STORE)) as unknown as D1Store;
  }

  /** The live version of a Worker, or undefined before its first deployment. */
  async site(script: string): Promise<{ fetch: typeof fetch } | undefined> {
    const mf = await this.#miniflare();
    if (!this.#state.liveVersion(script)) return undefined;
    return (await mf.getWorker(siteWorkerName(script))) as unknown as { fetch: typeof fetch };
  }

  /**
   * Runs the live version's scheduled handler for one of the Worker's registered crons, as
   * Cloudflare would at that time; a cron the Worker does not have is refused.
   */
  async runCron(script: string, cron: string, scheduledTime = new Date()): Promise<{ outcome: string }> {
    if (!this.#state.scripts.get(script)?.schedules.some((s) => s.cron === cron))
      throw new Error(`${script} has no cron trigger "${cron}"`);
    const mf = await this.#miniflare();
    const worker = (await mf.getWorker(siteWorkerName(script))) as unknown as {
      scheduled(options: { cron: string; scheduledTime: Date }): Promise<{ outcome: string }>;
    };
    return worker.scheduled({ cron, scheduledTime });
  }

  async dispose(): Promise<void> {
    await this.#ready.catch(() => undefined);
    await this.#mf?.dispose();
  }

  async #miniflare(): Promise<Miniflare> {
    this.#ready = this.#ready.then(() => (this.#stale || !this.#mf ? this.#reconfigure() : undefined));
    await this.#ready;
    return this.#mf as Miniflare;
  }

  #storeWorker(): V4WorkerOptions {
    return {
      name: STORE,
      modules: true,
      script: STORE_SCRIPT,
      compatibilityDate: "2026-11-01",
      kvNamespaces: Object.fromEntries([...this.#state.kv.keys()].map((id) => [kvBinding(id), id])),
      d1Databases: Object.fromEntries([...this.#state.d1.keys()].map((id) => [d1Binding(id), id])),
    };
  }

  #siteWorkers(): V4WorkerOptions[] {
    return [...this.#state.scripts.values()].flatMap((script) => {
      const version = this.#state.liveVersion(script.name);
      if (!version) return [];
      return [liveWorker(this.#state, script, version, this.#persistDir)];
    });
  }
}
