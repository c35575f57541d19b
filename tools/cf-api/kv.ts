/**
 * Workers KV: namespaces (create, list) and their keys (list with cursors, bulk put, bulk get,
 * bulk delete), stored in real workerd KV (store.ts) that the live site reads. Every pair written
 * is counted per namespace (`state.kvWrites`), so a test can say what a deploy uploaded.
 */
import type { Context, Hono } from "hono";
import type { KvBulkPair } from "../../scripts/kv-bulk-file.ts";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { hexId } from "./state.ts";

const NS = "/accounts/:account/storage/kv/namespaces";
/** Cloudflare's limits: 1,000 keys a listing page, 10,000 pairs a bulk write, 100 keys a bulk get. */
const LIST_LIMIT = 1000;
const BULK_WRITE = 10_000;
const BULK_GET = 100;

export function kvRoutes(app: Hono, api: Api): void {
  const { state, store } = api;
  const namespace = (c: Context) => {
    const id = c.req.param("namespace") ?? "";
    return state.kv.has(id) ? id : undefined;
  };
  const noNamespace = (c: Context) => cfError(c, 404, 10013, `namespace ${c.req.param("namespace")} not found`);

  app.get(NS, (c) => {
    const perPage = Number(c.req.query("per_page") ?? 20);
    const page = Number(c.req.query("page") ?? 1);
    const all = [...state.kv.values()].sort((a, b) => a.title.localeCompare(b.title));
    const items = all.slice((page - 1) * perPage, page * perPage).map((ns) => ({ ...ns, supports_url_encoding: true }));
    return ok(c, items, { page, per_page: perPage, count: items.length, total_count: all.length });
  });

  app.post(NS, async (c) => {
    const { title } = (await c.req.json()) as { title?: string };
    if (!title) return cfError(c, 400, 10019, "a namespace needs a title");
    if ([...state.kv.values()].some((ns) => ns.title === title))
      return cfError(c, 400, 10014, "A namespace with this account ID and title already exists");
    const created = { id: hexId(), title };
    state.kv.set(created.id, created);
    store.refresh();
    return ok(c, { ...created, supports_url_encoding: true });
  });

  app.get(`${NS}/:namespace/keys`, async (c) => {
    const id = namespace(c);
    if (!id) return noNamespace(c);
    const limit = Math.min(Number(c.req.query("limit") ?? LIST_LIMIT), LIST_LIMIT);
    const cursor = c.req.query("cursor") || undefined;
    const page = await store.kv(id).list({ prefix: c.req.query("prefix") || undefined, cursor, limit });
    const next = page.list_complete ? "" : (page.cursor ?? "");
    return ok(c, page.keys, { count: page.keys.length, cursor: next });
  });

  /** The namespace a bulk call names and the list it sends (at most `max` items), or the error to answer. */
  const bulkCall = async <T>(c: Context, max: number, tooMany: string, listOf = (body: unknown) => body) => {
    const id = namespace(c);
    if (!id) return noNamespace(c);
    const items = listOf(await c.req.json());
    if (!Array.isArray(items) || items.length > max) return cfError(c, 400, 10001, tooMany);
    return { id, items: items as T[] };
  };

  app.put(`${NS}/:namespace/bulk`, async (c) => {
    const call = await bulkCall<KvBulkPair>(
      c,
      BULK_WRITE,
      `a bulk write takes an array of at most ${BULK_WRITE} pairs`,
    );
    if (call instanceof Response) return call;
    await store.kv(call.id).put(call.items);
    const written = state.kvWrites.get(call.id) ?? [];
    written.push(...call.items.map((p) => p.key));
    state.kvWrites.set(call.id, written);
    return ok(c, { successful_key_count: call.items.length, unsuccessful_keys: [] });
  });

  app.post(`${NS}/:namespace/bulk/get`, async (c) => {
    const keysOf = (body: unknown) => (body as { keys?: unknown } | null)?.keys;
    const call = await bulkCall<string>(c, BULK_GET, `a bulk get takes at most ${BULK_GET} keys`, keysOf);
    if (call instanceof Response) return call;
    return ok(c, { values: await store.kv(call.id).get(call.items) });
  });

  app.delete(`${NS}/:namespace/bulk`, async (c) => {
    const call = await bulkCall<string>(c, BULK_WRITE, `a bulk delete takes an array of at most ${BULK_WRITE} keys`);
    if (call instanceof Response) return call;
    await store.kv(call.id).delete(call.items);
    return ok(c, { successful_key_count: call.items.length, unsuccessful_keys: [] });
  });
}
