/**
 * How the real Worker's KV and D1 go through the models without changing the bundle: an entry
 * module put in front of it (the technique of bench/count-bindings.ts) hands the Worker an env
 * whose CONTENT and DB are small objects with the KV and D1 binding API that forward every call to
 * the Node side over one Miniflare service binding (`SIM`, a Node function, see datacenter.ts).
 * There the KV and D1 models route the call to the data center's cache, the central KV store,
 * the nearest replica or the primary, and wait the simulated round trips before answering.
 *
 * Why this way: the bundle is the one `wrangler deploy --dry-run` writes, byte for byte; the
 * wrappers are created once per isolate (the Worker memoises its settings per env object, so a
 * per-request env would add work a real isolate never does); and a D1 replica that must really be
 * stale needs a database the harness controls, which Miniflare's D1 (one local SQLite per
 * binding) is not. The price: each call crosses workerd -> Node on localhost (well under a
 * millisecond), which the real bindings do not.
 *
 * Binding calls are tied to their request through an AsyncLocalStorage (the `nodejs_als`
 * compatibility flag, added to the data centers' configuration only: the bundle does not use it).
 *
 * `x-sim-variant: ssr` on a request selects the "SSR + D1 on every view" baseline in the same
 * isolate: PAGE_CACHE off and every D1 query on the primary (read replication off).
 */

/** Request header naming a request, so the models can tell which request each binding call served. */
export const REQUEST_ID_HEADER = "x-sim-request";

/** Request header of a binding call: when the Worker issued it (ms since the epoch, workerd's clock). */
export const ISSUED_HEADER = "x-sim-issued";

/** Request header that selects a baseline variant of the Worker in a data center. */
export const VARIANT_HEADER = "x-sim-variant";

/** Source of the entry module; `bundleModule` is the bundle's path relative to it. */
export function simEntry(bundleModule: string, options: { primaryOnly: boolean }): string {
  return `import worker from ${JSON.stringify(bundleModule)};
import { AsyncLocalStorage } from "node:async_hooks";
const PRIMARY_ONLY = ${JSON.stringify(options.primaryOnly)};
// Which request a binding call belongs to (the harness adds up each request's time in the models).
const current = new AsyncLocalStorage();

async function call(sim, message) {
  const issued = String(Date.now());
  const res = await sim.fetch("http://sim/", {
    method: "POST",
    body: JSON.stringify(message),
    headers: { ${JSON.stringify(REQUEST_ID_HEADER)}: current.getStore() ?? "", ${JSON.stringify(ISSUED_HEADER)}: issued },
  });
  const out = await res.json();
  if (out.error) throw new Error(out.error);
  return out;
}

function decode(out, type) {
  if (out.value === null || out.value === undefined) return null;
  const bytes = () => (out.base64 ? Uint8Array.from(atob(out.value), (c) => c.charCodeAt(0)) : new TextEncoder().encode(out.value));
  const text = () => (out.base64 ? new TextDecoder().decode(bytes()) : out.value);
  if (type === "json") return JSON.parse(text());
  if (type === "arrayBuffer") return bytes().buffer;
  if (type === "stream") return new Response(bytes()).body;
  return text();
}

const typeOf = (options) => (typeof options === "string" ? options : (options?.type ?? "text"));

class SimKV {
  constructor(sim) { this.sim = sim; }
  async get(key, options) {
    const out = await call(this.sim, { kv: "get", key, cacheTtl: typeof options === "object" ? options?.cacheTtl : undefined });
    return decode(out, typeOf(options));
  }
  async getWithMetadata(key, options) {
    const out = await call(this.sim, { kv: "get", key, cacheTtl: typeof options === "object" ? options?.cacheTtl : undefined });
    return { value: decode(out, typeOf(options)), metadata: out.metadata ?? null, cacheStatus: null };
  }
  async put(key, value, options) {
    const text = typeof value === "string" ? value : new TextDecoder().decode(value);
    await call(this.sim, { kv: "put", key, value: text, metadata: options?.metadata ?? null });
  }
  async delete(key) { await call(this.sim, { kv: "delete", key }); }
  async list(options) {
    const out = await call(this.sim, { kv: "list", prefix: options?.prefix ?? "", limit: options?.limit ?? 1000 });
    return { keys: out.keys.map((name) => ({ name })), list_complete: true, cacheStatus: null };
  }
}

function param(value) {
  if (value === undefined) throw new Error("D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'");
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value !== null && typeof value === "object") throw new Error("D1_TYPE_ERROR: the simulation passes no blobs");
  return value;
}

function result(r, answer) {
  return {
    success: true,
    results: r.results,
    meta: {
      duration: 0, changes: r.changes, last_row_id: r.lastRowId, changed_db: r.changes > 0,
      rows_read: r.results.length, rows_written: r.changes, size_after: 0,
      served_by_region: answer.servedBy, served_by_primary: answer.primary,
    },
  };
}

class SimStatement {
  constructor(handle, sql, params = []) { this.handle = handle; this.sql = sql; this.params = params; }
  bind(...values) { return new SimStatement(this.handle, this.sql, values.map(param)); }
  async all() { return (await this.handle.run([this]))[0]; }
  async run() { return this.all(); }
  async first(column) {
    const row = (await this.all()).results[0];
    if (row === undefined) return null;
    if (column === undefined) return row;
    if (!(column in row)) throw new Error("D1_COLUMN_NOTFOUND: Column not found (" + column + ")");
    return row[column];
  }
  async raw(options) {
    const rows = (await this.all()).results;
    const values = rows.map((row) => Object.values(row));
    return options?.columnNames ? [Object.keys(rows[0] ?? {}), ...values] : values;
  }
}

class SimSession {
  constructor(sim, constraint, bookmark) { this.sim = sim; this.constraint = constraint; this.bookmark = bookmark; }
  prepare(sql) { return new SimStatement(this, sql); }
  async batch(statements) { return this.run(statements); }
  getBookmark() { return this.bookmark; }
  async run(statements) {
    const answer = await call(this.sim, {
      d1: "query",
      statements: statements.map((s) => ({ sql: s.sql, params: s.params })),
      route: { constraint: PRIMARY_ONLY || this.forcePrimary ? "primary-only" : this.constraint, bookmark: this.bookmark },
    }).catch((error) => { throw new Error("D1_ERROR: " + error.message); });
    if (this.constraint !== "none") this.bookmark = answer.bookmark;
    return answer.results.map((r) => result(r, answer));
  }
}

class SimD1 {
  constructor(sim, forcePrimary) { this.sim = sim; this.forcePrimary = forcePrimary; }
  #plain() { const s = new SimSession(this.sim, "none", null); s.forcePrimary = this.forcePrimary; return s; }
  prepare(sql) { return new SimStatement(this.#plain(), sql); }
  batch(statements) { return this.#plain().run(statements); }
  async exec(sql) { await this.#plain().run([{ sql, params: [] }]); return { count: 1, duration: 0 }; }
  withSession(constraintOrBookmark = "first-unconstrained") {
    const known = constraintOrBookmark === "first-primary" || constraintOrBookmark === "first-unconstrained";
    const s = new SimSession(this.sim, known ? constraintOrBookmark : "first-unconstrained", known ? null : constraintOrBookmark);
    s.forcePrimary = this.forcePrimary;
    return s;
  }
}

const envs = new WeakMap();
function simEnv(env, variant) {
  let made = envs.get(env);
  if (!made) {
    const kv = new SimKV(env.SIM);
    made = {
      main: { ...env, CONTENT: kv, DB: new SimD1(env.SIM, false) },
      ssr: { ...env, PAGE_CACHE: "off", CONTENT: kv, DB: new SimD1(env.SIM, true) },
    };
    envs.set(env, made);
  }
  return variant === "ssr" ? made.ssr : made.main;
}

export default {
  ...worker,
  fetch(request, env, ctx) {
    const id = request.headers.get(${JSON.stringify(REQUEST_ID_HEADER)}) ?? "";
    const variant = request.headers.get(${JSON.stringify(VARIANT_HEADER)});
    return current.run(id, () => worker.fetch(request, simEnv(env, variant), ctx));
  },
};
`;
}
