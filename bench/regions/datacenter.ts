/**
 * A data center: its own Miniflare instance (its own workerd, so its own isolate memory and Cache
 * API, persisted in its own directory) running the real bundle behind the entry of sim-entry.ts,
 * with its KV and D1 calls answered by the shared models as seen from its region. A deploy swaps
 * the bundle (`setOptions`): new isolates, the Cache API kept, as on Cloudflare. Requests that
 * arrive during the swap wait for it.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { convertV4MiniflareOptions, Response as MfResponse, type Miniflare } from "miniflare";
import { blogOptions, start } from "../miniflare-worker.ts";
import type { D1Model, Route, Sql } from "./d1-model.ts";
import type { KvModel } from "./kv-model.ts";
import type { Region } from "./network.ts";
import { ISSUED_HEADER, REQUEST_ID_HEADER, simEntry } from "./sim-entry.ts";
import type { BindingWaits, CallKind } from "./waits.ts";

export interface DataCenterOptions {
  name: string;
  region: Region;
  bundle: string;
  persistDir: string;
  vars: Record<string, string>;
  kv: KvModel;
  d1: D1Model;
  /** Where each request's time in the models is added up. */
  waits: BindingWaits;
  /** The single-origin baseline: every D1 query on the primary. */
  primaryOnly?: boolean;
}

/** One binding call of the entry module (sim-entry.ts), as it reaches the Node side. */
export type Message =
  | { kv: "get"; key: string; cacheTtl?: number }
  | { kv: "put"; key: string; value: string; metadata: unknown }
  | { kv: "delete"; key: string }
  | { kv: "list"; prefix: string; limit: number }
  | { d1: "query"; statements: Sql[]; route: Route };

/** Answers one call of the entry module from region `region`, with its simulated cost in ms and its kind. */
async function answer(
  options: DataCenterOptions,
  message: Message,
): Promise<{ out: unknown; ms: number; kind?: CallKind }> {
  const { kv, d1, region } = options;
  if ("d1" in message) {
    const out = await d1.query(region, message.statements, message.route);
    return { out, ms: out.simulatedMs };
  }
  if (message.kv === "get") {
    const { stored, ms, from } = await kv.read(region, message.key, message.cacheTtl);
    const value = stored ? { value: stored.value, metadata: stored.metadata, base64: stored.base64 } : { value: null };
    return { out: value, ms, ...(from === "central" ? { kind: { kvCentral: message.key } } : {}) };
  }
  const ms = kv.writeMs(region);
  if (message.kv === "put") await kv.put(region, message.key, message.value, message.metadata);
  else if (message.kv === "delete") await kv.delete(region, message.key);
  else return { out: { keys: await kv.list(region, message.prefix, message.limit) }, ms };
  return { out: {}, ms };
}

export class DataCenter {
  readonly name: string;
  readonly region: Region;
  release = "";
  #mf: Miniflare | null = null;
  #url: URL | null = null;
  #swap: Promise<void> | null = null;
  readonly #options: DataCenterOptions;

  constructor(options: DataCenterOptions) {
    this.#options = options;
    this.name = options.name;
    this.region = options.region;
  }

  #miniflareOptions(bundle: string) {
    const base = blogOptions({
      bundle,
      persistDir: this.#options.persistDir,
      vars: this.#options.vars,
      rateLimit: 1e9,
    });
    const root = dirname(resolve(bundle));
    const entry = join(root, `sim-entry-${this.#options.primaryOnly ? "origin" : "dc"}.mjs`);
    const contents = simEntry(`./${basename(bundle)}`, { primaryOnly: this.#options.primaryOnly ?? false });
    writeFileSync(entry, contents);
    const { scriptPath: _s, modules: _m, ...rest } = base as typeof base & { scriptPath?: string; modules?: unknown };
    const handler = async (request: Request) => {
      const started = Date.now();
      const id = request.headers.get(REQUEST_ID_HEADER) ?? "";
      const issued = Number(request.headers.get(ISSUED_HEADER) ?? Number.NaN);
      try {
        const { out, ms, kind } = await answer(this.#options, (await request.json()) as Message);
        const call = { from: started, to: Date.now(), ms, ...(kind ? { kind } : {}) };
        this.#options.waits.add(id, Number.isFinite(issued) ? { ...call, issued } : call);
        return new MfResponse(JSON.stringify(out ?? {}), { headers: { "content-type": "application/json" } });
      } catch (error) {
        return new MfResponse(JSON.stringify({ error: (error as Error).message }), { status: 200 });
      }
    };
    return {
      ...rest,
      compatibilityFlags: [...((rest.compatibilityFlags as string[] | undefined) ?? []), "nodejs_als"],
      modulesRoot: root,
      modules: [
        { type: "ESModule" as const, path: entry, contents },
        { type: "ESModule" as const, path: resolve(bundle) },
      ],
      serviceBindings: { ...(rest.serviceBindings ?? {}), SIM: handler },
    };
  }

  /** Starts the instance on `bundle` (release `release`). */
  async start(bundle: string, release: string): Promise<void> {
    mkdirSync(this.#options.persistDir, { recursive: true });
    const running = await start(this.#miniflareOptions(bundle) as Parameters<typeof start>[0]);
    this.#mf = running.mf;
    this.#url = running.url;
    this.release = release;
  }

  /** Deploys `bundle`: requests arriving meanwhile wait; in-flight ones finish on the old isolates. */
  async deploy(bundle: string, release: string): Promise<void> {
    const mf = this.#mf;
    if (!mf) throw new Error(`${this.name} is not started`);
    this.#swap = (async () => {
      await mf.setOptions(convertV4MiniflareOptions(this.#miniflareOptions(bundle) as never));
      this.#url = await mf.ready;
      this.release = release;
    })();
    await this.#swap;
    this.#swap = null;
  }

  /** The address to send a request to, once no deploy is under way. */
  async url(): Promise<URL> {
    if (this.#swap) await this.#swap;
    if (!this.#url) throw new Error(`${this.name} is not started`);
    return this.#url;
  }

  async stop(): Promise<void> {
    await this.#mf?.dispose();
    this.#mf = null;
  }
}
