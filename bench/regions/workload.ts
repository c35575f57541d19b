/**
 * The workload of one run, bounded in time: readers in every region (open loop, Poisson arrivals,
 * a skewed mix of pages), commenters in several regions whose next load may land on another data
 * center, the baselines sampled beside the readers on the same network, a deploy of release B
 * part-way through and probes of the scheduled post around its time. Every request goes into the
 * history (history.ts).
 */
import { random } from "../generate-posts.ts";
import { send, sleep } from "./client.ts";
import type { DataCenter } from "./datacenter.ts";
import type { Entry } from "./history.ts";
import { nearest, type Region, rtt } from "./network.ts";
import { SCHEDULED_SLUG } from "./releases.ts";
import { VARIANT_HEADER } from "./sim-entry.ts";
import type { World } from "./world.ts";

export interface WorkloadOptions {
  durationMs: number;
  /** Reader requests per second in each region. */
  readRate: number;
  commenterRegions: Region[];
  /** Ms between two comments of one region's commenter. */
  commentEveryMs: number;
  /** Share of reader requests that also send each baseline request. */
  baselineShare: number;
  /** Share of reader requests that also fetch the static floor (cheap: all of them by default). */
  floorShare: number;
  /** Chance that a poster's next load lands on another data center (the next nearest). */
  otherDcShare: number;
  readerRtt: number;
  deployAtMs: number;
  scheduledAt: number;
  /** Article slugs, most popular first. */
  slugs: string[];
  seed: number;
}

export const SCHEDULED_PATHS = ["/", "/tags/regions", "/feed.xml", `/posts/${SCHEDULED_SLUG}`];
/** A skewed page mix: articles by a Zipf law (s = 1.1) 60 %, home 15 %, tags 10 %, feed 5 %, search 5 %, more 5 %. */
export function pickPath(rand: () => number, slugs: string[]): string {
  const r = rand();
  if (r < 0.6) {
    const weights = slugs.map((_, i) => 1 / (i + 1) ** 1.1);
    let x = rand() * weights.reduce((a, b) => a + b, 0);
    for (let i = 0; i < slugs.length; i++) {
      x -= weights[i] as number;
      if (x <= 0) return `/posts/${slugs[i]}`;
    }
    return `/posts/${slugs[0]}`;
  }
  if (r < 0.75) return "/";
  if (r < 0.85) return rand() < 0.5 ? "/tags/regions" : "/tags/k-pop";
  if (r < 0.9) return "/feed.xml";
  if (r < 0.95) return rand() < 0.5 ? "/search?q=kpop" : "/search?q=idol";
  return rand() < 0.5 ? "/archive" : "/page/2";
}

/** Runs the workload against `world`; `deploy` is called at `deployAtMs` into the run. */
export async function runWorkload(world: World, o: WorkloadOptions, deploy: () => Promise<void>): Promise<Entry[]> {
  const history: Entry[] = [];
  const pending = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };
  const started = Date.now();
  const until = started + o.durationMs;
  const regions = [...world.dcs.keys()];
  const dcOf = (r: Region) => world.dcs.get(r) as DataCenter;
  const floorUrl = world.floorUrl;
  const readers = regions.map(async (region, i) => {
    const rand = random(o.seed * 100 + i);
    const dc = dcOf(region);
    while (Date.now() < until) {
      await sleep((-Math.log(1 - rand()) / o.readRate) * 1000);
      if (Date.now() >= until) break;
      const path = pickPath(rand, o.slugs);
      const base = { region, path, roundTrip: o.readerRtt };
      track(send(world, history, { ...base, kind: "read", dc: dc.name, base: () => dc.url() }));
      if (rand() < o.floorShare)
        track(send(world, history, { ...base, kind: "floor", dc: "floor", base: async () => floorUrl }));
      if (rand() < o.baselineShare)
        track(
          send(world, history, {
            ...base,
            kind: "origin",
            dc: "origin",
            base: () => world.origin.url(),
            roundTrip: o.readerRtt + rtt(region, world.origin.region),
          }),
        );
      if (rand() < o.baselineShare)
        track(
          send(world, history, {
            ...base,
            kind: "ssr",
            dc: dc.name,
            base: () => dc.url(),
            init: { headers: { [VARIANT_HEADER]: "ssr" } },
          }),
        );
    }
  });
  const commenters = o.commenterRegions.map(async (region, i) => {
    const rand = random(o.seed * 1000 + i);
    let n = 0;
    await sleep(rand() * o.commentEveryMs);
    while (Date.now() < until - 3000) {
      n++;
      track(comment(history, world, o, region, n, rand));
      await sleep(o.commentEveryMs * (0.5 + rand()));
    }
  });
  const deploying = sleep(o.deployAtMs).then(deploy);
  const probes = probeScheduled(history, world, o, until);
  await Promise.all([...readers, ...commenters, deploying, probes]);
  while (pending.size > 0) await Promise.all([...pending]);
  return history;
}

/** One commenter: posts a comment (a plain form), then loads the article again with their cookies. */
async function comment(
  history: Entry[],
  world: World,
  o: WorkloadOptions,
  region: Region,
  n: number,
  rand: () => number,
) {
  const slug = o.slugs[Math.floor(rand() * Math.min(6, o.slugs.length))] as string;
  const token = `tok-${region}-${n}-${Math.floor(rand() * 36 ** 6).toString(36)}`;
  const dc = world.dcs.get(region) as DataCenter;
  const cookies = await send(world, history, {
    kind: "post",
    region,
    dc: dc.name,
    base: () => dc.url(),
    path: `/posts/${slug}/comments`,
    roundTrip: o.readerRtt,
    comment: { token, slug },
    init: {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "cf-connecting-ip": `10.0.${region.length}.${n}`,
      },
      body: new URLSearchParams({ name: `Reader in ${region}`, body: `${token} says hello from ${region}` }).toString(),
    },
  });
  // The browser follows the 303 at once: that GET is the poster's next load.
  const others = [...world.dcs.keys()].filter((r) => r !== region);
  const next = rand() < o.otherDcShare && others.length > 0 ? nearest(region, others) : region;
  const nextDc = world.dcs.get(next) as DataCenter;
  await send(world, history, {
    kind: "nextLoad",
    region,
    dc: nextDc.name,
    base: () => nextDc.url(),
    path: `/posts/${slug}`,
    roundTrip: next === region ? o.readerRtt : o.readerRtt + rtt(region, next),
    comment: { token, slug },
    init: { headers: { cookie: cookies.map((c) => c.split(";")[0]).join("; ") } },
  });
}

/** Every data center's view of the scheduled post's pages, each second from 5 s before its time to 10 s after. */
async function probeScheduled(history: Entry[], world: World, o: WorkloadOptions, until: number) {
  await sleep(o.scheduledAt - 5000 - Date.now());
  const pending: Promise<unknown>[] = [];
  while (Date.now() < Math.min(until, o.scheduledAt + 10_000)) {
    for (const [region, dc] of world.dcs)
      for (const path of SCHEDULED_PATHS)
        pending.push(
          send(world, history, {
            kind: "probe",
            region,
            dc: dc.name,
            base: () => dc.url(),
            path,
            roundTrip: o.readerRtt,
          }),
        );
    await sleep(1000);
  }
  await Promise.all(pending);
}
