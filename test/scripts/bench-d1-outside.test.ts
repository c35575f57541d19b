/**
 * The bench's "cache miss, D1 outside workerd" control (bench/d1-outside.ts): the real bundle in
 * workerd, its D1 answered by a Node function on a copy of a migrated database. It must answer
 * the Worker's real queries (a comment written through the plain D1 is on the page; a new comment
 * is stored), make as many D1 calls as the plain miss does, and none of them may reach
 * Miniflare's own D1 (counted by the counting entry, and Miniflare's D1 stays empty).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BindingTally,
  COUNT_REQUEST_HEADER,
  COUNT_RESPONSE_HEADER,
  parseTally,
} from "../../bench/count-bindings.ts";
import { d1OutsideOptions, miniflareD1File, OutsideBindings, type Transport } from "../../bench/d1-outside.ts";
import {
  type BlogInstanceOptions,
  blogOptions,
  d1,
  migrateD1,
  type Running,
  seedKv,
  start,
} from "../../bench/miniflare-worker.ts";
import { dryRunDeploy } from "./wrangler-bundle.ts";

const root = resolve(import.meta.dirname, "..", "..");
const dir = mkdtempSync(join(tmpdir(), "our-kpop-d1-outside-"));
const ARTICLE = "/posts/kpop-in-north-korea";
const SEEDED = "A comment written through the plain local D1, before the copy.";
let spec: BlogInstanceOptions;
let outside: OutsideBindings;
/** One instance per transport, both answered by the same Node side. */
const running: Partial<Record<Transport["via"], Running>> = {};
const instance = (via: Transport["via"]) => running[via] as Running;
let plainD1Calls: number;

const counted = async (url: URL, init: RequestInit = {}) => {
  const response = await fetch(url, { ...init, headers: { ...init.headers, [COUNT_REQUEST_HEADER]: "1" } });
  const text = await response.text();
  return { response, text, tally: parseTally(response.headers.get(COUNT_RESPONSE_HEADER)) as BindingTally };
};

const postComment = (url: URL, body: string) =>
  counted(new URL(`${ARTICLE}/comments`, url), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", "idempotency-key": crypto.randomUUID() },
    body: JSON.stringify({ name: "Bench test", body }),
  });

beforeAll(async () => {
  const { outdir } = await dryRunDeploy({ outdir: join(dir, "worker") });
  const base = { bundle: join(outdir, "index.js"), vars: { IP_HASH_SALT: "test-salt", PAGE_CACHE: "off" } };
  spec = { ...base, persistDir: join(dir, "outside-state"), cacheApi: false, rateLimit: 1e6 };
  // The plain miss instance: KV and D1 in Miniflare, a comment through the real Worker, then its calls counted.
  const sourceDir = join(dir, "source");
  const plain = await start(blogOptions({ ...spec, persistDir: sourceDir, countBindings: true }));
  try {
    await seedKv(plain.mf, join(root, "dist", "kv"));
    await migrateD1(plain.mf, join(root, "migrations"));
    expect((await postComment(plain.url, SEEDED)).response.status).toBe(201);
    await counted(new URL(ARTICLE, plain.url));
    plainD1Calls = (await counted(new URL(ARTICLE, plain.url))).tally.d1;
  } finally {
    await plain.mf.dispose();
  }
  outside = new OutsideBindings(join(dir, "outside"), miniflareD1File(sourceDir), join(root, "dist"));
  await outside.listen();
  for (const via of ["external", "function"] as const)
    running[via] = await start(
      d1OutsideOptions({ ...spec, persistDir: join(dir, `state-${via}`) }, outside, { via, countBindings: true }),
    );
}, 120_000);

afterAll(async () => {
  for (const r of Object.values(running)) await r.mf.dispose();
  outside?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("cache miss with D1 outside workerd", { timeout: 60_000 }, () => {
  it.each(["external", "function"] as const)(
    "renders the article from the copied database, with the plain miss's D1 calls, none to Miniflare's D1 (%s transport)",
    async (via) => {
      const url = new URL(ARTICLE, instance(via).url);
      const first = await counted(url);
      expect(first.response.status).toBe(200);
      expect(first.text).toContain(SEEDED);
      outside.reset();
      const warm = await counted(url);
      expect(warm.text).toContain(SEEDED);
      expect(plainD1Calls).toBeGreaterThan(0);
      expect(outside.calls.d1).toBe(plainD1Calls);
      for (const { tally } of [first, warm]) expect({ kv: tally.kv, d1: tally.d1 }).toEqual({ kv: 0, d1: 0 });
    },
  );

  it("stores a new comment in the copy, never in Miniflare's D1", async () => {
    const body = "A comment posted while D1 is answered outside workerd.";
    const post = await postComment(instance("external").url, body);
    expect(post.response.status).toBe(201);
    expect({ kv: post.tally.kv, d1: post.tally.d1 }).toEqual({ kv: 0, d1: 0 });
    const stored = outside.d1.primaryDb.prepare("SELECT count(*) AS n FROM comments WHERE body = ?").get(body);
    expect(stored?.n).toBe(1);
    for (const via of ["external", "function"] as const) {
      const list = await fetch(new URL(`${ARTICLE}/comments`, instance(via).url));
      expect(await list.text()).toContain(body);
      // Miniflare's own D1 for this instance was never migrated and was never written to.
      const own = await d1(instance(via).mf);
      expect(await own.prepare("SELECT count(*) AS n FROM sqlite_master").first()).toEqual({ n: 0 });
    }
  });
});
