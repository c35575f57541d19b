/**
 * The simulated deployment's parts on their own (bench/regions/): the D1 model's replicas are real
 * SQLite copies that serve stale rows until the lag has passed and honour bookmarks; the KV model
 * keeps cached values and "not found" until cacheTtl expires; the history checker finds each kind of
 * violation in a history that has it, and none in one that does not.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { D1Model } from "../../bench/regions/d1-model.ts";
import { check, type Entry } from "../../bench/regions/history.ts";
import { KvModel } from "../../bench/regions/kv-model.ts";
import { markdown } from "../../bench/regions/markdown.ts";
import { missClass, networkMs, pageType, readsOf } from "../../bench/regions/misses.ts";
import { nearest, rtt, SimClock } from "../../bench/regions/network.ts";
import { type RegionsReport, regionFigures } from "../../bench/regions/report.ts";
import { BindingWaits } from "../../bench/regions/waits.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function model(lagMs: number): D1Model {
  const dir = mkdtempSync(join(tmpdir(), "regions-d1-"));
  dirs.push(dir);
  const d1 = new D1Model(new SimClock(1), { dir, primary: "virginia", replicas: ["virginia", "tokyo"], lagMs });
  d1.primaryDb.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  d1.startReplicas();
  return d1;
}

const insert = { sql: "INSERT INTO notes (body) VALUES (?) RETURNING id", params: ["hello"] };
const select = { sql: "SELECT body FROM notes", params: [] };

describe("D1 model", () => {
  it("writes on the primary; a replica read right after is stale, a read with the write's bookmark is not", async () => {
    const d1 = model(300);
    const write = await d1.query("seoul", [insert], { constraint: "first-primary", bookmark: null });
    expect(write.primary).toBe(true);
    expect(write.results[0]?.results).toEqual([{ id: 1 }]);
    const stale = await d1.query("seoul", [select], { constraint: "first-unconstrained", bookmark: null });
    expect(stale.servedBy).toBe("tokyo");
    expect(stale.results[0]?.results).toEqual([]);
    const fresh = await d1.query("seoul", [select], { constraint: "first-unconstrained", bookmark: write.bookmark });
    expect(fresh.servedBy).toBe("tokyo");
    expect(fresh.results[0]?.results).toEqual([{ body: "hello" }]);
    expect(d1.calls.filter((c) => c.waitedMs > 0)).toHaveLength(1);
    d1.close();
  });

  it("sends a write that reached a replica on to the primary, and plain queries to the primary", async () => {
    const d1 = model(0);
    const forwarded = await d1.query("tokyo", [insert], { constraint: "first-unconstrained", bookmark: null });
    expect(forwarded.primary).toBe(true);
    expect(d1.calls.at(-1)?.servedBy).toBe("virginia via tokyo");
    const plain = await d1.query("tokyo", [select], { constraint: "none", bookmark: null });
    expect(plain.servedBy).toBe("virginia");
    d1.close();
  });

  it("runs a batch as one call on one instance: a first-primary session's first batch all on the primary, its next call at a replica", async () => {
    // D1 docs: batch() "Sends multiple SQL statements inside a single call to the database";
    // first-primary "Directs the first query in the Session ... to the primary"; "Subsequent queries
    // in the Session may use read replicas", at least as new as the session's bookmark.
    const d1 = model(300);
    await d1.query("virginia", [insert], { constraint: "none", bookmark: null });
    const first = await d1.query("seoul", [select, select, select], { constraint: "first-primary", bookmark: null });
    expect(first.primary).toBe(true);
    expect(first.results.map((r) => r.results)).toEqual([
      [{ body: "hello" }],
      [{ body: "hello" }],
      [{ body: "hello" }],
    ]);
    expect(first.simulatedMs).toBe(rtt("seoul", "virginia"));
    expect(d1.calls).toHaveLength(2);
    const next = await d1.query("seoul", [select], { constraint: "first-primary", bookmark: first.bookmark });
    expect(next.servedBy).toBe("tokyo");
    expect(next.results[0]?.results).toEqual([{ body: "hello" }]);
    expect(d1.calls.at(-1)?.waitedMs).toBeGreaterThan(0);
    d1.close();
  });

  it("rolls a failing batch back on the primary and replicates nothing", async () => {
    const d1 = model(0);
    const bad = { sql: "INSERT INTO notes (body) VALUES (NULL)", params: [] };
    await expect(d1.query("virginia", [insert, bad], { constraint: "first-primary", bookmark: null })).rejects.toThrow(
      /NOT NULL/,
    );
    expect(d1.primaryDb.prepare("SELECT count(*) AS n FROM notes").get()?.n).toBe(0);
    d1.close();
  });
});

describe("KV model", () => {
  it("serves a data center's cached value (or 'not found') until cacheTtl expires, whatever was written since", async () => {
    const kv = new KvModel(new SimClock(1));
    kv.seed([{ key: "k", value: "v1" }]);
    expect((await kv.get("sydney", "k", 60))?.value).toBe("v1");
    expect(await kv.get("sydney", "missing", 60)).toBeNull();
    await kv.put("frankfurt", "k", "v2");
    await kv.put("frankfurt", "missing", "now here");
    expect((await kv.get("sydney", "k", 60))?.value).toBe("v1");
    expect(await kv.get("sydney", "missing", 60)).toBeNull();
    expect((await kv.get("frankfurt", "k"))?.value).toBe("v2");
    expect(kv.calls.filter((c) => c.call.from === "central").map((c) => c.dc)).toEqual(["sydney", "sydney"]);
  });

  it("tells a read from a central store from one its data center's cache answered", async () => {
    const kv = new KvModel(new SimClock(100));
    kv.seed([{ key: "list:1", value: "[]" }]);
    expect(await kv.read("seoul", "list:1", 86_400)).toMatchObject({ from: "central", ms: 229 });
    expect(await kv.read("seoul", "list:1", 86_400)).toMatchObject({ from: "cache", ms: 0 });
    expect(await kv.read("tokyo", "list:1", 86_400)).toMatchObject({ from: "central", ms: 170 });
  });

  it("puts the central stores' round trip from the published table on a cold read", () => {
    expect(rtt("seoul", nearest("seoul", ["virginia", "frankfurt"]))).toBe(229);
    expect(rtt("virginia", "virginia")).toBe(2);
  });
});

function entry(over: Partial<Entry>): Entry {
  return {
    kind: "read",
    region: "seoul",
    dc: "seoul",
    path: "/",
    start: 0,
    end: 10,
    ttfb: 10,
    deployWait: 0,
    roundTrip: 20,
    bindingMs: 0,
    bindingMeasuredMs: 0,
    bindingCalls: 0,
    kvCentralReads: 0,
    kvCentral: [],
    status: 200,
    served: "memory",
    editions: ["B"],
    tokens: [],
    listsScheduled: true,
    ...over,
  };
}

describe("history checker", () => {
  const base = {
    boundMs: 1000,
    scheduled: { at: 5000, slug: "s", paths: ["/"] },
    deployed: new Map([["seoul", 100]]),
    newEdition: "B",
  };
  const post = entry({
    kind: "post",
    path: "/posts/a/comments",
    status: 303,
    end: 1000,
    comment: { token: "t1", slug: "a" },
  });

  it("finds no violation in a history that keeps every guarantee", () => {
    const history = [
      post,
      entry({ kind: "nextLoad", path: "/posts/a", start: 1100, tokens: ["t1"], comment: { token: "t1", slug: "a" } }),
      entry({ path: "/posts/a", start: 2500, tokens: ["t1"] }),
      entry({ path: "/", start: 6000 }),
    ];
    const result = check({ ...base, history, stored: new Set(["t1"]) });
    expect(result.violations).toEqual({
      readYourOwnComment: 0,
      beyondBound: 0,
      mixedRelease: 0,
      scheduleLate: 0,
      lost: 0,
    });
    expect(result.staleness.get("seoul")).toEqual([0]);
  });

  it("counts each kind of violation", () => {
    const history = [
      post,
      entry({ kind: "nextLoad", path: "/posts/a", start: 1100, comment: { token: "t1", slug: "a" } }),
      entry({ path: "/posts/a", start: 1500 }),
      entry({ path: "/posts/a", start: 2500 }),
      entry({ path: "/posts/b", editions: ["A", "B"] }),
      entry({ path: "/", start: 6000, listsScheduled: false }),
      entry({ path: "/posts/b", start: 200, editions: ["A"] }),
    ];
    const result = check({ ...base, history, stored: new Set() });
    expect(result.violations).toEqual({
      readYourOwnComment: 1,
      beyondBound: 1,
      mixedRelease: 1,
      scheduleLate: 1,
      lost: 1,
    });
    expect(result.oldReleaseAfterDeploy).toBe(1);
    expect(result.staleness.get("seoul")).toEqual([500, 1500]);
  });
});

describe("waits and misses, warm and cold", () => {
  it("adds up a request's waits before its first byte and names its central KV reads in order", () => {
    const waits = new BindingWaits();
    waits.add("1", { issued: 0, from: 0, to: 230, ms: 229, kind: { kvCentral: "release:abc" } });
    waits.add("1", { issued: 230, from: 231, to: 461, ms: 229, kind: { kvCentral: "list:def" } });
    waits.add("1", { from: 461, to: 495, ms: 33 });
    // A revalidation in waitUntil, after the first byte: it did not delay the reader.
    waits.add("1", { from: 600, to: 830, ms: 229, kind: { kvCentral: "article:x" } });
    const taken = { ms: 491, measuredMs: 494, calls: 3, kvCentral: ["release", "list"] };
    expect(waits.take("1", 500)).toEqual(taken);
    expect(waits.take("1", 500).calls).toBe(0);
  });

  it("lays calls issued together from their issue, however late the harness delivered them", () => {
    const waits = new BindingWaits();
    // A feed's records, issued at once; the loopback handed them to Node 0 to 140 ms apart.
    for (let i = 0; i < 20; i++) waits.add("f", { issued: 1000, from: 1000 + 7 * i, to: 1120 + 7 * i, ms: 119 });
    expect(waits.take("f", 2000)).toMatchObject({ ms: 119, measuredMs: 253, calls: 20 });
    expect(Math.max(...waits.delivery)).toBe(133);
  });

  it("classes misses by their central KV reads and page type", () => {
    expect(["/posts/a", "/", "/tags/k-pop", "/page/2", "/archive", "/feed.xml", "/search?q=a"].map(pageType)).toEqual([
      "article",
      ...Array(6).fill("list"),
    ]);
    expect(readsOf(["release", "list", "article", "article"])).toBe("release+list+article×2");
    const misses = [
      entry({ served: "render", path: "/posts/a", bindingMs: 33 }),
      entry({ served: "render", path: "/", bindingMs: 262, kvCentralReads: 1, kvCentral: ["list"] }),
      entry({ served: "render", path: "/", bindingMs: 491, kvCentralReads: 2, kvCentral: ["release", "list"] }),
    ];
    expect(missClass(misses, networkMs)).toEqual({
      warm: { p50: 53, p95: 53, p99: 53, n: 1 },
      cold: { p50: 282, p95: 511, p99: 511, n: 2 },
      coldShare: 0.667,
      coldReads: { list: 1, "release+list": 1 },
      coldAfterDeployWait: 0,
    });
  });

  it("judges the miss goal on all misses and on warm ones, on the network and in the report", () => {
    const history = [
      entry({ kind: "floor", dc: "floor" }),
      entry({ served: "memory" }),
      entry({ served: "render", path: "/posts/a", bindingMs: 33 }),
      entry({ served: "render", path: "/tags/k-pop", bindingMs: 33 }),
      entry({ served: "render", path: "/posts/b", bindingMs: 229, kvCentralReads: 1, kvCentral: ["article"] }),
      entry({ served: "render", path: "/", bindingMs: 262, kvCentralReads: 1, kvCentral: ["list"] }),
    ];
    const none = { boundMs: 1, scheduled: { at: 0, slug: "s", paths: [] }, deployed: new Map(), newEdition: "B" };
    const checked = check({ ...none, history: [], stored: new Set() });
    const g = regionFigures("seoul", history, checked, { primary: "virginia", replicas: ["virginia", "tokyo"] });
    expect(Object.keys(g.miss)).toEqual(["p50", "p95", "p99", "n"]);
    expect([g.miss.n, g.missWarm.n, g.missCold.n, g.missColdShare]).toEqual([4, 2, 2, 0.5]);
    expect(g.network.missWarm).toEqual({ p50: 53, p95: 53, p99: 53, n: 2 });
    expect(g.network.missCold).toEqual({ p50: 249, p95: 282, p99: 282, n: 2 });
    expect(g.networkGoals.miss).toEqual({ limit: 53, p95: 282, met: false });
    expect(g.networkGoals.missWarm).toEqual({ limit: 53, p95: 53, met: true });
    expect(g.missByPage.article.coldReads).toEqual({ article: 1 });
    expect(g.missByPage.list).toMatchObject({ warm: { n: 1 }, cold: { p50: 282, n: 1 }, coldReads: { list: 1 } });
    const report: RegionsReport = { ...checked, regions: [g], slowestMisses: [], requests: 6, settings: {} };
    const md = markdown(report);
    expect(md).toContain("| miss ≤ floor + replica, all misses | miss ≤ floor + replica, warm misses |");
    expect(md).toContain("| 249 / 282 / 282 (2, 50 %) |");
    expect(md).toContain("| **missed** (282 ≤ 53) | met (53 ≤ 53) |");
  });
});
