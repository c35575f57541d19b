/**
 * Counts what a request costs in binding calls without the Worker's help: an entry module put in
 * front of the bundle that, only for requests carrying `x-bench-count`, hands the Worker counting
 * wrappers of its KV and D1 bindings and reports the tally in an `x-bench-bindings` response
 * header (JSON: kv calls, d1 calls, d1 rows_read summed from result meta). Used only on the probe
 * instances, never on the ones under load. D1 `first()` is answered through `all()` so its
 * rows_read can be read; `raw()` has no meta, so its rows are not counted.
 */

/** The request header that turns counting on, and the response header with the tally. */
export const COUNT_REQUEST_HEADER = "x-bench-count";
export const COUNT_RESPONSE_HEADER = "x-bench-bindings";

/** Tally of one request, as the entry module reports it (ms: wall time spent awaiting the calls). */
export interface BindingTally {
  kv: number;
  d1: number;
  rowsRead: number;
  kvMs?: number;
  d1Ms?: number;
  totalMs?: number;
}

/** Reads the tally header; undefined when absent or malformed. */
export function parseTally(header: string | null): BindingTally | undefined {
  if (!header) return undefined;
  try {
    const value = JSON.parse(header) as Partial<BindingTally>;
    return typeof value.kv === "number" && typeof value.d1 === "number" && typeof value.rowsRead === "number"
      ? {
          kv: value.kv,
          d1: value.d1,
          rowsRead: value.rowsRead,
          ...(typeof value.kvMs === "number" ? { kvMs: value.kvMs } : {}),
          ...(typeof value.d1Ms === "number" ? { d1Ms: value.d1Ms } : {}),
          ...(typeof value.totalMs === "number" ? { totalMs: value.totalMs } : {}),
        }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Source of the counting entry module; `bundleModule` is the bundle's path relative to it. */
export function countingEntry(bundleModule: string, kvBindings: string[], d1Bindings: string[]): string {
  return `import worker from ${JSON.stringify(bundleModule)};
const KV = ${JSON.stringify(kvBindings)};
const D1 = ${JSON.stringify(d1Bindings)};
const KV_CALLS = new Set(["get", "getWithMetadata", "put", "list", "delete"]);
const real = new WeakMap();

// Wall time awaiting a binding (workerd's clock moves across I/O, which is what this measures).
function timed(tally, field, promise) {
  const t0 = Date.now();
  return Promise.resolve(promise).finally(() => {
    tally[field] += Date.now() - t0;
  });
}

function countKv(kv, tally) {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args) => {
        if (!KV_CALLS.has(prop)) return value.apply(target, args);
        tally.kv++;
        return timed(tally, "kvMs", value.apply(target, args));
      };
    },
  });
}

function addRows(tally, result) {
  tally.rowsRead += Number(result?.meta?.rows_read ?? 0);
}

function countStatement(statement, tally) {
  const proxy = new Proxy(statement, {
    get(target, prop) {
      if (prop === "bind") return (...args) => countStatement(target.bind(...args), tally);
      if (prop === "all" || prop === "run")
        return async (...args) => {
          tally.d1++;
          const result = await timed(tally, "d1Ms", target[prop](...args));
          addRows(tally, result);
          return result;
        };
      if (prop === "first")
        return async (column) => {
          tally.d1++;
          const result = await timed(tally, "d1Ms", target.all());
          addRows(tally, result);
          const row = result.results[0];
          return row === undefined ? null : column === undefined ? row : (row[column] ?? null);
        };
      if (prop === "raw")
        return (...args) => {
          tally.d1++;
          return timed(tally, "d1Ms", target.raw(...args));
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  real.set(proxy, statement);
  return proxy;
}

function countD1(db, tally) {
  return new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql) => countStatement(target.prepare(sql), tally);
      if (prop === "withSession") return (...args) => countD1(target.withSession(...args), tally);
      if (prop === "batch")
        return async (statements) => {
          tally.d1++;
          const results = await timed(tally, "d1Ms", target.batch(statements.map((s) => real.get(s) ?? s)));
          for (const result of results) addRows(tally, result);
          return results;
        };
      if (prop === "exec")
        return (...args) => {
          tally.d1++;
          return timed(tally, "d1Ms", target.exec(...args));
        };
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export default {
  ...worker,
  async fetch(request, env, ctx) {
    const t0 = Date.now();
    if (!request.headers.has(${JSON.stringify(COUNT_REQUEST_HEADER)})) return worker.fetch(request, env, ctx);
    const tally = { kv: 0, d1: 0, rowsRead: 0, kvMs: 0, d1Ms: 0 };
    const counted = { ...env };
    for (const name of KV) if (env[name]) counted[name] = countKv(env[name], tally);
    for (const name of D1) if (env[name]) counted[name] = countD1(env[name], tally);
    const response = await worker.fetch(request, counted, ctx);
    // Read the whole body first: a streamed page may still be calling bindings.
    const body = await response.arrayBuffer();
    const headers = new Headers(response.headers);
    headers.set(${JSON.stringify(COUNT_RESPONSE_HEADER)}, JSON.stringify({ ...tally, totalMs: Date.now() - t0 }));
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  },
};
`;
}
