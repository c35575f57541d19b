/**
 * The release switch, locally: two builds with different content go into the same KV namespace
 * (as two deploys upload into production's), and the Worker bundled with each release serves
 * exactly that release's content, never the other's, although both are in KV at once.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { convertV4MiniflareOptions, Miniflare, type V4WorkerOptions } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { writeAssets } from "../../pipeline/assets.ts";
import { writeBuild } from "../../pipeline/write-build.ts";
import { dryRunDeploy } from "./wrangler-bundle.ts";

const root = resolve(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "our-kpop-switch-"));
let mf: Miniflare;

const post = (title: string, date: string, body: string) =>
  `---\ntitle: ${title}\ndate: ${date}\ntags: [switch]\n---\n\n${body}\n`;

/** A copy of the app (src/, config) whose release module holds the release built from `posts`. */
async function buildApp(name: string, posts: Record<string, string>) {
  const app = join(dir, name);
  mkdirSync(join(app, "content", "posts"), { recursive: true });
  for (const [file, text] of Object.entries(posts)) writeFileSync(join(app, "content", "posts", file), text);
  cpSync(join(root, "src"), join(app, "src"), { recursive: true });
  for (const file of ["wrangler.toml", "tsconfig.json"]) cpSync(join(root, file), join(app, file));
  symlinkSync(join(root, "node_modules"), join(app, "node_modules"), "dir");
  const { release } = await writeBuild({
    contentDir: join(app, "content"),
    outDir: join(app, "dist"),
    releaseModule: join(app, "src", "generated", "release.ts"),
    drafts: false,
  });
  // wrangler.toml's `[assets]` directory, and the module the layout reads asset URLs from.
  await writeAssets({
    srcDir: join(root, "assets"),
    outDir: join(app, "dist", "public"),
    module: join(app, "src", "generated", "assets.ts"),
  });
  await dryRunDeploy({ cwd: app, outdir: join(app, "out") });
  return { release, script: join(app, "out", "index.js") };
}

beforeAll(async () => {
  const [one, two] = await Promise.all([
    buildApp("one", { "story.md": post("The story", "2025-05-01", "Release one tells it this way.") }),
    buildApp("two", {
      "story.md": post("The story", "2025-05-01", "Release two tells it another way."),
      "sequel.md": post("The sequel", "2025-05-02", "Only release two has a sequel."),
    }),
  ]);
  // Both Workers get wrangler.toml's bindings, so both read the one local namespace bound as CONTENT.
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  // A queue has one consumer (the deployed Worker, whichever release it carries): the first here.
  const { modulesRules: _rules, ...fromConfig } = workerOptions;
  const worker = (name: string, scriptPath: string): V4WorkerOptions => ({
    ...fromConfig,
    ...(name === "one" ? {} : { queueConsumers: undefined }),
    name,
    modules: true,
    scriptPath,
    // Module names are paths relative to this root; the bundles live outside the project.
    modulesRoot: dirname(scriptPath),
  });
  mf = new Miniflare(convertV4MiniflareOptions({ workers: [worker("one", one.script), worker("two", two.script)] }));
  const kv = (await mf.getKVNamespace("CONTENT", "one")) as unknown as { put(k: string, v: string): Promise<void> };
  for (const entries of [one.release.entries, two.release.entries])
    for (const [key, value] of entries) await kv.put(key, value);
  // Comments come from D1: migrate the one local database both Workers share, as a deploy would.
  const db = (await mf.getD1Database("DB", "one")) as unknown as D1;
  for (const migration of await readD1Migrations(join(root, "migrations")))
    await db.batch(migration.queries.map((q) => db.prepare(q)));
  expect(one.release.id).not.toBe(two.release.id);
}, 90_000);
afterAll(async () => {
  await mf?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** The part of D1Database the test uses (Miniflare's own type needs the Workers types). */
interface D1 {
  prepare(sql: string): unknown;
  batch(statements: unknown[]): Promise<unknown>;
}

async function page(worker: string, path: string): Promise<{ status: number; text: string }> {
  // Miniflare's own types need the Workers types loaded; this is the part the test uses.
  const fetcher = (await mf.getWorker(worker)) as unknown as { fetch(url: string): Promise<Response> };
  const res = await fetcher.fetch(`http://localhost${path}`);
  return { status: res.status, text: await res.text() };
}

describe("two releases in one KV namespace", { timeout: 30_000 }, () => {
  it("the Worker built with release 1 serves release 1 only", async () => {
    const story = await page("one", "/posts/story");
    expect(story.status).toBe(200);
    expect(story.text).toContain("Release one tells it this way.");
    expect(story.text).not.toContain("Release two");
    const home = await page("one", "/");
    expect(home.text).toContain("The story");
    expect(home.text).not.toContain("The sequel");
    expect((await page("one", "/posts/sequel")).status).toBe(404);
  });

  it("the Worker built with release 2 serves release 2 only", async () => {
    const story = await page("two", "/posts/story");
    expect(story.status).toBe(200);
    expect(story.text).toContain("Release two tells it another way.");
    expect(story.text).not.toContain("Release one");
    expect((await page("two", "/")).text).toContain("The sequel");
    expect((await page("two", "/posts/sequel")).text).toContain("Only release two has a sequel.");
    expect((await page("two", "/feed.xml")).text).toContain("The sequel");
    expect((await page("one", "/feed.xml")).text).not.toContain("The sequel");
  });
});
