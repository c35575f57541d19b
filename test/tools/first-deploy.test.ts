/**
 * The first deploy of a new user, with the real wrangler binary against the Cloudflare API
 * emulator (tools/cf-api), and the live site it leaves: setup from nothing, an edit, rollback,
 * prune. The steps share one account and run in order.
 */
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Emulator } from "../../tools/cf-api/server.ts";
import { startEmulator } from "../../tools/cf-api/server.ts";
import { DeployProject } from "./deploy-project.ts";
import { commentBodies, page, postComment, SEED_SLUG, SEED_TITLE } from "./live-site.ts";
import { eventually, startReceiver } from "./webhook-receiver.ts";
import { workflowDeployCommand } from "./workflow.ts";

let emulator: Emulator;
let project: DeployProject;
let site: string;
/** The releases deployed, in order (from each build's manifest). */
const releases: string[] = [];
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

describe("the first deploy, against the emulated Cloudflare API", () => {
  it("npm run setup provisions KV and D1, sets the secrets and deploys: the live site serves the seed article", async () => {
    expect((await page(site, "/")).status).toBe(404); // nothing deployed yet
    const run = await project.run("npm run setup");
    expect(run.status, run.output).toBe(0);
    expect(emulator.state.unknown).toEqual([]);
    expect([...emulator.state.kv.values()].map((ns) => ns.title)).toEqual(["our-kpop-content"]);
    expect([...emulator.state.d1.values()].map((db) => db.name)).toEqual(["our-kpop"]);
    // Read replication on, so far readers read comments at the nearest replica (docs/regions.md).
    expect([...emulator.state.d1.values()].map((db) => db.readReplication)).toEqual(["auto"]);
    expect(run.stdout).toContain("[4/6] D1 read replication for our-kpop\n      turned on");
    const live = emulator.state.liveVersion("our-kpop");
    const secrets = live?.bindings.filter((b) => b.type === "secret_text").map((b) => b.name);
    expect(secrets?.toSorted()).toEqual(["ADMIN_TOKEN", "IP_HASH_SALT"]);
    const home = await page(site, "/");
    expect(home.status).toBe(200);
    // As a reader sees it: the title's "K-POP" is wrapped in a no-break span.
    expect(home.text.replace(/<[^>]*>/g, "")).toContain(SEED_TITLE);
    // The static assets come from the upload session, served before the Worker.
    const icon = /\/assets\/favicon\.[0-9a-f]+\.svg/.exec(home.text)?.[0] ?? "no favicon link";
    const asset = await fetch(new URL(icon, site));
    expect(asset.status).toBe(200);
    expect(asset.headers.get("content-type")).toBe("image/svg+xml");
    expect(await asset.text()).toBe(project.read(`dist/public${icon}`));
    const seed = await page(site, article);
    expect(seed.status).toBe(200);
    expect(seed.text).toContain("Hello, and welcome to");
    expect(run.stdout).toMatch(/set up; release [0-9a-f]+ is live/);
    releases.push(project.builtRelease());
  });

  it("the live site accepts a comment and shows it", async () => {
    const posted = await postComment(site, SEED_SLUG, "Minji", "First comment on the live site.");
    expect(posted.status, JSON.stringify(posted.json)).toBe(201);
    expect(await commentBodies(site, SEED_SLUG)).toContain("First comment on the live site.");
  });

  it("an edit, deployed by the workflow's command line, uploads only new entries and switches the site at once", async () => {
    const kvId = [...emulator.state.kv.keys()][0] ?? "";
    const before = new Set(builtKeys());
    const written = emulator.state.kvWrites.get(kvId)?.length ?? 0;
    const docs = await searchDocs();
    project.write(
      `content/posts/${SEED_SLUG}.md`,
      project.read(`content/posts/${SEED_SLUG}.md`).replace("Hello, and welcome to", "Hello again, and welcome to"),
    );
    const command = workflowDeployCommand(undefined);
    expect(command).toBe("npm run deploy -- ");

    // A reader keeps reading the article during the whole deploy.
    let switching = false;
    const seen: { edited: boolean; afterSwitchStarted: boolean }[] = [];
    const deploy = project.run(command, {
      onOutput: (text) => {
        if (text.includes("[5/5] switch")) switching = true;
      },
    });
    let done = false;
    deploy.then(() => {
      done = true;
    });
    while (!done) {
      const afterSwitchStarted = switching;
      const { text } = await page(site, article);
      seen.push({ edited: text.includes("Hello again, and welcome to"), afterSwitchStarted });
      expect(text.includes("Hello again") || text.includes("Hello, and welcome to")).toBe(true);
      await new Promise((r) => setTimeout(r, 100));
    }
    const run = await deploy;
    expect(run.status, run.output).toBe(0);
    expect(emulator.state.unknown).toEqual([]);

    // Old until the switch, new from the first new answer on: never back, never before the switch.
    const first = seen.findIndex((s) => s.edited);
    expect(seen.slice(0, first === -1 ? undefined : first).every((s) => !s.edited)).toBe(true);
    if (first >= 0) {
      expect(seen[first]?.afterSwitchStarted).toBe(true);
      expect(seen.slice(first).every((s) => s.edited)).toBe(true);
    }
    expect(seen.filter((s) => !s.edited).length).toBeGreaterThan(3);
    expect((await page(site, article)).text).toContain("Hello again, and welcome to");
    // The comment is still there.
    expect(await commentBodies(site, SEED_SLUG)).toContain("First comment on the live site.");

    // Only what the edit changed went up, and the search load sent one document.
    const fresh = builtKeys().filter((key) => !before.has(key));
    expect(fresh.length).toBeGreaterThan(0);
    expect(emulator.state.kvWrites.get(kvId)?.slice(written).toSorted()).toEqual(fresh.toSorted());
    // One document per post of the sample (its posts, counted from content/posts).
    expect(run.stdout).toMatch(new RegExp(`1 new of ${samplePosts()} documents`));
    expect(await searchDocs()).toBe(docs + 1);
    releases.push(project.builtRelease());
  });

  it("npm run rollback -- --list shows the deployments with their releases, newest first", async () => {
    const run = await project.run("npm run rollback -- --list");
    expect(run.status, run.output).toBe(0);
    const [first, edit] = releases;
    const lines = run.stdout.split("\n").filter((line) => line.includes("(100%) release"));
    expect(lines[0]).toContain(`release ${edit}`);
    expect(lines[1]).toContain(`release ${first}`);
    expect(lines.slice(2).every((line) => line.includes("release none"))).toBe(true);
  });

  it("npm run rollback puts the previous release back live, comments intact", async () => {
    const run = await project.run("npm run rollback");
    expect(run.status, run.output).toBe(0);
    expect(run.stdout).toContain(`release ${releases[0]} is live again`);
    expect(emulator.state.unknown).toEqual([]);
    const { text } = await page(site, article);
    expect(text).toContain("Hello, and welcome to");
    expect(text).not.toContain("Hello again");
    expect(await commentBodies(site, SEED_SLUG)).toContain("First comment on the live site.");
  });

  it("npm run rollback -- --to <release> goes forward to the edit again", async () => {
    const run = await project.run(`npm run rollback -- --to ${releases[1]}`);
    expect(run.status, run.output).toBe(0);
    expect((await page(site, article)).text).toContain("Hello again, and welcome to");
  });

  it("npm run prune -- --keep 1 deletes the other releases' entries, never the live one's", async () => {
    const kvId = [...emulator.state.kv.keys()][0] ?? "";
    const before = await kvKeys(kvId);
    const run = await project.run("npm run prune -- --keep 1");
    expect(run.status, run.output).toBe(0);
    expect(emulator.state.unknown).toEqual([]);
    const after = await kvKeys(kvId);
    // What is left is exactly the live release's entries (the last build), and something went.
    expect(after.toSorted()).toEqual(builtKeys().toSorted());
    expect(after.length).toBeLessThan(before.length);
    expect(before).toContain(`release:${releases[0]}`);
    const { status, text } = await page(site, article);
    expect(status).toBe(200);
    expect(text).toContain("Hello again, and welcome to");
    expect((await page(site, "/")).status).toBe(200);
  });

  it("a deploy whose queue consumers fail after the switch says the new release is live (it used to say the old one was)", async () => {
    const live = emulator.state.liveVersion("our-kpop")?.id;
    project.write(
      `content/posts/${SEED_SLUG}.md`,
      project
        .read(`content/posts/${SEED_SLUG}.md`)
        .replace("Hello again, and welcome to", "Hello once more, and welcome to"),
    );
    emulator.state.faults.push({ method: "PUT", path: /\/queues\/\w+\/consumers\/\w+$/, kind: "500", times: 100 });
    const run = await project.run("npm run deploy");
    emulator.state.faults.length = 0;
    expect(run.status, run.output).toBe(1);
    expect(run.output).toContain("was only partially updated");
    expect(run.stderr).toContain("The Worker WAS switched: readers get the new release.");
    expect(run.stderr).not.toContain("Readers still get the release that was live before");
    expect(emulator.state.liveVersion("our-kpop")?.id).not.toBe(live);
    expect((await page(site, article)).text).toContain("Hello once more, and welcome to");
    expect(emulator.state.unknown).toEqual([]);
  });

  it("a comment on the live site is queued and the consumer delivers its notification; the hourly cron runs", async () => {
    // The queues setup created, wired as wrangler.toml says: the Worker sends to one and consumes both.
    const queues = [...emulator.state.queues.values()];
    expect(queues.map((q) => q.name).toSorted()).toEqual(["our-kpop-notify", "our-kpop-notify-dlq"]);
    expect(queues.map((q) => q.consumers.map((k) => k.script))).toEqual([["our-kpop"], ["our-kpop"]]);
    expect(queues.find((q) => q.name === "our-kpop-notify")?.consumers[0]?.deadLetterQueue).toBe("our-kpop-notify-dlq");
    expect(emulator.state.scripts.get("our-kpop")?.schedules.map((s) => s.cron)).toEqual(["0 * * * *"]);

    // The owner sets the webhook secret (with the real wrangler), then a reader comments.
    const receiver = await startReceiver();
    try {
      project.write("notify-secrets.json", JSON.stringify({ NOTIFY_WEBHOOK_URL: receiver.url }));
      const secret = await project.run('npx wrangler secret bulk notify-secrets.json --env ""');
      expect(secret.status, secret.output).toBe(0);
      const posted = await postComment(site, SEED_SLUG, "Jisoo", "Notify the owner, please.");
      expect(posted.status, JSON.stringify(posted.json)).toBe(201);
      expect(await eventually(() => receiver.received.length > 0)).toBe(true);
      const [delivery] = receiver.received;
      const body = JSON.parse(delivery?.body ?? "{}") as { type: string; comment: { author: string; text: string } };
      expect(body.type).toBe("comment.created");
      expect(body.comment).toMatchObject({ author: "Jisoo", text: "Notify the owner, please." });
      expect(delivery?.headers["x-notify-id"]).toBeTruthy();
      // Consumed once: acknowledged, not retried.
      await new Promise((r) => setTimeout(r, 1000));
      expect(receiver.received).toHaveLength(1);
    } finally {
      await receiver.close();
    }
    // Cloudflare runs the scheduled handler on the registered cron; in "each" mode it returns at once.
    expect(await emulator.store.runCron("our-kpop", "0 * * * *")).toMatchObject({ outcome: "ok" });
    await expect(emulator.store.runCron("our-kpop", "*/5 * * * *")).rejects.toThrow(/no cron trigger/);
    expect(emulator.state.unknown).toEqual([]);
  });
});

/** The KV keys of the last build (dist/kv). */
function builtKeys(): string[] {
  const files = ["000.json"];
  return files.flatMap((f) => (JSON.parse(project.read(`dist/kv/${f}`)) as { key: string }[]).map((p) => p.key));
}

async function kvKeys(id: string): Promise<string[]> {
  const kv = emulator.store.kv(id);
  const keys: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await kv.list({ cursor, limit: 1000 });
    keys.push(...page.keys.map((k) => k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return keys;
}

async function searchDocs(): Promise<number> {
  const [id] = [...emulator.state.d1.keys()];
  const db = await emulator.store.d1(id ?? "");
  const [result] = await db.batch([db.prepare("SELECT count(*) AS n FROM search_docs")]);
  return Number((result?.results[0] as { n: number } | undefined)?.n);
}

/** How many posts the sample content has (each one search document). */
function samplePosts(): number {
  const posts = join(import.meta.dirname, "..", "..", "content", "posts");
  return readdirSync(posts, { withFileTypes: true }).filter((e) => e.isDirectory() || e.name.endsWith(".md")).length;
}
