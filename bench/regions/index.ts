/**
 * `npm run bench:regions`: the blog as a simulated global deployment (docs/regions.md).
 *
 *   npm run bench:regions [-- --quick] [--json FILE] [--svg FILE] [--md FILE] [--duration S]
 *     [--rate N] [--lag MS] [--primary REGION] [--reader-rtt MS] [--bound S] [--regions a,b] [--keep]
 *     [--history FILE]   (every request's record, one JSON line each: history.ts's Entry)
 *
 * Builds releases A and B, starts one data center per region (the real bundle under Miniflare,
 * data through the KV and D1 models), runs the workload (a deploy of B and a scheduled post
 * during it), checks the history and prints the figures.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { percentile } from "../stats.ts";
import { check } from "./history.ts";
import { markdown } from "./markdown.ts";
import { REGIONS, type Region, regionOf } from "./network.ts";
import { buildReleases, MARKER_SLUG, type Release, SCHEDULED_SLUG } from "./releases.ts";
import { type RegionsReport, regionFigures, slowestMisses } from "./report.ts";
import { chart } from "./svg.ts";
import { keyKind } from "./waits.ts";
import { runWorkload, SCHEDULED_PATHS } from "./workload.ts";
import { bulkEntries, startWorld, type World } from "./world.ts";

export interface RegionsOptions {
  durationS: number;
  readRate: number;
  commentEveryS: number;
  regions: Region[];
  primary: Region;
  replicas: Region[];
  lagMs: number;
  readerRtt: number;
  boundS: number;
  posts: number;
  /** How long building and starting are expected to take: the scheduled post is dated from it. */
  setupMs: number;
  keep: boolean;
  /** Where to write the history, one JSON line per request, when given. */
  historyFile?: string;
  log: (line: string) => void;
}

/** D1's replica regions (ENAM, WEUR, APAC, OC) placed in our cities; APAC's in Tokyo is an assumption. */
export const DEFAULT_REPLICAS: Region[] = ["virginia", "frankfurt", "tokyo", "sydney"];

export function optionsFrom(argv: string[]): RegionsOptions & { json?: string; svg?: string; md?: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      svg: { type: "string" },
      md: { type: "string" },
      duration: { type: "string" },
      rate: { type: "string" },
      lag: { type: "string", default: "1000" },
      primary: { type: "string", default: "virginia" },
      replicas: { type: "string" },
      "reader-rtt": { type: "string", default: "20" },
      bound: { type: "string", default: "15" },
      regions: { type: "string" },
      keep: { type: "boolean", default: false },
      history: { type: "string" },
    },
  });
  const num = (v: string | undefined, fallback: number, name: string) => {
    const n = v === undefined ? fallback : Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} must be a number of at least 0, got ${v}`);
    return n;
  };
  const list = (v: string | undefined, fallback: Region[]) => (v ? v.split(",").map(regionOf) : fallback);
  return {
    durationS: num(values.duration, values.quick ? 45 : 120, "duration"),
    readRate: num(values.rate, values.quick ? 2 : 3, "rate"),
    commentEveryS: values.quick ? 5 : 8,
    regions: list(values.regions, [...REGIONS]),
    primary: regionOf(values.primary),
    replicas: list(values.replicas, DEFAULT_REPLICAS),
    lagMs: num(values.lag, 1000, "lag"),
    readerRtt: num(values["reader-rtt"], 20, "reader-rtt"),
    boundS: num(values.bound, 15, "bound"),
    posts: values.quick ? 20 : 40,
    setupMs: 40_000,
    keep: values.keep,
    ...(values.history ? { historyFile: values.history } : {}),
    log: (line) => console.log(line),
    ...(values.json ? { json: values.json } : {}),
    ...(values.svg ? { svg: values.svg } : {}),
    ...(values.md ? { md: values.md } : {}),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

/** Runs one simulation and returns its report. */
export async function runRegions(o: RegionsOptions): Promise<RegionsReport> {
  const work = mkdtempSync(join(tmpdir(), "our-kpop-regions-"));
  const scheduledAt = Date.now() + o.setupMs + 0.6 * o.durationS * 1000;
  try {
    o.log(`building releases A and B in ${work}`);
    const releases = (await buildReleases(work, new Date(scheduledAt), o.posts)) as [Release, Release];
    o.log(`starting ${o.regions.length} data centers and the single origin`);
    const world = await startWorld(
      { work, regions: o.regions, primary: o.primary, replicas: o.replicas, lagMs: o.lagMs, boundSeconds: o.boundS },
      releases,
    );
    try {
      await sleep(scheduledAt - 0.6 * o.durationS * 1000 - Date.now());
      return await simulate(world, o, releases, scheduledAt);
    } finally {
      await world.stop();
    }
  } finally {
    if (!o.keep) rmSync(work, { recursive: true, force: true });
  }
}

/** Articles most popular first: the seed post, the release marker, then the generated ones. */
function popularity(release: Release): string[] {
  const manifest = JSON.parse(readFileSync(join(release.out, "manifest.json"), "utf8")) as {
    posts: { slug: string }[];
  };
  const first = ["kpop-in-north-korea", MARKER_SLUG];
  const rest = manifest.posts.map((p) => p.slug).filter((s) => s !== SCHEDULED_SLUG && !first.includes(s));
  return [...first, ...rest];
}

/** The workload on a started world, with the deploy of B at 40 % of the run, then the checks. */
async function simulate(world: World, o: RegionsOptions, [a, b]: [Release, Release], scheduledAt: number) {
  const durationMs = o.durationS * 1000;
  const deployed = new Map<string, number>();
  o.log(
    `running for ${o.durationS} s (deploy of B at 40 %, scheduled post in ${Math.round((scheduledAt - Date.now()) / 1000)} s)`,
  );
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const workload = {
    durationMs,
    readRate: o.readRate,
    commenterRegions: o.regions.filter((_, i) => i % 3 !== 1),
    commentEveryMs: o.commentEveryS * 1000,
    baselineShare: 0.25,
    floorShare: 1,
    otherDcShare: 0.3,
    readerRtt: o.readerRtt,
    deployAtMs: 0.4 * durationMs,
    scheduledAt,
    slugs: popularity(a),
    seed: 18,
  };
  // As `npm run deploy` does: the new release's KV entries first, then the Worker, data center by data center.
  const history = await runWorkload(world, workload, async () => {
    world.kv.seed(bulkEntries(b.out));
    for (const dc of [...world.dcs.values(), world.origin]) {
      await dc.deploy(b.bundle, b.label);
      deployed.set(dc.name, Date.now());
      await sleep(300);
    }
  });
  loop.disable();
  o.log(`ran ${history.length} requests; checking`);
  if (o.historyFile) writeFileSync(o.historyFile, history.map((e) => `${JSON.stringify(e)}\n`).join(""));
  const rows = world.d1.primaryDb.prepare("SELECT body FROM comments").all() as { body: string }[];
  const stored = new Set(rows.flatMap((r) => r.body.match(/tok-[a-z]+-\d+-[a-z0-9]+/g) ?? []));
  const checked = check({
    history,
    boundMs: o.boundS * 1000,
    scheduled: { at: scheduledAt, slug: SCHEDULED_SLUG, paths: SCHEDULED_PATHS },
    deployed,
    newEdition: b.label,
    stored,
  });
  const place = { primary: o.primary, replicas: o.replicas };
  const report: RegionsReport = {
    regions: o.regions.map((r) => regionFigures(r, history, checked, place)),
    slowestMisses: slowestMisses(history),
    violations: checked.violations,
    oldReleaseAfterDeploy: checked.oldReleaseAfterDeploy,
    scheduleEarly: checked.scheduleEarly,
    examples: checked.examples,
    requests: history.length,
    settings: settings(world, o, loop),
  };
  return report;
}

/** Central KV reads per key kind (`release`, `list`, `article`, ...): reads, and distinct (region, key) pairs (the KV caches are per region; the single origin shares Virginia's). */
function centralByKind(central: World["kv"]["calls"]): Record<string, { reads: number; distinct: number }> {
  const out: Record<string, { reads: number; distinct: number }> = {};
  const seen = new Set<string>();
  for (const { dc, call } of central) {
    const kind = keyKind(call.key);
    const figures = out[kind] ?? { reads: 0, distinct: 0 };
    figures.reads++;
    if (!seen.has(`${dc} ${call.key}`)) figures.distinct++;
    seen.add(`${dc} ${call.key}`);
    out[kind] = figures;
  }
  return out;
}

/** The run's settings and what the models saw, for the JSON report. */
function settings(world: World, o: RegionsOptions, loop: IntervalHistogram): Record<string, unknown> {
  const kv = world.kv.calls;
  const central = kv.filter((c) => c.call.from === "central");
  return {
    durationS: o.durationS,
    readRatePerRegion: o.readRate,
    primary: o.primary,
    replicas: o.replicas,
    lagMs: o.lagMs,
    readerRttMs: o.readerRtt,
    cacheBoundS: o.boundS,
    kvReads: {
      cache: kv.filter((c) => c.call.from === "cache").length,
      central: central.length,
      // Each (region, key) read from a central store once is a cold read no TTL avoids; the
      // rest are reads of a key another request in the same region was fetching at that moment.
      centralDistinct: new Set(central.map((c) => `${c.dc} ${c.call.key}`)).size,
      centralByKind: centralByKind(central),
    },
    d1Calls: world.d1.calls.length,
    d1Primary: world.d1.calls.filter((c) => c.primary).length,
    d1ReplicaWaits: world.d1.calls.filter((c) => c.waitedMs > 0).length,
    // Calls that took over 2.5 s on this machine (the Worker gives up on a session after 3 s).
    d1SlowCalls: world.d1.calls
      .filter((c) => c.realMs > 2500)
      .map((c) => ({ dc: c.dc, servedBy: c.servedBy, ms: c.realMs, waitedMs: c.waitedMs })),
    // From the Worker issuing a binding call to Node beginning to answer it (left out of the network figures).
    callDeliveryMs: {
      p50: percentile(world.waits.delivery, 50),
      p99: percentile(world.waits.delivery, 99),
      max: Math.max(0, ...world.waits.delivery),
    },
    harnessEventLoopDelayMs: {
      p50: Math.round(loop.percentile(50) / 1e6),
      p99: Math.round(loop.percentile(99) / 1e6),
      max: Math.round(loop.max / 1e6),
    },
  };
}

if (import.meta.main) {
  const options = optionsFrom(process.argv.slice(2));
  const report = await runRegions(options);
  console.log(`\n${markdown(report)}`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  if (options.svg) writeFileSync(options.svg, chart(report));
  if (options.md) writeFileSync(options.md, `${markdown(report)}\n`);
  process.exit(0);
}
