/**
 * The first deploy of a new user, with the real wrangler binary against the Cloudflare API
 * emulator (tools/cf-api), and the live site it leaves: setup from nothing, an edit, rollback,
 * prune. The steps share one account and run in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../tools/cf-api/server.ts";
import { startEmulator } from "../../tools/cf-api/server.ts";
import { DeployProject } from "./deploy-project.ts";
import { commentBodies, page, postComment, SEED_SLUG, SEED_TITLE } from "./live-site.ts";

let emulator: Emulator;
let project: DeployProject;
let site: string;
beforeAll(async () => {
  emulator = await startEmulator();
  project = new DeployProject(emulator);
  site = await emulator.siteUrl("our-kpop");
});
afterAll(async () => {
  project?.dispose();
  await emulator?.close();
});

const article = `/posts/${SEED_SLUG}`;

describe("the first deploy, against the emulated Cloudflare API", { timeout: 120_000 }, () => {
  it("npm run setup provisions KV and D1, sets the secrets and deploys: the live site serves the seed article", async () => {
    expect((await page(site, "/")).status).toBe(404); // nothing deployed yet
    const run = await project.run("npm run setup");
    expect(run.status, run.output).toBe(0);
    expect(emulator.state.unknown).toEqual([]);
    expect([...emulator.state.kv.values()].map((ns) => ns.title)).toEqual(["our-kpop-content"]);
    expect([...emulator.state.d1.values()].map((db) => db.name)).toEqual(["our-kpop"]);
    const live = emulator.state.liveVersion("our-kpop");
    const secrets = live?.bindings.filter((b) => b.type === "secret_text").map((b) => b.name);
    expect(secrets?.toSorted()).toEqual(["ADMIN_TOKEN", "IP_HASH_SALT"]);
    const home = await page(site, "/");
    expect(home.status).toBe(200);
    expect(home.text).toContain(SEED_TITLE);
    const seed = await page(site, article);
    expect(seed.status).toBe(200);
    expect(seed.text).toContain("Hello, and welcome to");
    expect(run.stdout).toMatch(/set up; release [0-9a-f]+ is live/);
  });

  it("the live site accepts a comment and shows it", async () => {
    const posted = await postComment(site, SEED_SLUG, "Minji", "First comment on the live site.");
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    expect(await commentBodies(site, SEED_SLUG)).toContain("First comment on the live site.");
  });
});
