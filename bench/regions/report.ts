/**
 * Figures of a run from its history: per region the p50/p95/p99 time to first byte of each case,
 * each ratio to the static floor, the shares of pages answered from memory, the Cache API or a
 * render, the staleness of article reads and the goals' verdicts; as JSON (`--json`) and Markdown.
 */
import { percentile } from "../stats.ts";
import type { CheckResult, Entry, Violations } from "./history.ts";
import { nearest, REGION_NAMES, type Region, rtt } from "./network.ts";

export interface Pcts {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

export interface RegionFigures {
  name: string;
  region: Region;
  hit: Pcts;
  miss: Pcts;
  post: Pcts;
  nextLoad: Pcts;
  floor: Pcts;
  singleOrigin: Pcts;
  ssrD1: Pcts;
  /** p95 of each case ÷ the floor's p95. */
  ratioToFloor: Record<"hit" | "miss" | "post" | "nextLoad" | "singleOrigin" | "ssrD1", number>;
  /** Shares of the readers' 200 pages, by where they came from. */
  shares: Record<"memory" | "cacheApi" | "stale" | "render" | "personal", number>;
  /** How far behind the acknowledged comments article reads were, ms (0: nothing missing). */
  staleness: Pcts & { max: number };
  goals: Record<"hit" | "miss" | "nextLoad", { limit: number; p95: number; met: boolean }>;
  /**
   * The same cases counting only the simulated network (the reader's round trip plus the time the
   * data center waited on KV and D1), p50/p95/p99: what the design costs on the network, without
   * this machine's processing and noise; and the goals judged on it.
   */
  network: Record<"hit" | "miss" | "post" | "nextLoad" | "floor" | "singleOrigin" | "ssrD1", Pcts>;
  networkGoals: Record<"hit" | "miss" | "nextLoad", { limit: number; p95: number; met: boolean }>;
  /**
   * Where the time went, medians in ms: waiting on KV/D1 in the models (simulated round trips and
   * replica waits) and everything else on this machine (workerd, Miniflare, the harness).
   */
  breakdown: Record<"hit" | "miss" | "post" | "nextLoad" | "floor", { bindings: number; local: number }>;
}

export interface RegionsReport {
  regions: RegionFigures[];
  /** The misses that spent longest on the network (simulated ms), to show where it went. */
  slowestMisses: { region: Region; path: string; networkMs: number; bindingCalls: number; start: number }[];
  violations: Violations;
  oldReleaseAfterDeploy: number;
  scheduleEarly: number;
  examples: string[];
  requests: number;
  settings: Record<string, unknown>;
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : Number.NaN);

export function pcts(values: number[]): Pcts {
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    n: values.length,
  };
}

const ok = (e: Entry) => e.status > 0 && e.status < 500;

/** The `n` reader misses with the most simulated network time. */
export function slowestMisses(history: Entry[], n = 8): RegionsReport["slowestMisses"] {
  return history
    .filter((e) => e.kind === "read" && e.status === 200 && (e.served === "render" || e.served === "other"))
    .sort((a, b) => b.bindingMs - a.bindingMs)
    .slice(0, n)
    .map((e) => ({
      region: e.region,
      path: e.path,
      networkMs: Math.round(e.roundTrip + e.bindingMs),
      bindingCalls: e.bindingCalls,
      start: e.start,
    }));
}

/** Figures for one reader region. */
export function regionFigures(
  region: Region,
  history: Entry[],
  checked: CheckResult,
  place: { primary: Region; replicas: readonly Region[] },
): RegionFigures {
  const mine = history.filter((e) => e.region === region && ok(e));
  const reads = mine.filter((e) => e.kind === "read" && e.status === 200);
  const ttfb = (list: Entry[]) => pcts(list.map((e) => e.ttfb));
  const hit = ttfb(reads.filter((e) => e.served === "memory" || e.served === "cache-api" || e.served === "stale"));
  const miss = ttfb(reads.filter((e) => e.served === "render" || e.served === "other"));
  const kind = (k: Entry["kind"]) => mine.filter((e) => e.kind === k);
  const floor = ttfb(mine.filter((e) => e.kind === "floor"));
  const of = (kind: Entry["kind"]) => ttfb(mine.filter((e) => e.kind === kind));
  const post = of("post");
  const nextLoad = of("nextLoad");
  const singleOrigin = of("origin");
  const ssrD1 = of("ssr");
  const median = (list: Entry[], pick: (e: Entry) => number) => round(percentile(list.map(pick), 50));
  const split = (list: Entry[]) => ({
    bindings: median(list, (e) => e.bindingMeasuredMs),
    local: median(list, (e) => e.ttfb - e.roundTrip - e.bindingMeasuredMs),
  });
  const net = (list: Entry[]) => pcts(list.map((e) => e.roundTrip + e.bindingMs));
  const hits = reads.filter((e) => e.served === "memory" || e.served === "cache-api" || e.served === "stale");
  const misses = reads.filter((e) => e.served === "render" || e.served === "other");
  const share = (s: Entry["served"]) => round(reads.filter((e) => e.served === s).length / Math.max(1, reads.length));
  const stale = checked.staleness.get(region) ?? [];
  const replica = place.replicas.length ? rtt(region, nearest(region, place.replicas)) : rtt(region, place.primary);
  const goal = (p95: number, limit: number) => ({ limit: round(limit), p95, met: p95 <= limit });
  const r = (x: Pcts) => round(x.p95 / floor.p95);
  return {
    name: REGION_NAMES[region],
    region,
    hit,
    miss,
    post,
    nextLoad,
    floor,
    singleOrigin,
    ssrD1,
    ratioToFloor: {
      hit: r(hit),
      miss: r(miss),
      post: r(post),
      nextLoad: r(nextLoad),
      singleOrigin: r(singleOrigin),
      ssrD1: r(ssrD1),
    },
    shares: {
      memory: share("memory"),
      cacheApi: share("cache-api"),
      stale: share("stale"),
      render: round(share("render") + share("other")),
      personal: share("personal"),
    },
    staleness: { ...pcts(stale), max: stale.length ? Math.max(...stale) : 0 },
    goals: {
      hit: goal(hit.p95, 1.1 * floor.p95),
      miss: goal(miss.p95, floor.p95 + replica),
      nextLoad: goal(nextLoad.p95, floor.p95 + rtt(region, place.primary)),
    },
    network: {
      hit: net(hits),
      miss: net(misses),
      post: net(kind("post")),
      nextLoad: net(kind("nextLoad")),
      floor: net(kind("floor")),
      singleOrigin: net(kind("origin")),
      ssrD1: net(kind("ssr")),
    },
    networkGoals: {
      hit: goal(net(hits).p95, 1.1 * net(kind("floor")).p95),
      miss: goal(net(misses).p95, net(kind("floor")).p95 + replica),
      nextLoad: goal(net(kind("nextLoad")).p95, net(kind("floor")).p95 + rtt(region, place.primary)),
    },
    breakdown: {
      hit: split(hits),
      miss: split(misses),
      post: split(kind("post")),
      nextLoad: split(kind("nextLoad")),
      floor: split(kind("floor")),
    },
  };
}

const f = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : "n/a");
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "n/a");
const p = (q: Pcts) => `${f(q.p50)} / ${f(q.p95)} / ${f(q.p99)}`;
const pct = (n: number) => `${Math.round(n * 100)} %`;

/** The report as Markdown: latency, ratios and goals, shares and staleness, violations. */
export function markdown(report: RegionsReport): string {
  const lines = [
    "Time to first byte, ms, p50 / p95 / p99 (reader's round trip included):",
    "",
    "| region | static floor | cache hit | miss | comment POST | poster's next load | single origin | SSR + D1 every view |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map(
      (g) =>
        `| ${g.name} | ${p(g.floor)} | ${p(g.hit)} | ${p(g.miss)} | ${p(g.post)} | ${p(g.nextLoad)} | ${p(g.singleOrigin)} | ${p(g.ssrD1)} |`,
    ),
    "",
    "p95 ÷ the static floor's p95, and the goals (p95 against its limit, ms):",
    "",
    "| region | hit | miss | POST | next load | single origin | SSR + D1 | hit ≤ 1.1× floor | miss ≤ floor + replica | next load ≤ floor + primary |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map((g) => {
      const r = g.ratioToFloor;
      const v = (k: keyof RegionFigures["goals"]) =>
        `${g.goals[k].met ? "met" : "**missed**"} (${f(g.goals[k].p95)} ≤ ${f(g.goals[k].limit)})`;
      return `| ${g.name} | ${x(r.hit)} | ${x(r.miss)} | ${x(r.post)} | ${x(r.nextLoad)} | ${x(r.singleOrigin)} | ${x(r.ssrD1)} | ${v("hit")} | ${v("miss")} | ${v("nextLoad")} |`;
    }),
    "",
    "The simulated network alone (the reader's round trip + the data center's wait on KV and D1), ms, p50 / p95 / p99, and the goals judged on it:",
    "",
    "| region | floor | hit | miss | POST | next load | single origin | SSR + D1 | hit ≤ 1.1× floor | miss ≤ floor + replica | next load ≤ floor + primary |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map((g) => {
      const n = g.network;
      const v = (k: keyof RegionFigures["networkGoals"]) =>
        `${g.networkGoals[k].met ? "met" : "**missed**"} (${f(g.networkGoals[k].p95)} ≤ ${f(g.networkGoals[k].limit)})`;
      return `| ${g.name} | ${p(n.floor)} | ${p(n.hit)} | ${p(n.miss)} | ${p(n.post)} | ${p(n.nextLoad)} | ${p(n.singleOrigin)} | ${p(n.ssrD1)} | ${v("hit")} | ${v("miss")} | ${v("nextLoad")} |`;
    }),
    "",
    "Where readers' pages came from, and how far article reads lagged behind acknowledged comments (ms, p50 / p95 / p99 / max):",
    "",
    "| region | memory | Cache API | stale (revalidating) | rendered | reads | staleness |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map(
      (g) =>
        `| ${g.name} | ${pct(g.shares.memory)} | ${pct(g.shares.cacheApi)} | ${pct(g.shares.stale)} | ${pct(g.shares.render)} | ${g.hit.n + g.miss.n} | ${p(g.staleness)} / ${f(g.staleness.max)} (${g.staleness.n} reads) |`,
    ),
    "",
    "Where the time went (medians, ms): the data center waiting on KV and D1 in the models, and the rest on this machine (workerd, Miniflare, the harness), besides the reader's round trip:",
    "",
    "| region | hit: bindings / local | miss: bindings / local | POST: bindings / local | next load: bindings / local | floor: local |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.regions.map((g) => {
      const b = (k: keyof RegionFigures["breakdown"]) => `${f(g.breakdown[k].bindings)} / ${f(g.breakdown[k].local)}`;
      return `| ${g.name} | ${b("hit")} | ${b("miss")} | ${b("post")} | ${b("nextLoad")} | ${f(g.breakdown.floor.local)} |`;
    }),
    "",
    `Violations (${report.requests} requests checked): ${Object.entries(report.violations)
      .map(([k, n]) => `${k} ${n}`)
      .join(
        ", ",
      )}; old release after a data center's deploy ${report.oldReleaseAfterDeploy}; scheduled post early ${report.scheduleEarly}.`,
  ];
  lines.push(
    "",
    "Slowest misses on the simulated network:",
    "",
    ...report.slowestMisses.map(
      (m) => `- ${REGION_NAMES[m.region]} ${m.path}: ${m.networkMs} ms, ${m.bindingCalls} KV/D1 calls (t=${m.start})`,
    ),
  );
  if (report.examples.length) lines.push("", "Examples:", ...report.examples.map((e) => `- ${e}`));
  return lines.join("\n");
}
