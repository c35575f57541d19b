/**
 * Cloudflare failing at each step of a deploy (faults the emulator injects: 429 with Retry-After,
 * 500, an API that never answers): the deploy stops with a clear message and a non-zero exit, the
 * live site keeps serving the release it had, and running the deploy again completes. Then the
 * same for staging, which never touches production's resources.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../tools/cf-api/server.ts";
import { startEmulator } from "../../tools/cf-api/server.ts";
import type { Fault } from "../../tools/cf-api/state.ts";
import { DeployProject } from "./deploy-project.ts";
import { page, SEED_SLUG } from "./live-site.ts";
import { workflowDeployCommand } from "./workflow.ts";

let emulator: Emulator;
let project: DeployProject;
beforeAll(async () => {
  emulator = await startEmulator();
  project = new DeployProject(emulator);
  const run = await project.run("npm run setup");
  expect(run.status, run.output).toBe(0);
});
afterAll(async () => {
  project?.dispose();
  await emulator?.close();
});

const article = `/posts/${SEED_SLUG}`;
const OLD = "Hello, and welcome to";
const NEW = "Hello from the new release, and welcome to";
/** Plenty for one emulated wrangler call on a busy machine, short enough to wait for one that never ends. */
const TIMEOUT = { WRANGLER_TIMEOUT_SECONDS: "15" };

const inject = (fault: Omit<Fault, "times"> & { times?: number }) =>
  emulator.state.faults.push({ times: 100, ...fault });
const clearFaults = () => {
  emulator.state.faults.length = 0;
};

async function expectOldReleaseLive(script = "our-kpop"): Promise<void> {
  const { status, text } = await page(await emulator.siteUrl(script), article);
  expect(status).toBe(200);
  expect(text).toContain(OLD);
  expect(text).not.toContain(NEW);
}

describe("a deploy that Cloudflare fails", () => {
  it("stops at each step it fails, keeps the old release live, and completes when run again", async () => {
    project.write(`content/posts/${SEED_SLUG}.md`, project.read(`content/posts/${SEED_SLUG}.md`).replace(OLD, NEW));
    const live = emulator.state.liveVersion("our-kpop")?.id;
    // Each run gets one step further: the fault of the step before is gone, a new one waits.
    const steps: { step: string; fault: Omit<Fault, "times">; says: RegExp }[] = [
      {
        step: "upload",
        fault: { method: "PUT", path: /\/storage\/kv\/namespaces\/\w+\/bulk$/, kind: "429", retryAfterSeconds: 1 },
        says: /Too many requests[\s\S]*Retry-After/,
      },
      {
        step: "migrate",
        fault: { method: "POST", path: /\/d1\/database\/[\w-]+\/query$/, kind: "500" },
        says: /Internal error/,
      },
      {
        step: "search",
        fault: { method: "POST", path: /\/d1\/database\/[\w-]+\/import$/, kind: "timeout" },
        says: /stopped after 15 s without an answer/,
      },
      {
        step: "switch",
        fault: { method: "POST", path: /\/workers\/scripts\/our-kpop\/versions$/, kind: "500" },
        says: /Internal error/,
      },
    ];
    for (const { step, fault, says } of steps) {
      clearFaults();
      inject(fault);
      const run = await project.run("npm run deploy", { env: fault.kind === "timeout" ? TIMEOUT : {} });
      expect(run.status, run.output).toBe(1);
      expect(run.stderr).toContain(`✘ deploy stopped at step "${step}"`);
      expect(run.output).toMatch(says);
      expect(run.stderr).toContain("Readers still get the release that was live before");
      expect(emulator.state.liveVersion("our-kpop")?.id).toBe(live);
      await expectOldReleaseLive();
    }
    // A 429 that passes: wrangler waits as Retry-After says and tries again, and the deploy completes.
    clearFaults();
    inject({ ...(steps[3]?.fault as Fault), kind: "429", retryAfterSeconds: 1, times: 1 });
    const run = await project.run("npm run deploy");
    expect(run.status, run.output).toBe(0);
    expect(run.output).toContain('Received a "Retry-After" header');
    expect(emulator.state.faults[0]?.times).toBe(0);
    expect((await page(await emulator.siteUrl("our-kpop"), article)).text).toContain(NEW);
    expect(emulator.state.unknown).toEqual([]);
  });

  it("setup run again while Cloudflare cannot list the deployments changes nothing (it used to redeploy the no-content version)", async () => {
    const live = emulator.state.liveVersion("our-kpop")?.id;
    inject({ method: "GET", path: /\/workers\/scripts\/our-kpop\/deployments$/, kind: "500" });
    const run = await project.run("npm run setup");
    clearFaults();
    expect(run.status, run.output).toBe(1);
    expect(run.stderr).toContain(
      "✘ setup stopped: could not tell whether the Worker is deployed, so nothing was changed.",
    );
    expect(emulator.state.liveVersion("our-kpop")?.id).toBe(live);
    expect((await page(await emulator.siteUrl("our-kpop"), article)).text).toContain(NEW);
  });

  it("staging: its own Worker, KV namespace and D1 database; a fault there leaves both sites as they were", async () => {
    const production = snapshot("our-kpop");
    const setup = await project.run("npm run setup -- --env staging");
    expect(setup.status, setup.output).toBe(0);
    expect(emulator.state.unknown).toEqual([]);
    const staging = emulator.state.liveVersion("our-kpop-staging");
    const kv = staging?.bindings.find((b) => b.type === "kv_namespace")?.namespace_id as string;
    const d1 = staging?.bindings.find((b) => b.type === "d1")?.id as string;
    expect(emulator.state.kv.get(kv)?.title).toBe("our-kpop-staging-content");
    expect(emulator.state.d1.get(d1)?.name).toBe("our-kpop-staging");
    expect(snapshot("our-kpop")).toEqual(production);
    const stagingSite = await emulator.siteUrl("our-kpop-staging");
    expect((await page(stagingSite, article)).text).toContain(NEW);
    expect((await page(stagingSite, "/")).text).toContain("OUR K-POP (staging)");

    // The workflow's "Run workflow" with staging chosen, while KV fails.
    const command = workflowDeployCommand("staging");
    expect(command).toBe("npm run deploy -- --env staging");
    const THIRD = "Hello from staging, and welcome to";
    project.write(`content/posts/${SEED_SLUG}.md`, project.read(`content/posts/${SEED_SLUG}.md`).replace(NEW, THIRD));
    inject({ method: "PUT", path: /\/storage\/kv\/namespaces\/\w+\/bulk$/, kind: "500" });
    const failed = await project.run(command);
    expect(failed.status, failed.output).toBe(1);
    expect(failed.stderr).toContain('✘ deploy stopped at step "upload"');
    expect((await page(stagingSite, article)).text).toContain(NEW);
    clearFaults();
    const run = await project.run(command);
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toContain('is live on environment "staging"');
    expect((await page(stagingSite, article)).text).toContain(THIRD);
    // Production never saw any of it.
    expect(snapshot("our-kpop")).toEqual(production);
    expect((await page(await emulator.siteUrl("our-kpop"), article)).text).toContain(NEW);
  });
});

/** What production holds: a staging command must change none of it. */
function snapshot(script: string) {
  const live = emulator.state.liveVersion(script);
  const kv = String(live?.bindings.find((b) => b.type === "kv_namespace")?.namespace_id);
  const d1 = String(live?.bindings.find((b) => b.type === "d1")?.id);
  return {
    live: live?.id,
    deployments: emulator.state.scripts.get(script)?.deployments.length,
    versions: emulator.state.scripts.get(script)?.versions.length,
    kvWrites: emulator.state.kvWrites.get(kv)?.length,
    d1Imports: emulator.state.d1Imports.get(d1)?.length,
    requests: emulator.state.log.filter((r) => r.path.includes(kv) || r.path.includes(d1)).length,
  };
}
