/**
 * A local stand-in for the parts of Cloudflare's REST API that `npm run setup`, `deploy`,
 * `rollback` and `prune` use through the real wrangler binary (CLOUDFLARE_API_BASE_URL points
 * here), and the live site of each deployed Worker. Every request is logged; one nobody emulates
 * answers in Cloudflare's error format and is recorded in `state.unknown`, so a test sees at once
 * when wrangler asks for something new. Build-time tooling: never imported by the Worker.
 */

import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerType, serve } from "@hono/node-server";
import { Hono } from "hono";
import { accountRoutes } from "./account.ts";
import { assetRoutes } from "./assets.ts";
import { d1Routes } from "./d1.ts";
import { cfError } from "./errors.ts";
import { kvRoutes } from "./kv.ts";
import { queueRoutes } from "./queues.ts";
import { scheduleRoutes } from "./schedules.ts";
import { secretRoutes } from "./secrets.ts";
import { LiveSites } from "./site.ts";
import { ACCOUNT_ID, AccountState, API_TOKEN } from "./state.ts";
import { Store } from "./store.ts";
import { workerRoutes } from "./workers.ts";

/** What every route module gets. */
export interface Api {
  state: AccountState;
  store: Store;
  /** The emulator's own base URL (for upload URLs it hands out). */
  baseUrl: () => string;
}

export interface Emulator extends Api {
  /** CLOUDFLARE_API_BASE_URL for wrangler. */
  url: string;
  /** The environment wrangler needs to talk to this emulator and nothing else. */
  env: Record<string, string>;
  /** The live site of a Worker (started on first use), e.g. `await emulator.siteUrl("our-kpop")`. */
  siteUrl(script: string): Promise<string>;
  close(): Promise<void>;
}

export async function startEmulator(): Promise<Emulator> {
  const dir = mkdtempSync(join(tmpdir(), "cf-api-"));
  const state = new AccountState();
  const store = new Store(state, join(dir, "store"));
  let url = "";
  const api: Api = { state, store, baseUrl: () => url };
  const app = createApp(api);
  const server = await listen(app.fetch);
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/client/v4`;
  const sites = new LiveSites(api);
  return {
    ...api,
    url,
    env: {
      CLOUDFLARE_API_BASE_URL: url,
      CLOUDFLARE_API_TOKEN: API_TOKEN,
      CLOUDFLARE_ACCOUNT_ID: ACCOUNT_ID,
      WRANGLER_SEND_METRICS: "false",
      CLOUDFLARE_CF_FETCH_ENABLED: "false",
    },
    siteUrl: (script) => sites.url(script),
    async close() {
      await sites.close();
      await closeServer(server);
      await store.dispose();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function createApp(api: Api): Hono {
  const app = new Hono().basePath("/client/v4");
  app.use(async (c, next) => {
    const path = c.req.path.replace(/^\/client\/v4/, "");
    const fault = api.state.takeFault(c.req.method, path);
    if (fault?.kind === "timeout") {
      api.state.log.push({ method: c.req.method, path, status: 0 });
      await new Promise(() => undefined); // never answers; closing the server ends it
    }
    if (fault) {
      const status = fault.kind === "429" ? 429 : 500;
      if (fault.retryAfterSeconds !== undefined) c.header("Retry-After", String(fault.retryAfterSeconds));
      api.state.log.push({ method: c.req.method, path, status });
      return fault.kind === "429"
        ? cfError(c, 429, 10429, "Too many requests (injected by the emulator)")
        : cfError(c, 500, 10000, "Internal error (injected by the emulator)");
    }
    await next();
    api.state.log.push({ method: c.req.method, path, status: c.res.status });
  });
  const all = [accountRoutes, kvRoutes, d1Routes, workerRoutes, secretRoutes, assetRoutes, queueRoutes, scheduleRoutes];
  for (const routes of all) routes(app, api);
  app.notFound((c) => {
    const line = `${c.req.method} ${c.req.path.replace(/^\/client\/v4/, "")}${new URL(c.req.url).search}`;
    api.state.unknown.push(line);
    return cfError(c, 404, 7003, `not emulated: ${line}`);
  });
  app.onError((error, c) => {
    api.state.unknown.push(`${c.req.method} ${c.req.path}: ${error.stack ?? error.message}`);
    return cfError(c, 500, 10000, `emulator error: ${error.message}`);
  });
  return app;
}

export function listen(fetch: (request: Request) => Response | Promise<Response>): Promise<ServerType> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(server));
  });
}

export function closeServer(server: ServerType): Promise<void> {
  return new Promise((resolve) => {
    if ("closeAllConnections" in server) server.closeAllConnections();
    server.close(() => resolve());
  });
}
