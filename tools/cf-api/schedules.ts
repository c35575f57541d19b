/**
 * Cron Triggers: `wrangler deploy` replaces a Worker's schedules with the `[triggers] crons` of its
 * config (`PUT .../schedules`, every deploy). They belong to the Worker, not to a version: a
 * rollback keeps them. The live site runs the scheduled handler only for a cron registered here.
 */
import type { Hono } from "hono";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { now, type Script } from "./state.ts";

const S = "/accounts/:account/workers/scripts/:script";
/** Five fields (minute hour day month weekday), as Cloudflare takes them; the code is the emulator's. */
const CRON = /^\S+( \S+){4}$/;

export function scheduleRoutes(app: Hono, api: Api): void {
  const { state } = api;
  const json = (script: Script) => ({
    schedules: script.schedules.map((s) => ({ cron: s.cron, created_on: s.createdOn, modified_on: s.modifiedOn })),
  });

  app.get(`${S}/schedules`, (c) => {
    const script = state.scripts.get(c.req.param("script"));
    return script ? ok(c, json(script)) : cfError(c, 404, 10007, "This Worker does not exist on your account.");
  });

  app.put(`${S}/schedules`, async (c) => {
    const script = state.scripts.get(c.req.param("script"));
    if (!script) return cfError(c, 404, 10007, "This Worker does not exist on your account.");
    const body = (await c.req.json()) as { cron?: unknown }[];
    const bad = body.find((s) => typeof s.cron !== "string" || !CRON.test(s.cron.trim()));
    if (bad) return cfError(c, 400, 10100, `invalid cron expression ${JSON.stringify(bad.cron)}`);
    const kept = new Map(script.schedules.map((s) => [s.cron, s]));
    script.schedules = body.map(
      ({ cron }) => kept.get(String(cron)) ?? { cron: String(cron), createdOn: now(), modifiedOn: now() },
    );
    api.store.refresh();
    return ok(c, json(script));
  });
}
