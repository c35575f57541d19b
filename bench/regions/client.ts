/**
 * One reader's request as the simulation sends it: the reader's half round trip out, the request
 * to a data center (or a baseline), the half round trip back, and a record of what came back in
 * the history (history.ts), with the simulated time its data center waited on KV and D1.
 */
import type { Entry, Kind, Served } from "./history.ts";
import type { Region } from "./network.ts";
import { MARKER, SCHEDULED_SLUG } from "./releases.ts";
import { REQUEST_ID_HEADER } from "./sim-entry.ts";
import type { World } from "./world.ts";

const TOKEN = /tok-[a-z]+-\d+-[a-z0-9]+/g;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function servedOf(status: string | null): Served {
  if (!status) return "other";
  if (status.includes("detail=memory")) return "memory";
  if (status.includes("detail=cache-api")) return "cache-api";
  if (status.includes("detail=stale")) return "stale";
  if (status.includes("detail=personal")) return "personal";
  if (status.includes("fwd=miss")) return "render";
  return "other";
}

export interface Send {
  kind: Kind;
  region: Region;
  dc: string;
  base: () => Promise<URL | string>;
  path: string;
  /** Round trip from the reader to whoever answers, ms. */
  roundTrip: number;
  init?: RequestInit;
  comment?: { token: string; slug: string };
}

let ids = 0;

/** Sends one request as a reader would and records it; returns the response's cookies. */
export async function send(world: World, history: Entry[], s: Send): Promise<string[]> {
  const id = String(++ids);
  const start = Date.now();
  await sleep(s.roundTrip / 2);
  const sent = Date.now();
  let status = 0;
  let headers = new Headers();
  let body = "";
  let firstByte = sent;
  let deployWait = 0;
  try {
    const base = await s.base();
    deployWait = Date.now() - sent;
    const sentHeaders = { ...(s.init?.headers as Record<string, string> | undefined), [REQUEST_ID_HEADER]: id };
    const res = await fetch(new URL(s.path, base), { redirect: "manual", ...s.init, headers: sentHeaders });
    firstByte = Date.now();
    status = res.status;
    headers = res.headers;
    body = await res.text();
  } catch (error) {
    // A request that failed is recorded with status 0 (kept out of the figures, counted in the report).
    firstByte = Date.now();
    if (!(error instanceof TypeError && /fetch failed/.test(error.message))) throw error;
  }
  await sleep(s.roundTrip / 2);
  const ttfb = firstByte - sent - deployWait + s.roundTrip;
  const bindings = world.waits.take(id, firstByte);
  history.push({
    kind: s.kind,
    region: s.region,
    dc: s.dc,
    path: s.path,
    start,
    end: Date.now(),
    ttfb,
    deployWait,
    roundTrip: s.roundTrip,
    bindingMs: bindings.ms,
    bindingMeasuredMs: bindings.measuredMs,
    bindingCalls: bindings.calls,
    kvCentralReads: bindings.kvCentral.length,
    kvCentral: bindings.kvCentral,
    status,
    served: servedOf(headers.get("cache-status")),
    editions: [...new Set([...body.matchAll(MARKER)].map((m) => m[1] as string))],
    tokens: [...new Set(body.match(TOKEN) ?? [])],
    listsScheduled: s.path === `/posts/${SCHEDULED_SLUG}` ? status === 200 : body.includes(SCHEDULED_SLUG),
    ...(s.comment ? { comment: s.comment } : {}),
  });
  return headers.getSetCookie?.() ?? [];
}
