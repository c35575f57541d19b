/**
 * One bounded load run against a localhost URL: `autocannon` (programmatic API) by default, or
 * `wrk` (1 thread) for GETs when it is on PATH and asked for. Every run is limited in time and
 * connections so the whole bench stays a few minutes on a small shared machine.
 */
import { execFile, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import autocannon from "autocannon";

/** What to send: a GET by default; a POST body is JSON and gets a fresh Idempotency-Key each time. */
export interface LoadTarget {
  url: string;
  method?: "GET" | "POST";
  /** JSON body for POSTs; `{n}` in a string value becomes a per-request counter. */
  json?: Record<string, string>;
}

/** Load shape, the same for every case in a run. */
export interface LoadShape {
  connections: number;
  durationSeconds: number;
  tool: "autocannon" | "wrk";
}

/** One run's numbers: throughput, latency (milliseconds) and status counts. */
export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  /** Status code -> count (autocannon only; wrk reports only non-2xx/3xx). */
  statuses: Record<string, number>;
  non2xx: number;
  errors: number;
  /** CPU the serving workerd process spent per request in this run, µs (when its process is known). */
  cpuUs?: number;
}

/** True when a usable `wrk` binary is on PATH. */
export function wrkAvailable(): boolean {
  return spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined;
}

/** Runs one bounded load test; refuses anything but localhost. */
export async function runLoad(target: LoadTarget, shape: LoadShape): Promise<LoadResult> {
  assertLocal(target.url);
  if (shape.tool === "wrk" && (target.method ?? "GET") === "GET") return runWrk(target.url, shape);
  return runAutocannon(target, shape);
}

async function runAutocannon(target: LoadTarget, shape: LoadShape): Promise<LoadResult> {
  let counter = 0;
  const post = target.method === "POST";
  const result = await autocannon({
    url: target.url,
    connections: shape.connections,
    duration: shape.durationSeconds,
    // Latency under load, not the first connection setup: keep-alive is autocannon's default.
    requests: [
      post
        ? {
            method: "POST",
            setupRequest: (request) => {
              counter++;
              const body = Object.fromEntries(
                Object.entries(target.json ?? {}).map(([k, v]) => [k, v.replaceAll("{n}", String(counter))]),
              );
              return {
                ...request,
                headers: {
                  ...request.headers,
                  "content-type": "application/json",
                  accept: "application/json",
                  "idempotency-key": randomUUID(),
                },
                body: JSON.stringify(body),
              };
            },
          }
        : { method: "GET" },
    ],
  });
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {}))
    statuses[code] = (stat as { count: number }).count;
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    statuses,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** wrk runs asynchronously: the event loop must stay free (Miniflare's Node side serves some calls). */
function runWrk(url: string, shape: LoadShape): Promise<LoadResult> {
  const args = ["-t1", `-c${shape.connections}`, `-d${shape.durationSeconds}s`, "--latency", url];
  return new Promise((resolve, reject) => {
    execFile("wrk", args, { timeout: (shape.durationSeconds + 30) * 1000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`wrk failed: ${stderr || stdout || error.message}`));
      else resolve(parseWrk(stdout));
    });
  });
}

/** Reads requests/s, the 50%/99% latency lines and the request/error counts from wrk's text output. */
export function parseWrk(text: string): LoadResult {
  const rps = Number(/Requests\/sec:\s*([\d.]+)/.exec(text)?.[1] ?? Number.NaN);
  const requests = Number(/(\d+) requests in/.exec(text)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx or 3xx responses:\s*(\d+)/.exec(text)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(text);
  const errors = socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0;
  return {
    rps,
    p50: wrkLatency(text, "50"),
    p99: wrkLatency(text, "99"),
    requests,
    statuses: {},
    non2xx,
    errors,
  };
}

function wrkLatency(text: string, pct: string): number {
  const match = new RegExp(`^\\s*${pct}(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s)\\s*$`, "m").exec(text);
  if (!match) return Number.NaN;
  const value = Number(match[1]);
  return match[2] === "us" ? value / 1000 : match[2] === "s" ? value * 1000 : value;
}

function assertLocal(url: string): void {
  const { hostname } = new URL(url);
  if (!["localhost", "127.0.0.1", "[::1]", "::1"].includes(hostname))
    throw new Error(`the bench only loads localhost, not ${hostname}`);
}
