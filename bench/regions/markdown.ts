/** The report of a run as Markdown: latency, the network alone, goals, misses warm and cold, shares, staleness, violations. */
import { PAGE_TYPES, readsOf } from "./misses.ts";
import { REGION_NAMES } from "./network.ts";
import type { Pcts, RegionFigures, RegionsReport } from "./report.ts";

const f = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : "n/a");
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "n/a");
const p = (q: Pcts) => `${f(q.p50)} / ${f(q.p95)} / ${f(q.p99)}`;
const pn = (q: Pcts) => `${p(q)} (${q.n})`;
const pct = (n: number) => (Number.isFinite(n) ? `${Math.round(n * 100)} %` : "n/a");
const verdict = (g: RegionFigures["goals"]["hit"]) => `${g.met ? "met" : "**missed**"} (${f(g.p95)} ≤ ${f(g.limit)})`;
const table = (head: string[], rows: string[][]) => [
  `| ${head.join(" | ")} |`,
  `| ${head.map(() => "---").join(" | ")} |`,
  ...rows.map((r) => `| ${r.join(" | ")} |`),
];

const GOAL_HEADS = [
  "hit ≤ 1.1× floor",
  "miss ≤ floor + replica, all misses",
  "miss ≤ floor + replica, warm misses",
  "next load ≤ floor + primary",
];
const goalCells = (g: RegionFigures["goals"]) => [
  verdict(g.hit),
  verdict(g.miss),
  verdict(g.missWarm),
  verdict(g.nextLoad),
];

function wallClock(report: RegionsReport): string[] {
  const heads = ["static floor", "cache hit", "miss", "comment POST", "poster's next load", "single origin"];
  return [
    "Time to first byte, ms, p50 / p95 / p99 (reader's round trip included):",
    "",
    ...table(
      ["region", ...heads, "SSR + D1 every view"],
      report.regions.map((g) => [
        g.name,
        ...[g.floor, g.hit, g.miss, g.post, g.nextLoad, g.singleOrigin, g.ssrD1].map(p),
      ]),
    ),
    "",
    "p95 ÷ the static floor's p95, and the goals (p95 against its limit, ms; warm misses: those that read no KV key from a central store):",
    "",
    ...table(
      ["region", "hit", "miss", "POST", "next load", "single origin", "SSR + D1", ...GOAL_HEADS],
      report.regions.map((g) => {
        const r = g.ratioToFloor;
        return [g.name, ...[r.hit, r.miss, r.post, r.nextLoad, r.singleOrigin, r.ssrD1].map(x), ...goalCells(g.goals)];
      }),
    ),
  ];
}

function networkAlone(report: RegionsReport): string[] {
  return [
    "The simulated network alone (the reader's round trip + the data center's wait on KV and D1), ms, p50 / p95 / p99; misses split into warm (no KV read from a central store: the content was already in this data center) and cold (at least one; count and share of all misses); and the goals judged on it:",
    "",
    ...table(
      [
        "region",
        "floor",
        "hit",
        "miss, all",
        "miss, warm",
        "miss, cold",
        "POST",
        "next load",
        "single origin",
        "SSR + D1",
      ].concat(GOAL_HEADS),
      report.regions.map((g) => {
        const n = g.network;
        const cold = `${p(n.missCold)} (${n.missCold.n}, ${pct(g.missColdShare)})`;
        const cells = [n.floor, n.hit, n.miss, n.missWarm].map(p);
        return [
          g.name,
          ...cells,
          cold,
          ...[n.post, n.nextLoad, n.singleOrigin, n.ssrD1].map(p),
          ...goalCells(g.networkGoals),
        ];
      }),
    ),
  ];
}

function byPage(report: RegionsReport): string[] {
  const reads = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} ${n}`)
      .join(", ") || "none";
  return [
    "Misses by page type on the simulated network, ms, p50 / p95 / p99 (count; of the cold ones, how many had waited for their data center's deploy and met its fresh isolate together): articles, and list pages (home, tag, page 2, archive, feed, search); the KV keys the cold ones read from a central store, in order (release: the index; list: a list chunk; article: a record), and how many misses read each:",
    "",
    ...table(
      ["region", ...PAGE_TYPES.flatMap((t) => [`${t}: warm`, `${t}: cold`, `${t}: cold reads`])],
      report.regions.map((g) => [
        g.name,
        ...PAGE_TYPES.flatMap((t) => [
          pn(g.missByPage[t].warm),
          `${p(g.missByPage[t].cold)} (${g.missByPage[t].cold.n}; ${g.missByPage[t].coldAfterDeployWait} after a deploy wait)`,
          reads(g.missByPage[t].coldReads),
        ]),
      ]),
    ),
  ];
}

function sharesAndTime(report: RegionsReport): string[] {
  const b = (g: RegionFigures, k: keyof RegionFigures["breakdown"]) =>
    `${f(g.breakdown[k].bindings)} / ${f(g.breakdown[k].local)}`;
  return [
    "Where readers' pages came from, and how far article reads lagged behind acknowledged comments (ms, p50 / p95 / p99 / max):",
    "",
    ...table(
      ["region", "memory", "Cache API", "stale (revalidating)", "rendered", "reads", "staleness"],
      report.regions.map((g) => [
        g.name,
        ...[g.shares.memory, g.shares.cacheApi, g.shares.stale, g.shares.render].map(pct),
        String(g.hit.n + g.miss.n),
        `${p(g.staleness)} / ${f(g.staleness.max)} (${g.staleness.n} reads)`,
      ]),
    ),
    "",
    "Where the time went (medians, ms): the data center waiting on KV and D1 in the models, and the rest on this machine (workerd, Miniflare, the harness), besides the reader's round trip:",
    "",
    ...table(
      [
        "region",
        "hit: bindings / local",
        "miss: bindings / local",
        "POST: bindings / local",
        "next load: bindings / local",
      ].concat("floor: local"),
      report.regions.map((g) => [
        g.name,
        b(g, "hit"),
        b(g, "miss"),
        b(g, "post"),
        b(g, "nextLoad"),
        f(g.breakdown.floor.local),
      ]),
    ),
  ];
}

type KvReads = {
  central: number;
  centralDistinct: number;
  centralByKind: Record<string, { reads: number; distinct: number }>;
};

/** The central KV reads of the whole run, with the distinct (region, key) pairs they were. */
function centralReads(settings: Record<string, unknown>): string[] {
  const kv = settings.kvReads as KvReads | undefined;
  if (!kv?.centralByKind) return [];
  const kinds = Object.entries(kv.centralByKind)
    .map(([kind, k]) => `${kind} ${k.reads} (${k.distinct})`)
    .join(", ");
  return [
    "",
    `KV reads from a central store, every request of the run (baselines and probes too): ${kv.central}, of ${kv.centralDistinct} distinct (region, key) pairs (a key's first read in a region's KV cache; the rest were reads of a key already on its way there); by kind, reads (pairs): ${kinds}.`,
  ];
}

/** The report as Markdown: latency, ratios and goals, misses warm and cold, shares and staleness, violations. */
export function markdown(report: RegionsReport): string {
  const violations = Object.entries(report.violations)
    .map(([k, n]) => `${k} ${n}`)
    .join(", ");
  const lines = [
    ...wallClock(report),
    "",
    ...networkAlone(report),
    "",
    ...byPage(report),
    ...centralReads(report.settings),
    "",
    ...sharesAndTime(report),
    "",
    `Violations (${report.requests} requests checked): ${violations}; old release after a data center's deploy ${report.oldReleaseAfterDeploy}; scheduled post early ${report.scheduleEarly}.`,
    "",
    "Slowest misses on the simulated network:",
    "",
    ...report.slowestMisses.map(
      (m) =>
        `- ${REGION_NAMES[m.region]} ${m.path}: ${m.networkMs} ms, ${m.bindingCalls} KV/D1 calls, central KV reads: ${readsOf(m.kvCentral) || "none"} (t=${m.start})`,
    ),
  ];
  if (report.examples.length) lines.push("", "Examples:", ...report.examples.map((e) => `- ${e}`));
  return lines.join("\n");
}
