/**
 * Where the emulated account's data lives and its Workers run: one Miniflare instance (real
 * workerd, real KV and real SQLite D1 storage, persisted to a directory). A "store" Worker binds
 * every KV namespace and D1 database by id, so the API handlers read and write them; each Worker
 * with a deployment runs its live version beside it, bound to the same namespaces and databases
 * by the same ids, so the live site reads exactly what the API wrote.
 */
import { join } from "node:path";
import {
  convertV4MiniflareOptions,
  Miniflare,
  type V4QueueConsumerOptions,
  type V4QueueProducerOptions,
  type V4WorkerOptions,
} from "miniflare";
import type { AccountState, Binding, Script, Version } from "./state.ts";

const STORE = "store";
export const siteWorkerName = (script: string): string => `site-${script}`;
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
      return [{ ...siteWorker(script.name, version, this.#persistDir), ...triggers(this.#state, script) }];
    });
  }
}

/** What Cloudflare keeps beside a Worker's versions: the queues it consumes, its cron schedules. */
function triggers(state: AccountState, script: Script): Pick<V4WorkerOptions, "queueConsumers" | "cronTriggers"> {
  const queueConsumers: Record<string, V4QueueConsumerOptions> = {};
  for (const queue of state.queues.values()) {
    const consumer = queue.consumers.find((k) => k.script === script.name);
    if (!consumer) continue;
    const { batch_size, max_retries, max_wait_time_ms, retry_delay } = consumer.settings;
    queueConsumers[queue.name] = {
      ...(batch_size !== undefined && { maxBatchSize: batch_size }),
      ...(max_retries !== undefined && { maxRetries: max_retries }),
      ...(max_wait_time_ms !== undefined && { maxBatchTimeout: max_wait_time_ms / 1000 }),
      ...(retry_delay !== undefined && { retryDelay: retry_delay }),
      ...(consumer.deadLetterQueue && { deadLetterQueue: consumer.deadLetterQueue }),
    };
  }
  return { queueConsumers, cronTriggers: script.schedules.map((s) => s.cron) };
}

/** A deployed version as Miniflare runs it: its modules and its bindings, resolved to the account's resources. */
function siteWorker(script: string, version: Version, persistDir: string): V4WorkerOptions {
  const root = join(persistDir, "modules", version.id);
  const modules = version.modules.flatMap((m) => {
    const type = moduleType(m.contentType);
    return type ? [{ type, path: join(root, m.name), contents: m.contents }] : [];
  });
  const bindings: Record<string, string> = {};
  const kvNamespaces: Record<string, string> = {};
  const d1Databases: Record<string, string> = {};
  const ratelimits: NonNullable<V4WorkerOptions["ratelimits"]> = {};
  const queueProducers: Record<string, V4QueueProducerOptions> = {};
  const sendEmail: SendEmail[] = [];
  for (const b of version.bindings) {
    if (b.type === "plain_text" || b.type === "secret_text") bindings[b.name] = String(b.text);
    else if (b.type === "kv_namespace") kvNamespaces[b.name] = String(b.namespace_id);
    else if (b.type === "d1") d1Databases[b.name] = String(b.id);
    else if (b.type === "ratelimit")
      ratelimits[b.name] = {
        namespace_id: String(b.namespace_id),
        simple: b.simple as { limit: number; period?: 10 | 60 },
      };
    else if (b.type === "queue") queueProducers[b.name] = { queueName: String(b.queue_name) };
    else if (b.type === "send_email") sendEmail.push(emailBinding(b));
    else throw new Error(`the emulator cannot run a ${b.type} binding (${b.name}) yet`);
  }
  return {
    name: siteWorkerName(script),
    modulesRoot: root,
    modules: modules.sort(
      (a, b) => Number(b.path.endsWith(version.mainModule)) - Number(a.path.endsWith(version.mainModule)),
    ),
    compatibilityDate: version.compatibilityDate,
    compatibilityFlags: version.compatibilityFlags,
    bindings,
    kvNamespaces,
    d1Databases,
    ratelimits,
    queueProducers,
    email: { send_email: sendEmail },
  };
}

type SendEmail = NonNullable<NonNullable<V4WorkerOptions["email"]>["send_email"]>[number];

/** A `send_email` binding as uploaded (Miniflare runs it locally: nothing leaves the machine). */
function emailBinding(b: Binding): SendEmail {
  const list = (field: unknown) => (Array.isArray(field) ? field.map(String) : undefined);
  const senders = list(b.allowed_sender_addresses);
  const destinations = list(b.allowed_destination_addresses);
  return {
    name: b.name,
    ...(senders && { allowed_sender_addresses: senders }),
    ...(typeof b.destination_address === "string"
      ? { destination_address: b.destination_address }
      : destinations && { allowed_destination_addresses: destinations }),
  };
}

function moduleType(contentType: string): "ESModule" | "CommonJS" | "Text" | "Data" | "CompiledWasm" | undefined {
  if (contentType.startsWith("application/javascript+module")) return "ESModule";
  if (contentType.startsWith("application/javascript")) return "CommonJS";
  if (contentType.startsWith("text/plain")) return "Text";
  if (contentType.startsWith("application/wasm")) return "CompiledWasm";
  if (contentType.startsWith("application/octet-stream")) return "Data";
  return undefined; // source maps: uploaded with the version, not run
}
