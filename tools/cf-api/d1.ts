/**
 * D1: databases (create, list, look up by id or name, turn read replication on), queries (`POST .../query`, what
 * `d1 execute --command` and `d1 migrations apply` send) and the `--file` import (init -> upload
 * to the URL handed out -> ingest -> poll), run on real SQLite in workerd (store.ts) that the live
 * site's D1 binding reads.
 */
import { createHash } from "node:crypto";
import type { Context, Hono } from "hono";
import { unstable_splitSqlQuery } from "wrangler";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { API_TOKEN, type D1Database, newId, now } from "./state.ts";

const DB = "/accounts/:account/d1/database";

export function d1Routes(app: Hono, api: Api): void {
  const { state, store } = api;
  const find = (idOrName: string): D1Database | undefined =>
    state.d1.get(idOrName) ?? [...state.d1.values()].find((db) => db.name === idOrName);
  const info = (db: D1Database) => ({
    uuid: db.uuid,
    name: db.name,
    version: "production",
    created_at: db.created_at,
    num_tables: 0,
    file_size: 0,
    read_replication: { mode: db.readReplication ?? "disabled" },
  });
  const noDatabase = (c: Context) => cfError(c, 404, 7404, `The database ${c.req.param("db")} could not be found`);
  /** Uploaded import files, by the name handed out at init. */
  const uploads = new Map<string, { db: string; etag: string; sql?: string; done?: unknown }>();

  app.get(DB, (c) => {
    const perPage = Number(c.req.query("per_page") ?? 10);
    const page = Number(c.req.query("page") ?? 1);
    const name = c.req.query("name");
    const all = [...state.d1.values()].filter((db) => !name || db.name === name);
    const items = all.slice((page - 1) * perPage, page * perPage).map(info);
    return ok(c, items, { page, per_page: perPage, count: items.length, total_count: all.length });
  });

  app.post(DB, async (c) => {
    const { name } = (await c.req.json()) as { name?: string };
    if (!name) return cfError(c, 400, 7400, "a database needs a name");
    if (find(name)) return cfError(c, 400, 7502, "A database with that name already exists");
    const db: D1Database = { uuid: newId(), name, created_at: now() };
    state.d1.set(db.uuid, db);
    store.refresh();
    return ok(c, info(db));
  });

  app.get(`${DB}/:db`, (c) => {
    const db = find(c.req.param("db"));
    return db ? ok(c, info(db)) : noDatabase(c);
  });

  // `PUT .../d1/database/:id` (the API's "Update D1 Database"): only read replication's mode is settable.
  app.put(`${DB}/:db`, async (c) => {
    if (c.req.header("authorization") !== `Bearer ${API_TOKEN}`) return cfError(c, 403, 10000, "Authentication error");
    const db = find(c.req.param("db"));
    if (!db) return noDatabase(c);
    const body = (await c.req.json().catch(() => null)) as { read_replication?: { mode?: unknown } } | null;
    const mode = body?.read_replication?.mode;
    if (mode !== "auto" && mode !== "disabled")
      return cfError(c, 400, 7400, 'read_replication.mode must be "auto" or "disabled"');
    db.readReplication = mode;
    return ok(c, info(db));
  });

  app.post(`${DB}/:db/query`, async (c) => {
    const db = find(c.req.param("db"));
    if (!db) return noDatabase(c);
    const { sql, params } = (await c.req.json()) as { sql: string; params?: unknown[] };
    try {
      return ok(c, await run(api, db.uuid, sql, params));
    } catch (error) {
      return cfError(c, 400, 7500, `${(error as Error).message}: SQLITE_ERROR`);
    }
  });

  app.post(`${DB}/:db/import`, async (c) => {
    const db = find(c.req.param("db"));
    if (!db) return noDatabase(c);
    const body = (await c.req.json()) as {
      action: string;
      etag?: string;
      filename?: string;
      current_bookmark?: string;
    };
    if (body.action === "init") {
      const filename = `import-${newId()}.sql`;
      uploads.set(filename, { db: db.uuid, etag: String(body.etag) });
      return ok(c, { success: true, filename, upload_url: `${api.baseUrl()}/__uploads/${filename}` });
    }
    const upload = uploads.get(body.action === "ingest" ? String(body.filename) : String(body.current_bookmark));
    if (!upload || upload.db !== db.uuid)
      return cfError(c, 400, 7500, `unknown import ${body.filename ?? body.current_bookmark}`);
    if (body.action === "ingest") {
      if (upload.sql === undefined || upload.etag !== body.etag)
        return cfError(c, 400, 7500, "the file was not uploaded");
      // Answered as still running: wrangler polls, as it does for a real import.
      return ok(c, { success: true, status: "active", messages: [], at_bookmark: body.filename });
    }
    if (body.action !== "poll") return cfError(c, 400, 7500, `unknown import action ${body.action}`);
    if (!upload.done) {
      try {
        const results = await run(api, db.uuid, upload.sql ?? "");
        const imports = state.d1Imports.get(db.uuid) ?? [];
        imports.push(upload.sql ?? "");
        state.d1Imports.set(db.uuid, imports);
        const rowsWritten = results.reduce((sum, r) => sum + Number(r.meta.rows_written ?? 0), 0);
        upload.done = {
          success: true,
          status: "complete",
          messages: [],
          result: {
            num_queries: results.length,
            final_bookmark: newId(),
            meta: { duration: 1, rows_read: 0, rows_written: rowsWritten, size_after: 0 },
          },
        };
      } catch (error) {
        upload.done = { success: true, status: "error", messages: [], errors: [(error as Error).message] };
      }
    }
    return ok(c, upload.done);
  });

  // The upload URL handed out at init (R2 in Cloudflare): answers with the file's MD5 as its etag.
  app.put("/__uploads/:file", async (c) => {
    const upload = uploads.get(c.req.param("file"));
    if (!upload) return c.text("no such upload", 404);
    upload.sql = await c.req.text();
    return c.body(null, 200, { etag: `"${createHash("md5").update(upload.sql).digest("hex")}"` });
  });
}

/** Runs SQL text (one or more statements) as one transaction, as D1 does: all of it or none. */
async function run(api: Api, id: string, sql: string, params?: unknown[]) {
  const db = await api.store.d1(id);
  const statements = unstable_splitSqlQuery(sql);
  if (statements.length === 0) return [];
  if (params?.length && statements.length !== 1) throw new Error("parameters are only taken with a single statement");
  const prepared = statements.map((s) => (params?.length ? db.prepare(s).bind(...params) : db.prepare(s)));
  const results = await db.batch(prepared);
  return results.map((r) => ({
    results: r.results,
    success: true,
    meta: { ...r.meta, served_by: "emulator" } as Record<string, unknown>,
  }));
}
