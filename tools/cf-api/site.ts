/**
 * The live site of each Worker, as a reader reaches it: static assets of the live version first
 * (Workers Static Assets answers before the Worker runs), then the live version's Worker under
 * Miniflare. A deployment switches the whole site at once: requests wait while Miniflare takes the
 * new version, so none is served by a mixture of two versions.
 */
import type { AddressInfo } from "node:net";
import type { ServerType } from "@hono/node-server";
import type { Api } from "./server.ts";
import { closeServer, listen } from "./server.ts";

const TYPES: Record<string, string> = {
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
  ico: "image/x-icon",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  txt: "text/plain; charset=utf-8",
  html: "text/html; charset=utf-8",
  json: "application/json",
  woff2: "font/woff2",
};

export class LiveSites {
  readonly #servers = new Map<string, Promise<ServerType>>();
  readonly #api: Api;

  constructor(api: Api) {
    this.#api = api;
  }

  async url(script: string): Promise<string> {
    let server = this.#servers.get(script);
    if (!server) {
      server = listen((request) => this.#serve(script, request));
      this.#servers.set(script, server);
    }
    return `http://127.0.0.1:${((await server).address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const server of this.#servers.values()) await closeServer(await server);
  }

  async #serve(script: string, request: Request): Promise<Response> {
    const { state, store } = this.#api;
    const worker = await store.site(script); // waits for a switch in progress
    const version = state.liveVersion(script);
    if (!worker || !version) return new Response("There is nothing here yet (no deployment).", { status: 404 });
    const path = decodeURIComponent(new URL(request.url).pathname);
    const hash = version.assets[path];
    const blob = hash === undefined ? undefined : state.assetBlobs.get(hash);
    if (blob && (request.method === "GET" || request.method === "HEAD")) {
      const ext = path.split(".").pop() ?? "";
      return new Response(request.method === "HEAD" ? null : blob.contents, {
        headers: { "content-type": TYPES[ext] ?? "application/octet-stream", etag: `"${hash}"` },
      });
    }
    const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
    return worker.fetch(request.url, { method: request.method, headers: request.headers, body, redirect: "manual" });
  }
}
