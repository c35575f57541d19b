/**
 * `node bench/compare-bundles.ts [--miss] [--rounds 7] [--duration 3] [--path P] A.js B.js ...`:
 * Worker bundles side by side in one run, against the hello-world ceiling, so that a change is
 * measured under the same load of this shared machine as the code before it. Each bundle runs
 * as `npm run bench` runs the blog (Miniflare API, wrangler.toml's bindings, KV from `dist/kv`,
 * D1 migrated; `--miss`: PAGE_CACHE=off and no Cache API), the targets alternate for `--rounds`
 * rounds with who goes first rotating, and each line gives medians of req/s, p99 and the workerd
 * process's CPU per request, with their ratios to the ceiling and every run's CPU.
 *
 * Build the bundles first, e.g. the code before a change from a copy of that commit:
 * `wrangler deploy --dry-run --outdir dist/worker-before` there, and `npm run dry-run` here.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { helloWorldOptions } from "./hello-world.ts";
import { type LoadResult, runLoad, wrkAvailable } from "./load.ts";
import { blogOptions, migrateD1, type Running, seedKv, start, waitFor200 } from "./miniflare-worker.ts";
import { median } from "./stats.ts";
import { cpuMicros, withNewWorkerd } from "./workerd-cpu.ts";

const { values: args, positionals: bundles } = parseArgs({
  options: {
    miss: { type: "boolean", default: false },
    rounds: { type: "string", default: "7" },
    duration: { type: "string", default: "3" },
    path: { type: "string", default: "/posts/kpop-in-north-korea" },
  },
  allowPositionals: true,
});
if (bundles.length === 0) throw new Error("name at least one bundle (e.g. dist/worker/index.js)");

interface Target {
  name: string;
  url: string;
  pid: number | undefined;
  running: Running;
}

const tmp = mkdtempSync(join(tmpdir(), "our-kpop-compare-"));
const vars = { IP_HASH_SALT: "bench-only-salt", ...(args.miss ? { PAGE_CACHE: "off" } : {}) };
const targets: Target[] = [];
let compatibilityDate = "";
try {
  for (const [i, bundle] of bundles.entries()) {
    const options = blogOptions({
      bundle,
      persistDir: join(tmp, String(i)),
      vars,
      rateLimit: 1e6,
      cacheApi: !args.miss,
    });
    compatibilityDate = String((options as { compatibilityDate?: string }).compatibilityDate);
    const { value: running, pid } = await withNewWorkerd(() => start(options));
    targets.push({ name: bundle, url: new URL(args.path, running.url).href, pid, running });
    await seedKv(running.mf, join("dist", "kv"));
    await migrateD1(running.mf, "migrations");
    await waitFor200(targets[i]?.url ?? "");
    await waitFor200(targets[i]?.url ?? "");
  }
  const page = await (await fetch(targets[0]?.url ?? "")).text();
  const hello = await withNewWorkerd(() => start(helloWorldOptions(page, compatibilityDate)));
  targets.unshift({ name: "hello-world (ceiling)", url: hello.value.url.href, pid: hello.pid, running: hello.value });
  const shape = {
    connections: 16,
    durationSeconds: Number(args.duration),
    tool: wrkAvailable() ? "wrk" : "autocannon",
  } as const;
  const runs = targets.map(() => [] as (LoadResult & { cpu: number })[]);
  for (let round = 0; round < Number(args.rounds); round++) {
    for (let k = 0; k < targets.length; k++) {
      const i = (k + round) % targets.length;
      const target = targets[i] as Target;
      const before = target.pid === undefined ? undefined : cpuMicros(target.pid);
      const load = await runLoad({ url: target.url }, shape);
      const after = target.pid === undefined ? undefined : cpuMicros(target.pid);
      const cpu = before === undefined || after === undefined ? Number.NaN : (after - before) / load.requests;
      runs[i]?.push({ ...load, cpu });
    }
  }
  const summary = runs.map((r) => ({
    rps: median(r.map((x) => x.rps)),
    p99: median(r.map((x) => x.p99)),
    cpu: median(r.map((x) => x.cpu)),
  }));
  const ceiling = summary[0] ?? { rps: 1, p99: 1, cpu: 1 };
  console.log(
    `${args.miss ? "cache off" : "cache on"}, ${args.path}, ${args.rounds} rounds of ${args.duration} s (${shape.tool})`,
  );
  for (const [i, t] of targets.entries()) {
    const s = summary[i] ?? ceiling;
    const cpus = (runs[i] ?? []).map((x) => x.cpu.toFixed(0)).join(" ");
    console.log(
      `${t.name}: ${s.rps.toFixed(0)} req/s (${(s.rps / ceiling.rps).toFixed(2)}x), p99 ${s.p99} ms (${(s.p99 / ceiling.p99).toFixed(2)}x), CPU ${s.cpu.toFixed(0)} µs/req (${(s.cpu / ceiling.cpu).toFixed(2)}x); CPU per run: ${cpus}`,
    );
  }
} finally {
  for (const t of targets) await t.running.mf.dispose();
  rmSync(tmp, { recursive: true, force: true });
}
