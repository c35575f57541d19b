/**
 * Workers Static Assets: the upload session (`POST .../assets-upload-session` with the manifest,
 * answered with the hashes the account lacks), the bulk upload (`POST /workers/assets/upload`,
 * base64 parts named by hash) and the completion token the version's metadata carries.
 */
import type { Hono } from "hono";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { newId } from "./state.ts";

type Manifest = Record<string, { hash: string; size: number }>;

/** Sessions by id: the manifest, and the hashes still to come. */
const sessions = new WeakMap<Api, Map<string, { manifest: Manifest; missing: Set<string> }>>();

const jwt = (payload: Record<string, unknown>): string =>
  [
    { alg: "none", typ: "JWT" },
    { ...payload, exp: Math.floor(Date.now() / 1000) + 3600 },
  ]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .concat("emulator")
    .join(".");

function sessionOf(token: string | undefined): string | undefined {
  try {
    const payload = JSON.parse(Buffer.from(String(token).split(".")[1] ?? "", "base64url").toString("utf8"));
    return typeof payload.session === "string" ? payload.session : undefined;
  } catch {
    return undefined;
  }
}

/** The manifest (path -> hash) a completion token stands for, for the version upload. */
export function completedAssets(api: Api, token: string | undefined): Record<string, string> | undefined {
  const id = sessionOf(token);
  const session = id === undefined ? undefined : sessions.get(api)?.get(id);
  if (!session || session.missing.size > 0) return undefined;
  return Object.fromEntries(Object.entries(session.manifest).map(([path, { hash }]) => [path, hash]));
}

export function assetRoutes(app: Hono, api: Api): void {
  const mine = new Map<string, { manifest: Manifest; missing: Set<string> }>();
  sessions.set(api, mine);

  app.post("/accounts/:account/workers/scripts/:script/assets-upload-session", async (c) => {
    const { manifest } = (await c.req.json()) as { manifest: Manifest };
    const missing = new Set(
      Object.values(manifest)
        .map((entry) => entry.hash)
        .filter((hash) => !api.state.assetBlobs.has(hash)),
    );
    const id = newId();
    mine.set(id, { manifest, missing });
    // One bucket per file keeps it simple; Cloudflare groups them.
    return ok(c, { jwt: jwt({ session: id }), buckets: [...missing].map((hash) => [hash]) });
  });

  app.post("/accounts/:account/workers/assets/upload", async (c) => {
    const id = sessionOf(c.req.header("authorization")?.replace(/^Bearer /, ""));
    const session = id === undefined ? undefined : mine.get(id);
    if (!session || id === undefined) return cfError(c, 401, 10000, "invalid or missing upload token");
    const form = await c.req.formData();
    for (const [hash, part] of form.entries()) {
      if (typeof part === "string") continue;
      const contents = Buffer.from(await part.text(), "base64");
      api.state.assetBlobs.set(hash, { contents, contentType: part.type });
      session.missing.delete(hash);
    }
    return session.missing.size === 0
      ? c.json({ success: true, errors: [], messages: [], result: { jwt: jwt({ session: id }) } }, 201)
      : ok(c, {});
  });
}
