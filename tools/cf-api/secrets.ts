/**
 * Secrets: `secret list` and `secret bulk` (`PATCH .../secrets-bulk`). As on Cloudflare, a secret
 * change is a new version of the Worker, deployed at once, and it is refused while the latest
 * version is not the deployed one (code 10215).
 */
import type { Hono } from "hono";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import type { Binding } from "./state.ts";
import { versionWithBindings } from "./versions.ts";
import { deploy } from "./workers.ts";

const S = "/accounts/:account/workers/scripts/:script";

export function secretRoutes(app: Hono, api: Api): void {
  const { state } = api;

  app.get(`${S}/secrets`, (c) => {
    const script = state.scripts.get(c.req.param("script"));
    const latest = script?.versions.at(-1);
    if (!script || !latest) return cfError(c, 404, 10007, "This Worker does not exist on your account.");
    return ok(
      c,
      latest.bindings.filter((b) => b.type === "secret_text").map((b) => ({ name: b.name, type: "secret_text" })),
    );
  });

  app.patch(`${S}/secrets-bulk`, async (c) => {
    const script = state.scripts.get(c.req.param("script"));
    const latest = script?.versions.at(-1);
    if (!script || !latest) return cfError(c, 404, 10007, "This Worker does not exist on your account.");
    if (state.liveVersion(script.name)?.id !== latest.id)
      return cfError(
        c,
        400,
        10215,
        "Secret edit failed. You attempted to modify a secret, but the latest version of your Worker isn't currently deployed.",
      );
    const { secrets } = (await c.req.json()) as { secrets: Record<string, { text: string } | null> };
    const bindings: Binding[] = latest.bindings.filter((b) => !(b.name in secrets));
    for (const [name, secret] of Object.entries(secrets)) {
      if (secret) bindings.push({ type: "secret_text", name, text: secret.text });
    }
    const version = versionWithBindings(script, latest, bindings, "secret change");
    await deploy(api, script, [{ versionId: version.id, percentage: 100 }], undefined, "secret");
    return ok(c, {});
  });
}
