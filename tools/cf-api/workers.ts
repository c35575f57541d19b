/**
 * Workers: the script upload (`PUT .../scripts/:name`, the first deploy: a version deployed at
 * once), version uploads and deployments (every later deploy, `wrangler rollback`), and what
 * wrangler reads back: service metadata, settings, deployments, versions, the workers.dev subdomain.
 */
import type { Context, Hono } from "hono";
import { cfError, ok } from "./errors.ts";
import type { Api } from "./server.ts";
import { type Deployment, newId, now, type Script, type Version } from "./state.ts";
import { UploadRefused, versionFromUpload, versionJson } from "./versions.ts";

const S = "/accounts/:account/workers/scripts/:script";

export function workerRoutes(app: Hono, api: Api): void {
  const { state } = api;
  const existing = (c: Context): Script | undefined => state.scripts.get(c.req.param("script") ?? "");
  const missing = (c: Context, code = 10007) =>
    cfError(c, 404, code, `This Worker does not exist on your account. (${c.req.param("script")})`);

  app.get("/accounts/:account/workers/services/:script", (c) => {
    const script = existing(c);
    if (!script) return missing(c, 10090);
    const live = state.liveVersion(script.name);
    return ok(c, {
      id: script.name,
      default_environment: {
        environment: "production",
        created_on: script.createdOn,
        script: {
          id: script.name,
          tag: `tag-${script.name}`,
          tags: [],
          etag: live?.id,
          last_deployed_from: "wrangler",
        },
      },
      created_on: script.createdOn,
    });
  });

  app.get(`${S}/settings`, (c) => {
    const script = existing(c);
    const version = script?.versions.at(-1);
    if (!script || !version) return missing(c);
    return ok(c, {
      bindings: (versionJson(version).resources as { bindings: unknown }).bindings,
      compatibility_date: version.compatibilityDate,
      compatibility_flags: version.compatibilityFlags,
      logpush: false,
      tail_consumers: [],
      placement: {},
    });
  });

  app.patch(`${S}/script-settings`, async (c) => {
    if (!existing(c)) return missing(c);
    return ok(c, await c.req.json());
  });

  // The first deploy: the Worker is made with its first version, deployed at once.
  app.put(S, async (c) => {
    const script = state.script(c.req.param("script"));
    const version = await upload(c, api, script);
    if (version instanceof Response) return version;
    await deploy(api, script, [{ versionId: version.id, percentage: 100 }], version.message, "upload");
    return ok(c, {
      id: script.name,
      etag: version.id.replaceAll("-", ""),
      deployment_id: version.id,
      startup_time_ms: 1,
      created_on: script.createdOn,
      modified_on: now(),
    });
  });

  app.post(`${S}/versions`, async (c) => {
    const script = existing(c);
    if (!script) return missing(c);
    const version = await upload(c, api, script);
    return version instanceof Response ? version : ok(c, versionJson(version));
  });

  app.get(`${S}/versions`, (c) => {
    const script = existing(c);
    if (!script) return missing(c);
    const items = [...script.versions].reverse().map(versionJson);
    return ok(c, { items });
  });

  app.get(`${S}/versions/:version`, (c) => {
    const version = existing(c)?.versions.find((v) => v.id === c.req.param("version"));
    return version
      ? ok(c, versionJson(version))
      : cfError(c, 404, 10220, `version ${c.req.param("version")} not found`);
  });

  app.get(`${S}/deployments`, (c) => {
    const script = existing(c);
    if (!script) return missing(c);
    // Cloudflare lists the 10 most recent.
    return ok(c, { deployments: script.deployments.slice(0, 10).map(deploymentJson) });
  });

  app.post(`${S}/deployments`, async (c) => {
    const script = existing(c);
    if (!script) return missing(c);
    const body = (await c.req.json()) as {
      versions: { version_id: string; percentage: number }[];
      annotations?: Record<string, string | undefined>;
    };
    const versions = body.versions.map((v) => ({ versionId: v.version_id, percentage: v.percentage }));
    const unknown = versions.find((v) => !script.versions.some((s) => s.id === v.versionId));
    if (unknown) return cfError(c, 400, 10220, `version ${unknown.versionId} does not exist`);
    if (versions.reduce((sum, v) => sum + v.percentage, 0) !== 100)
      return cfError(c, 400, 10221, "the percentages of a deployment must add up to 100");
    const message = body.annotations?.["workers/message"];
    const deployment = await deploy(
      api,
      script,
      versions,
      message,
      body.annotations?.["workers/triggered_by"] ?? "deployment",
    );
    return ok(c, deploymentJson(deployment));
  });

  app.get(`${S}/subdomain`, (c) => (existing(c) ? ok(c, { enabled: true, previews_enabled: false }) : missing(c)));
  app.post(`${S}/subdomain`, async (c) => (existing(c) ? ok(c, await c.req.json()) : missing(c)));
  app.get("/accounts/:account/workers/workers/:script", (c) => {
    const script = existing(c);
    return script
      ? ok(c, { id: script.name, name: script.name, subdomain: { enabled: true, previews_enabled: false } })
      : missing(c);
  });
}

async function upload(c: Context, api: Api, script: Script): Promise<Version | Response> {
  try {
    return await versionFromUpload(api, script, await c.req.formData());
  } catch (error) {
    if (error instanceof UploadRefused) return cfError(c, 400, error.code, error.message);
    throw error;
  }
}

/** Makes a deployment live: every request to the live site from now on gets it (store.ts waits for the switch). */
export async function deploy(
  api: Api,
  script: Script,
  versions: Deployment["versions"],
  message: string | undefined,
  source: string,
): Promise<Deployment> {
  const deployment: Deployment = { id: newId(), createdOn: now(), source, message, versions };
  script.deployments.unshift(deployment);
  api.store.refresh();
  return deployment;
}

function deploymentJson(d: Deployment): Record<string, unknown> {
  return {
    id: d.id,
    created_on: d.createdOn,
    source: "wrangler",
    strategy: "percentage",
    author_email: "deployer@example.com",
    annotations: { "workers/triggered_by": d.source, ...(d.message !== undefined && { "workers/message": d.message }) },
    versions: d.versions.map((v) => ({ version_id: v.versionId, percentage: v.percentage })),
  };
}
