import { deriveEnv } from "./env-memo.ts";

/** Wrapped object -> the real one, so wrapped D1 statements can be handed back to `batch()`. */
const originals = new WeakMap<object, object>();
const unwrap = (arg: unknown): unknown =>
  Array.isArray(arg) ? arg.map(unwrap) : (arg !== null && typeof arg === "object" && originals.get(arg)) || arg;

/** What one request cost: calls to each binding and time spent in them, for `Server-Timing`. */
export class RequestMetrics {
  readonly started = performance.now();
  readonly calls = { kv: 0, d1: 0 };
  readonly time = { kv: 0, d1: 0, render: 0 };

  /**
   * Wraps the KV and D1 bindings so every call that returns a promise is counted and timed.
   * The wrappers keep the bindings' own API, so storage code cannot tell the difference.
   */
  instrument(env: Env): Env {
    // Derived, so settings memoised per environment (site, comment config, cache policy) are reused.
    // An env another request already instrumented (the page cache revalidates in the background
    // with the env of the request that served the stale copy) is unwrapped first: its calls count
    // for this request only, never also for one whose Server-Timing may not be written yet.
    const content = unwrap(env.CONTENT) as KVNamespace;
    const db = unwrap(env.DB) as D1Database;
    return deriveEnv(env, { CONTENT: this.#wrap(content, "kv"), DB: this.#wrap(db, "d1") });
  }

  /** Times a synchronous or async step of the request (rendering). */
  async measure<T>(step: "render", work: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await work();
    } finally {
      this.time[step] += performance.now() - start;
    }
  }

  /** The `Server-Timing` header value: kv, d1, render and total, with call counts. */
  serverTiming(): string {
    const ms = (n: number) => n.toFixed(1);
    return [
      `kv;dur=${ms(this.time.kv)};desc="${this.calls.kv} calls"`,
      `d1;dur=${ms(this.time.d1)};desc="${this.calls.d1} calls"`,
      `render;dur=${ms(this.time.render)}`,
      `total;dur=${ms(performance.now() - this.started)}`,
    ].join(", ");
  }

  #wrap<T extends object>(target: T, kind: "kv" | "d1"): T {
    const proxy = new Proxy(target, {
      get: (obj, prop) => {
        const value = Reflect.get(obj, prop, obj);
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          const result = value.apply(obj, args.map(unwrap));
          if (result instanceof Promise) {
            this.calls[kind]++;
            const start = performance.now();
            return result.finally(() => {
              this.time[kind] += performance.now() - start;
            });
          }
          // D1 statements and sessions: keep counting the calls made through them.
          return result !== null && typeof result === "object" ? this.#wrap(result, kind) : result;
        };
      },
    });
    originals.set(proxy, target);
    return proxy;
  }
}
