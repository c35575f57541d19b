/**
 * `node bench/profile-worker.ts [--path /posts/kpop-in-north-korea] [--seconds 5] [--connections 16]
 *   [--miss] [--top 25] [--callers NAME] [--bundle dist/worker/index.js]`: where a request's CPU
 * goes inside the blog Worker. Runs the dry-run bundle (build it first with `npm run build &&
 * npm run dry-run`) under the Miniflare API as `npm run bench` does, with the V8 inspector on,
 * puts bounded load on one page (wrk when present, else autocannon) while the isolate's sampling
 * profiler runs, and prints self and inclusive time per function (`--callers` adds the nearest
 * callers of one function). `--miss` runs the cache-off instance (PAGE_CACHE=off, no Cache API).
 * Localhost only, a few seconds. The profiler slows the isolate down (every figure comes out
 * larger than without it): read the shares, not the microseconds.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { freePort } from "../scripts/processes.ts";
import { runLoad, wrkAvailable } from "./load.ts";
import { blogOptions, migrateD1, seedKv, start, waitFor200 } from "./miniflare-worker.ts";

const { values: args } = parseArgs({
  options: {
    path: { type: "string", default: "/posts/kpop-in-north-korea" },
    seconds: { type: "string", default: "5" },
    connections: { type: "string", default: "16" },
    top: { type: "string", default: "25" },
    miss: { type: "boolean", default: false },
    callers: { type: "string" },
    lines: { type: "string" },
    bundle: { type: "string", default: join("dist", "worker", "index.js") },
  },
});

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A minimal Chrome DevTools Protocol client over the global WebSocket. */
async function devtools(url: string) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", reject, { once: true });
  });
  let next = 1;
  const waiting = new Map<number, (value: unknown) => void>();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined)
      waiting.get(message.id)?.(message.error ? Promise.reject(message.error) : message.result);
  });
  return {
    send: <T>(method: string, params: Record<string, unknown> = {}) =>
      new Promise<T>((resolve) => {
        const id = next++;
        waiting.set(id, resolve as (value: unknown) => void);
        ws.send(JSON.stringify({ id, method, params }));
      }),
    close: () => ws.close(),
  };
}

const tmp = mkdtempSync(join(tmpdir(), "our-kpop-profile-"));
const inspectorPort = await freePort();
const vars: Record<string, string> = { IP_HASH_SALT: "bench-only-salt", ...(args.miss ? { PAGE_CACHE: "off" } : {}) };
const options = {
  ...blogOptions({
    bundle: args.bundle,
    persistDir: join(tmp, "state"),
    vars,
    rateLimit: 1_000_000,
    cacheApi: !args.miss,
  }),
  inspectorPort,
};
const running = await start(options);
try {
  await seedKv(running.mf, join("dist", "kv"));
  await migrateD1(running.mf, "migrations");
  const url = new URL(args.path, running.url).href;
  await waitFor200(url);
  await waitFor200(url);
  const targets = (await (await fetch(`http://127.0.0.1:${inspectorPort}/json/list`)).json()) as {
    title?: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.webSocketDebuggerUrl.includes("blog")) ?? targets[0];
  if (!target) throw new Error("no inspector target");
  const cdp = await devtools(target.webSocketDebuggerUrl);
  await cdp.send("Profiler.enable");
  await cdp.send("Profiler.setSamplingInterval", { interval: 50 });
  await cdp.send("Profiler.start");
  const shape = {
    connections: Number(args.connections),
    durationSeconds: Number(args.seconds),
    tool: wrkAvailable() ? ("wrk" as const) : ("autocannon" as const),
  };
  const load = await runLoad({ url }, shape);
  const { profile } = await cdp.send<{ profile: Profile }>("Profiler.stop");
  cdp.close();
  report(profile, load.rps, load.requests, Number(args.top));
} finally {
  await running.mf.dispose();
  rmSync(tmp, { recursive: true, force: true });
}

function report(profile: Profile, rps: number, requests: number, top: number): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  for (const [i, id] of profile.samples.entries()) self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const name = (n: ProfileNode) => {
    const file = n.callFrame.url.split("/").pop() || "";
    return `${n.callFrame.functionName || "(anonymous)"} ${file}:${n.callFrame.lineNumber + 1}`;
  };
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of self) {
    total += us;
    const node = byId.get(id);
    if (!node) continue;
    if (node.callFrame.functionName === "(idle)") idle += us;
    selfBy.set(name(node), (selfBy.get(name(node)) ?? 0) + us);
    // Inclusive: count each distinct frame name once per sample's stack.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur);
      if (!frame) break;
      const key = name(frame);
      if (seen.has(key)) continue;
      seen.add(key);
      totalBy.set(key, (totalBy.get(key) ?? 0) + us);
    }
  }
  const busy = total - idle;
  const perRequest = (us: number) => (requests > 0 ? us / requests : 0);
  console.log(
    `${requests} requests (${rps.toFixed(0)} req/s); profiled ${(total / 1e6).toFixed(2)} s, isolate busy ${(busy / 1e6).toFixed(2)} s = ${perRequest(busy).toFixed(1)} µs per request`,
  );
  const table = (title: string, map: Map<string, number>) => {
    console.log(`\n${title} (µs per request, % of busy):`);
    for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      if (key.startsWith("(idle)") || key.startsWith("(root)")) continue;
      console.log(`${perRequest(us).toFixed(1).padStart(8)}  ${((100 * us) / busy).toFixed(1).padStart(5)}%  ${key}`);
    }
  };
  table("self time", selfBy);
  table("inclusive time", totalBy);
  if (args.callers) {
    // Where a function's self time is spent from: its three nearest callers.
    const chains = new Map<string, number>();
    for (const [id, us] of self) {
      const node = byId.get(id);
      if (!node || node.callFrame.functionName !== args.callers) continue;
      const chain: string[] = [];
      for (let cur = parent.get(id); cur !== undefined && chain.length < 3; cur = parent.get(cur)) {
        const frame = byId.get(cur);
        if (frame) chain.push(name(frame));
      }
      const key = chain.join(" <- ");
      chains.set(key, (chains.get(key) ?? 0) + us);
    }
    table(`callers of ${args.callers}`, chains);
  }
  if (args.lines) {
    // Which lines of one function its samples fell on (1-based lines of the bundle).
    const ticks = new Map<string, number>();
    for (const node of profile.nodes)
      if (node.callFrame.functionName === args.lines)
        for (const t of node.positionTicks ?? [])
          ticks.set(`line ${t.line}`, (ticks.get(`line ${t.line}`) ?? 0) + t.ticks);
    const all = [...ticks.values()].reduce((a, b) => a + b, 0);
    console.log(`\nsamples by line in ${args.lines} (${all} samples):`);
    for (const [line, n] of [...ticks].sort((a, b) => b[1] - a[1]).slice(0, top))
      console.log(`${String(n).padStart(8)}  ${((100 * n) / all).toFixed(1).padStart(5)}%  ${line}`);
  }
}
