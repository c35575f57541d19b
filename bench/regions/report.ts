/**
 * Figures of a run from its history: per region the p50/p95/p99 time to first byte of each case,
 * each ratio to the static floor, the shares of pages answered from memory, the Cache API or a
 * render, the staleness of article reads and the goals' verdicts; as JSON (`--json`) and Markdown.
 */
import { percentile } from "../stats.ts";
import type { CheckResult, Entry, Violations } from "./history.ts";
import {
  isCold,
  isMiss,
  type MissClass,
  missClass,
  missesByPage,
  networkMs,
  type PageType,
  type Pcts,
  pcts,
  round,
} from "./misses.ts";
import { nearest, REGION_NAMES, type Region, rtt } from "./network.ts";

export { type Pcts, pcts } from "./misses.ts";

type Goal = { limit: number; p95: number; met: boolean };

export interface RegionFigures {
  name: string;
  region: Region;
  hit: Pcts;
  /** Every miss (a rendered page); `missWarm` and `missCold` split them (misses.ts). */
  miss: Pcts;
  /** Misses that read no KV key from a central store: their content was already in this data center. */
  missWarm: Pcts;
  /** Misses that read at least one KV key from a central store (its first read here since its cacheTtl began). */
  missCold: Pcts;
  /** Cold misses ÷ all misses. */
  missColdShare: number;
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
  /** `miss` judged on every miss, `missWarm` on the warm ones alone (same limit). */
  goals: Record<"hit" | "miss" | "missWarm" | "nextLoad", Goal>;
  /**
   * The same cases counting only the simulated network (the reader's round trip plus the time the
   * data center waited on KV and D1), p50/p95/p99: what the design costs on the network, without
   * this machine's processing and noise; and the goals judged on it.
   */
  network: Record<
    "hit" | "miss" | "missWarm" | "missCold" | "post" | "nextLoad" | "floor" | "singleOrigin" | "ssrD1",
    Pcts
  >;
  networkGoals: Record<"hit" | "miss" | "missWarm" | "nextLoad", Goal>;
  /** Misses by page type (article; list: home, tag, page 2, archive, feed, search) on the simulated network, warm and cold. */
  missByPage: Record<PageType, MissClass>;
  /**
   * Where the time went, medians in ms: waiting on KV/D1 in the models (simulated round trips and
   * replica waits) and everything else on this machine (workerd, Miniflare, the harness).
   */
  breakdown: Record<"hit" | "miss" | "post" | "nextLoad" | "floor", { bindings: number; local: number }>;
}

export interface RegionsReport {
  regions: RegionFigures[];
  /** The misses that spent longest on the network (simulated ms), to show where it went. */
  slowestMisses: {
    region: Region;
    path: string;
    networkMs: number;
    bindingCalls: number;
    /** Kinds of the KV keys it read from a central store, in order. */
    kvCentral: string[];
    start: number;
  }[];
  violations: Violations;
  oldReleaseAfterDeploy: number;
  scheduleEarly: number;
  examples: string[];
  requests: number;
  settings: Record<string, unknown>;
}

const ok = (e: Entry) => e.status > 0 && e.status < 500;

/** The `n` reader misses with the most simulated network time. */
export function slowestMisses(history: Entry[], n = 8): RegionsReport["slowestMisses"] {
  return history
    .filter(isMiss)
    .sort((a, b) => b.bindingMs - a.bindingMs)
    .slice(0, n)
    .map((e) => ({
      region: e.region,
      path: e.path,
      networkMs: Math.round(networkMs(e)),
      bindingCalls: e.bindingCalls,
      kvCentral: e.kvCentral,
      start: e.start,
    }));
}

type Case = keyof RegionFigures["network"];

const isHit = (e: Entry) => e.served === "memory" || e.served === "cache-api" || e.served === "stale";

/** One region's requests (answered, not failed) in each case. */
function cases(mine: Entry[]): Record<Case, Entry[]> {
  const reads = mine.filter((e) => e.kind === "read" && e.status === 200);
  const misses = reads.filter(isMiss);
  const of = (kind: Entry["kind"]) => mine.filter((e) => e.kind === kind);
  return {
    hit: reads.filter(isHit),
    miss: misses,
    missWarm: misses.filter((e) => !isCold(e)),
    missCold: misses.filter(isCold),
    post: of("post"),
    nextLoad: of("nextLoad"),
    floor: of("floor"),
    singleOrigin: of("origin"),
    ssrD1: of("ssr"),
  };
}

function figuresOf(byCase: Record<Case, Entry[]>, value: (e: Entry) => number): Record<Case, Pcts> {
  const out = {} as Record<Case, Pcts>;
  for (const [k, list] of Object.entries(byCase)) out[k as Case] = pcts(list.map(value));
  return out;
}

/** The goals on figures `c`: the miss limit for every miss and for the warm ones alone. */
function goalsOf(c: Record<Case, Pcts>, nextLoad: Pcts, rtts: { replica: number; primary: number }) {
  const goal = (p95: number, limit: number): Goal => ({ limit: round(limit), p95, met: p95 <= limit });
  return {
    hit: goal(c.hit.p95, 1.1 * c.floor.p95),
    miss: goal(c.miss.p95, c.floor.p95 + rtts.replica),
    missWarm: goal(c.missWarm.p95, c.floor.p95 + rtts.replica),
    nextLoad: goal(nextLoad.p95, c.floor.p95 + rtts.primary),
  };
}

/** Where the time went, medians: waiting on KV/D1 as this machine measured it, and the rest on this machine. */
function breakdownOf(byCase: Record<Case, Entry[]>): RegionFigures["breakdown"] {
  const median = (list: Entry[], pick: (e: Entry) => number) => round(percentile(list.map(pick), 50));
  const split = (list: Entry[]) => ({
    bindings: median(list, (e) => e.bindingMeasuredMs),
    local: median(list, (e) => e.ttfb - e.roundTrip - e.bindingMeasuredMs),
  });
  const { hit, miss, post, nextLoad, floor } = byCase;
  return { hit: split(hit), miss: split(miss), post: split(post), nextLoad: split(nextLoad), floor: split(floor) };
}

/** Figures for one reader region. */
export function regionFigures(
  region: Region,
  history: Entry[],
  checked: CheckResult,
  place: { primary: Region; replicas: readonly Region[] },
): RegionFigures {
  const mine = history.filter((e) => e.region === region && ok(e));
  const byCase = cases(mine);
  const wall = figuresOf(byCase, (e) => e.ttfb);
  const network = figuresOf(byCase, networkMs);
  const reads = [...byCase.hit, ...byCase.miss];
  const share = (s: Entry["served"]) => round(reads.filter((e) => e.served === s).length / Math.max(1, reads.length));
  const stale = checked.staleness.get(region) ?? [];
  const rtts = {
    replica: place.replicas.length ? rtt(region, nearest(region, place.replicas)) : rtt(region, place.primary),
    primary: rtt(region, place.primary),
  };
  const r = (x: Pcts) => round(x.p95 / wall.floor.p95);
  const { hit, miss, post, nextLoad, singleOrigin, ssrD1 } = wall;
  // Next loads on the network are judged at the poster's own data center: one that lands on another
  // (the workload's otherDcShare) pays the reader's detour to it and that data center's trip to the primary.
  const ownNextLoad = pcts(byCase.nextLoad.filter((e) => e.dc === region).map(networkMs));
  return {
    name: REGION_NAMES[region],
    region,
    ...wall,
    missColdShare: missClass(byCase.miss, networkMs).coldShare,
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
    goals: goalsOf(wall, nextLoad, rtts),
    network,
    networkGoals: goalsOf(network, ownNextLoad, rtts),
    missByPage: missesByPage(byCase.miss),
    breakdown: breakdownOf(byCase),
  };
}
