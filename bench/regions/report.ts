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
      // Judged on next loads at the poster's own data center: one that lands on another (the
      // workload's otherDcShare) pays the reader's detour to it and that data center's trip to the primary.
      nextLoad: goal(
        net(kind("nextLoad").filter((e) => e.dc === region)).p95,
        net(kind("floor")).p95 + rtt(region, place.primary),
      ),
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
