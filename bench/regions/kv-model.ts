/**
 * Workers KV as Cloudflare documents it ("How KV works", Cloudflare KV docs,
 * kv/concepts/how-kv-works):
 * - "It stores data in a small number of centralized data centers, then caches that data in
 *   Cloudflare's data centers after access." Where the central stores are is not published: the
 *   model puts them in `centralRegions` (default Virginia and Frankfurt, an assumption).
 * - "Initial reads from a location do not have a cached value. Data must be read from the nearest
 *   regional tier, followed by a central tier, degrading finally to the central stores": a read
 *   that misses the data center's cache pays one round trip to the nearest central store (the
 *   regional and central tiers in between are not modelled, so a cold read is if anything cheaper
 *   here than in production).
 * - cacheTtl: "the length of time in seconds that a KV result is cached in the global network
 *   location it is accessed from" (KV glossary), default 60 s, minimum 60 s ("a minimum cacheTtl
 *   of 60 seconds"). A cached value is served until it expires, whatever was written since.
 * - "Changes are usually immediately visible in the Cloudflare global network location at which
 *   they are made. Changes may take up to 60 seconds or more to be visible in other global network
 *   locations as their cached versions of the data time out." and "Negative lookups indicating that
 *   the key does not exist are also cached": a put updates the central store and the writer's own
 *   cache; other caches keep what they hold (a value or a "not found") until it expires.
 */
import { nearest, type Region, rtt, type SimClock } from "./network.ts";

const DEFAULT_CACHE_TTL_S = 60;
const MIN_CACHE_TTL_S = 60;

/** A value as the central store holds it (`base64`: binary, as in the bulk files). */
export interface Stored {
  value: string;
  metadata: unknown;
  base64?: boolean;
}

interface Cached {
  stored: Stored | null;
  expires: number;
}

/** What one KV call cost and where it was answered (recorded per request by the harness). */
export interface KvCall {
  key: string;
  from: "cache" | "central";
  simulatedMs: number;
}

export class KvModel {
  readonly #central = new Map<string, Stored>();
  readonly #caches = new Map<Region, Map<string, Cached>>();
  readonly #clock: SimClock;
  readonly centralRegions: readonly Region[];
  /** Every call, for the report (reads answered by the cache vs the central store). */
  readonly calls: { dc: Region; call: KvCall }[] = [];

  constructor(clock: SimClock, centralRegions: readonly Region[] = ["virginia", "frankfurt"]) {
    this.#clock = clock;
    this.centralRegions = centralRegions;
  }

  /** Loads entries straight into the central stores (the deploy's `wrangler kv bulk put`). */
  seed(entries: Iterable<{ key: string; value: string; metadata?: unknown; base64?: boolean }>): number {
    let n = 0;
    for (const e of entries) {
      this.#central.set(e.key, { value: e.value, metadata: e.metadata ?? null, base64: e.base64 === true });
      n++;
    }
    return n;
  }

  #cache(dc: Region): Map<string, Cached> {
    let cache = this.#caches.get(dc);
    if (!cache) {
      cache = new Map();
      this.#caches.set(dc, cache);
    }
    return cache;
  }

  /** A read from data center `dc`, honouring `cacheTtl` (seconds). */
  async get(dc: Region, key: string, cacheTtl?: number): Promise<Stored | null> {
    return (await this.read(dc, key, cacheTtl)).stored;
  }

  /** `get`, with the simulated ms it cost (0 from the data center's cache) and where it was answered. */
  async read(
    dc: Region,
    key: string,
    cacheTtl?: number,
  ): Promise<{ stored: Stored | null; ms: number; from: KvCall["from"] }> {
    const cache = this.#cache(dc);
    const hit = cache.get(key);
    if (hit && hit.expires > Date.now()) {
      this.calls.push({ dc, call: { key, from: "cache", simulatedMs: 0 } });
      return { stored: hit.stored, ms: 0, from: "cache" };
    }
    const ms = rtt(dc, nearest(dc, this.centralRegions));
    await this.#clock.delay(ms);
    const stored = this.#central.get(key) ?? null;
    const ttl = Math.max(MIN_CACHE_TTL_S, cacheTtl ?? DEFAULT_CACHE_TTL_S);
    cache.set(key, { stored, expires: Date.now() + ttl * 1000 });
    this.calls.push({ dc, call: { key, from: "central", simulatedMs: ms } });
    return { stored, ms, from: "central" };
  }

  /** A write (put or delete) costs the round trip to the nearest central store. */
  writeMs(dc: Region): number {
    return rtt(dc, nearest(dc, this.centralRegions));
  }

  /** A write from `dc`: to the central store, visible at once in `dc` only. */
  async put(dc: Region, key: string, value: string, metadata: unknown = null): Promise<void> {
    await this.#clock.delay(rtt(dc, nearest(dc, this.centralRegions)));
    const stored = { value, metadata };
    this.#central.set(key, stored);
    this.#cache(dc).set(key, { stored, expires: Date.now() + DEFAULT_CACHE_TTL_S * 1000 });
  }

  /** A delete from `dc` (as a put of "not found"). */
  async delete(dc: Region, key: string): Promise<void> {
    await this.#clock.delay(rtt(dc, nearest(dc, this.centralRegions)));
    this.#central.delete(key);
    this.#cache(dc).set(key, { stored: null, expires: Date.now() + DEFAULT_CACHE_TTL_S * 1000 });
  }

  /** Keys with a prefix, from the central store (list is not cached in this model). */
  async list(dc: Region, prefix = "", limit = 1000): Promise<string[]> {
    await this.#clock.delay(rtt(dc, nearest(dc, this.centralRegions)));
    return [...this.#central.keys()]
      .filter((k) => k.startsWith(prefix))
      .sort()
      .slice(0, limit);
  }
}
