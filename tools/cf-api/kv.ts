/**
 * Workers KV: namespaces (create, list) and their keys (list with cursors, bulk put, bulk get,
 * bulk delete), stored in real workerd KV (store.ts) that the live site reads. Every pair written
 * is counted per namespace (`state.kvWrites`), so a test can say what a deploy uploaded.
 */
import type { Context, Hono } from "hono";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { hexId } from "./state.ts";

const NS = "/accounts/:account/storage/kv/namespaces";
/** Cloudflare's limits: 1,000 keys a listing page, 10,000 pairs a bulk write, 100 keys a bulk get. */
const LIST_LIMIT = 1000;
const BULK_WRITE = 10_000;
const BULK_GET = 100;

interface BulkPair {
  key: string;
  value: string;
  base64?: boolean;
  metadata?: unknown;
  expiration?: number;
  expiration_ttl?: number;
}

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

  app.put(`${NS}/:namespace/bulk`, async (c) => {
    const id = namespace(c);
    if (!id) return noNamespace(c);
    const pairs = (await c.req.json()) as BulkPair[];
    if (!Array.isArray(pairs) || pairs.length > BULK_WRITE)
      return cfError(c, 400, 10001, `a bulk write takes an array of at most ${BULK_WRITE} pairs`);
    await store.kv(id).put(pairs);
    const written = state.kvWrites.get(id) ?? [];
    written.push(...pairs.map((p) => p.key));
    state.kvWrites.set(id, written);
    return ok(c, { successful_key_count: pairs.length, unsuccessful_keys: [] });
  });

  app.post(`${NS}/:namespace/bulk/get`, async (c) => {
    const id = namespace(c);
    if (!id) return noNamespace(c);
    const { keys } = (await c.req.json()) as { keys: string[] };
    if (!Array.isArray(keys) || keys.length > BULK_GET)
      return cfError(c, 400, 10001, `a bulk get takes at most ${BULK_GET} keys`);
    return ok(c, { values: await store.kv(id).get(keys) });
  });

  app.delete(`${NS}/:namespace/bulk`, async (c) => {
    const id = namespace(c);
    if (!id) return noNamespace(c);
    const keys = (await c.req.json()) as string[];
    if (!Array.isArray(keys) || keys.length > BULK_WRITE)
      return cfError(c, 400, 10001, `a bulk delete takes an array of at most ${BULK_WRITE} keys`);
    await store.kv(id).delete(keys);
    return ok(c, { successful_key_count: keys.length, unsuccessful_keys: [] });
  });
}
