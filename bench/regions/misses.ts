/**
 * A reader's misses in two classes, by whether their content was already in the data center: a
 * warm miss made no KV read from a central store (every key it read was in the data center's KV
 * cache or the isolate's memory: the misses that recur, a comment invalidating a page or the
 * bound expiring); a cold miss made at least one (a key's first read in the data center since its
 * cacheTtl began: right after a deploy, or the first view of a page there). The Worker reads every
 * key with cacheTtl 86400 and every key is content-addressed, so in production a key is read cold
 * once per data center per day, or per release that changes it. By page type too: an article
 * reads its record (and its comments from D1 beside it); a list page (home, tag, page 2, archive,
 * feed, search) reads a list chunk and then the counts from D1, after the release index.
 */
import { percentile } from "../stats.ts";
import type { Entry } from "./history.ts";

export interface Pcts {
  p50: number;
  p95: number;
  p99: number;
  n: number;
}

export const round = (n: number) => (Number.isFinite(n) ? Math.round(n * 10) / 10 : Number.NaN);

export function pcts(values: number[]): Pcts {
  return {
    p50: round(percentile(values, 50)),
    p95: round(percentile(values, 95)),
    p99: round(percentile(values, 99)),
    n: values.length,
  };
}

export type PageType = "article" | "list";

export const PAGE_TYPES: readonly PageType[] = ["article", "list"];

/** An article page (`/posts/<slug>`) or a list page (everything else a reader asks for). */
export const pageType = (path: string): PageType => (/^\/posts\/[^/?#]+$/.test(path) ? "article" : "list");

/** A reader's page that was rendered (not answered from memory, the Cache API or stale). */
export const isMiss = (e: Entry): boolean =>
  e.kind === "read" && e.status === 200 && (e.served === "render" || e.served === "other");

/** A miss that read at least one KV key from a central store. */
export const isCold = (e: Entry): boolean => e.kvCentralReads > 0;

/** A miss's time on the simulated network: the reader's round trip plus the data center's wait on KV and D1. */
export const networkMs = (e: Entry): number => e.roundTrip + e.bindingMs;

export interface MissClass {
  warm: Pcts;
  cold: Pcts;
  /** Cold misses ÷ all misses (NaN when there were none). */
  coldShare: number;
  /** How many cold misses made each sequence of central reads, by key kind in order (`release+list`: the index, then a chunk). */
  coldReads: Record<string, number>;
  /**
   * Cold misses that had waited for their data center's deploy: the harness holds requests that
   * arrive during a swap and lets them in together, so they meet the fresh isolate at once.
   */
  coldAfterDeployWait: number;
}

/** A sequence of key kinds, runs written once with their length: `release+list+article×19`. */
export function readsOf(kinds: readonly string[]): string {
  const runs: [string, number][] = [];
  for (const kind of kinds) {
    const last = runs.at(-1);
    if (last && last[0] === kind) last[1]++;
    else runs.push([kind, 1]);
  }
  return runs.map(([kind, n]) => (n > 1 ? `${kind}×${n}` : kind)).join("+");
}

/** The misses of `misses` in their two classes, figures of `value` (ms). */
export function missClass(misses: Entry[], value: (e: Entry) => number): MissClass {
  const cold = misses.filter(isCold);
  const coldReads: Record<string, number> = {};
  for (const e of cold) {
    const reads = readsOf(e.kvCentral);
    coldReads[reads] = (coldReads[reads] ?? 0) + 1;
  }
  return {
    warm: pcts(misses.filter((e) => !isCold(e)).map(value)),
    cold: pcts(cold.map(value)),
    coldShare: misses.length ? Math.round((cold.length / misses.length) * 1000) / 1000 : Number.NaN,
    coldReads,
    coldAfterDeployWait: cold.filter((e) => e.deployWait > 0).length,
  };
}

/** Warm and cold misses of each page type, on the simulated network. */
export function missesByPage(misses: Entry[]): Record<PageType, MissClass> {
  const of = (type: PageType) =>
    missClass(
      misses.filter((e) => pageType(e.path) === type),
      networkMs,
    );
  return { article: of("article"), list: of("list") };
}
