/**
 * The history of every request of a run, and the checks run over it afterwards (in the manner of
 * Jepsen's checkers: the run only records what each client sent, when, and what it saw; the
 * verdicts come from the whole history at the end).
 */
import type { Region } from "./network.ts";

/** How a page was answered, from its Cache-Status header. */
export type Served = "memory" | "cache-api" | "stale" | "render" | "personal" | "other";

export type Kind = "read" | "probe" | "post" | "nextLoad" | "floor" | "origin" | "ssr";

export interface Entry {
  kind: Kind;
  /** The reader's region. */
  region: Region;
  /** The data center (or "origin", "floor") that answered. */
  dc: string;
  path: string;
  /** Client-side times (ms since the epoch): sent, and the whole answer back (the reader's round trip included). */
  start: number;
  end: number;
  /** Time to first byte as the reader sees it, ms. */
  ttfb: number;
  /** Ms the request waited for its data center to finish a deploy (kept out of the latency figures). */
  deployWait: number;
  /** The reader's simulated round trip to whoever answered, ms (part of `ttfb`). */
  roundTrip: number;
  /** Simulated ms the data center waited on KV and D1 before the first byte (round trips, replica waits), and the calls. */
  bindingMs: number;
  /** The same wait as this machine measured it (the models' timers run late under load). */
  bindingMeasuredMs: number;
  bindingCalls: number;
  /** KV reads before the first byte that went to a central store (not yet in this data center's KV cache). */
  kvCentralReads: number;
  /** Their kinds (key prefixes: `release`, `list`, `article`, `archive`, `routes`), in the order they started. */
  kvCentral: string[];
  status: number;
  served: Served;
  /** Release editions the page showed (both: a mixed page). */
  editions: string[];
  /** Comment tokens the page showed. */
  tokens: string[];
  /** Whether the page listed (or was) the scheduled post. */
  listsScheduled: boolean;
  /** Posts: the comment sent. Next loads: the poster's comment they expect to see. */
  comment?: { token: string; slug: string };
}

/** A comment the blog acknowledged (303 or 201), and when the poster got the answer. */
export interface Acked {
  token: string;
  slug: string;
  at: number;
}

export interface Violations {
  readYourOwnComment: number;
  beyondBound: number;
  mixedRelease: number;
  scheduleLate: number;
  lost: number;
}

export interface CheckInput {
  history: Entry[];
  boundMs: number;
  scheduled: { at: number; slug: string; paths: string[] };
  /** When each data center finished deploying the new release, and that release's edition. */
  deployed: Map<string, number>;
  newEdition: string;
  /** Tokens of the comments the primary holds at the end. */
  stored: Set<string>;
}

export interface CheckResult {
  violations: Violations;
  /** Pages from a data center after its deploy finished that still showed the old release. */
  oldReleaseAfterDeploy: number;
  /** The scheduled post visible before its time. */
  scheduleEarly: number;
  /** Per region, ms each article read lagged behind the comments acknowledged before it (0: none missing). */
  staleness: Map<Region, number[]>;
  /** A few examples of each violation, for the report. */
  examples: string[];
}

const slugOf = (path: string) => /^\/posts\/([^/?#]+)$/.exec(path)?.[1] ?? null;

/** The acknowledged comments of a history: every post answered 303 or 201. */
export function acked(history: Entry[]): Acked[] {
  return history
    .filter((e) => e.kind === "post" && (e.status === 303 || e.status === 201) && e.comment)
    .map((e) => ({ token: e.comment?.token ?? "", slug: e.comment?.slug ?? "", at: e.end }));
}

/** Runs every check over a finished history. */
export function check(input: CheckInput): CheckResult {
  const v: Violations = { readYourOwnComment: 0, beyondBound: 0, mixedRelease: 0, scheduleLate: 0, lost: 0 };
  const examples: string[] = [];
  const note = (what: string, e: Entry) => {
    if (examples.length < 12) examples.push(`${what}: ${e.kind} ${e.path} from ${e.region} at ${e.dc}, t=${e.start}`);
  };
  const comments = acked(input.history);
  const bySlug = new Map<string, Acked[]>();
  for (const c of comments) bySlug.set(c.slug, [...(bySlug.get(c.slug) ?? []), c]);
  const staleness = new Map<Region, number[]>();
  let oldReleaseAfterDeploy = 0;
  let scheduleEarly = 0;

  for (const e of input.history) {
    if (e.kind === "floor" || e.kind === "post" || e.status >= 500 || e.status === 0) continue;
    if (e.kind === "nextLoad" && e.comment && !e.tokens.includes(e.comment.token)) {
      v.readYourOwnComment++;
      note("own comment missing", e);
    }
    if (new Set(e.editions).size > 1) {
      v.mixedRelease++;
      note("mixed releases", e);
    }
    const deployedAt = input.deployed.get(e.dc);
    if (deployedAt !== undefined && e.start > deployedAt && e.editions.some((x) => x !== input.newEdition))
      oldReleaseAfterDeploy++;
    if (input.scheduled.paths.includes(e.path) && (e.kind === "read" || e.kind === "probe")) {
      const visible = e.status === 200 && e.listsScheduled;
      if (e.start >= input.scheduled.at && !visible) {
        v.scheduleLate++;
        note("scheduled post missing", e);
      }
      if (e.end < input.scheduled.at && visible) scheduleEarly++;
    }
    const slug = slugOf(e.path);
    if (!slug || e.status !== 200 || e.kind === "ssr" || e.kind === "origin" || e.kind === "nextLoad") continue;
    let lagging = 0;
    for (const c of bySlug.get(slug) ?? []) {
      if (c.at >= e.start || e.tokens.includes(c.token)) continue;
      lagging = Math.max(lagging, e.start - c.at);
      if (e.start > c.at + input.boundMs) {
        v.beyondBound++;
        note(`comment ${c.token} missing ${Math.round(e.start - c.at)} ms after it was acknowledged`, e);
        break;
      }
    }
    if (bySlug.has(slug)) staleness.set(e.region, [...(staleness.get(e.region) ?? []), lagging]);
  }
  for (const c of comments) if (!input.stored.has(c.token)) v.lost++;
  return { violations: v, oldReleaseAfterDeploy, scheduleEarly, staleness, examples };
}
