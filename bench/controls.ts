/**
 * The two control references `npm run bench` measures in the same alternating rounds as the cases
 * they explain (their ratios are to the same plain hello-world):
 * - "hello-world with the hit's headers": the hello-world's page with the exact header list a
 *   cached-article hit answered with in this run (bench/hit-headers.ts). The cached article ÷ this
 *   control is the Worker's own cost on a hit; what the runtime spends sending the headers is in both.
 * - "cache miss, D1 outside workerd": the miss instance with its D1 answered by a Node function
 *   (bench/d1-outside.ts), as production's D1 is answered over the network.
 */
import { join } from "node:path";
import type { BindingTally } from "./count-bindings.ts";
import { d1OutsideOptions, miniflareD1File, OutsideBindings } from "./d1-outside.ts";
import { helloWorldOptions } from "./hello-world.ts";
import { captureHit } from "./hit-headers.ts";
import type { LoadTarget } from "./load.ts";
import { type BlogInstanceOptions, type Running, start, waitFor200 } from "./miniflare-worker.ts";
import { type CaseResult, type ControlResult, ratios } from "./results.ts";
import type { BindingReport } from "./server-timing.ts";
import { HIT_CONTROL, MISS_CONTROL } from "./targets.ts";
import { withNewWorkerd } from "./workerd-cpu.ts";

const ARTICLE = "/posts/kpop-in-north-korea";

/** One request's status and bindings as bench/index.ts probes it. */
export interface ProbeLike {
  status: number;
  bindings: BindingReport;
  counted?: BindingTally;
}

/** A control ready to run in the rounds. */
export interface ControlSpec {
  name: string;
  request: string;
  explains: string;
  what: string;
  target: LoadTarget;
  pid: number | undefined;
  probe: ProbeLike;
  /** Report the explained case ÷ this control. */
  overCase?: boolean;
  headers?: Record<string, string>;
  outside?: { kv: number; d1: number };
}

/** Stops `running` once, however often it is called. */
function stopper(running: Running, after: () => void = () => {}): () => Promise<void> {
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    await running.mf.dispose().catch(() => {});
    after();
  };
}

/** Captures a hit from `articleUrl` (warm: the cache holds it) and starts the hello-world sending its headers. */
export async function startHitControl(
  articleUrl: string,
  compatibilityDate: string,
): Promise<{ spec: ControlSpec; stop: () => Promise<void> }> {
  const hit = await captureHit(articleUrl);
  const { value: running, pid } = await withNewWorkerd(() =>
    start(helloWorldOptions(hit.page, compatibilityDate, hit.headers)),
  );
  const count = Object.keys(hit.headers).length;
  const spec: ControlSpec = {
    name: HIT_CONTROL,
    request: "GET / (constant page, the hit's header list)",
    explains: "cached article",
    what:
      `the plain hello-world's page with the ${count} headers a real cached-article hit answered with in this run ` +
      "(captured at run time, without what the runtime sets itself: Content-Length, Transfer-Encoding, Date). " +
      "The cached article ÷ this control is the Worker's own cost on a hit: what the runtime spends on the headers is in both.",
    target: { url: running.url.href },
    pid,
    probe: { status: 200, bindings: {} },
    overCase: true,
    headers: hit.headers,
  };
  return { spec, stop: stopper(running) };
}

/**
 * Copies the miss instance's database (its instance stopped), counts one warm request's binding
 * calls on a counting instance (outside workerd, and what still reached Miniflare's own bindings),
 * then starts the instance the rounds load. `probe(url, count)` is the bench's probe.
 */
export async function startMissControl(
  missSpec: BlogInstanceOptions,
  tmp: string,
  probe: (url: string, count: boolean) => Promise<ProbeLike>,
): Promise<{ spec: Omit<ControlSpec, "probe">; probe: () => Promise<ProbeLike>; stop: () => Promise<void> }> {
  const outside = new OutsideBindings(join(tmp, "d1-outside"), miniflareD1File(missSpec.persistDir), "dist");
  await outside.listen();
  const spec = { ...missSpec, persistDir: join(tmp, "d1-outside-state") };
  const counting = await start(d1OutsideOptions(spec, outside, { via: "external", countBindings: true }));
  let counted: ProbeLike;
  let calls: { kv: number; d1: number };
  try {
    await probe(new URL(ARTICLE, counting.url).href, true);
    outside.reset();
    counted = await probe(new URL(ARTICLE, counting.url).href, true);
    calls = { ...outside.calls };
  } finally {
    await counting.mf.dispose();
  }
  const { value: running, pid } = await withNewWorkerd(() =>
    start(d1OutsideOptions(spec, outside, { via: "external" })),
  );
  const stop = stopper(running, () => outside.close());
  const url = new URL(ARTICLE, running.url).href;
  await waitFor200(url).catch(async (error) => {
    await stop();
    throw error;
  });
  return {
    spec: {
      name: MISS_CONTROL,
      request: `GET ${ARTICLE}, PAGE_CACHE=off, D1 answered by a Node function`,
      explains: "cache miss",
      what:
        "the cache-miss bundle (PAGE_CACHE off, no Cache API) with its D1 binding answered outside the workerd process, " +
        "as production's D1 is, over the network: bench:regions' entry module (bench/regions/sim-entry.ts) forwards each " +
        "binding call as JSON over a Miniflare service binding (workerd's external HTTP service) to a Node function that " +
        "runs the SQL with node:sqlite on a copy of the miss instance's database. That JSON over a fetch stands for the real D1 client's, which is also JSON " +
        "over a fetch. Its CPU is workerd's alone; the SQL runs in the bench's Node process (with autocannon, when wrk is " +
        "not installed), so its req/s and p99 say less than its CPU.",
      target: { url },
      pid,
      outside: calls,
    },
    // The second of two requests, as for every case; with the counting instance's tally.
    probe: async () => {
      await probe(url, false);
      const p = await probe(url, false);
      return counted.counted ? { ...p, counted: counted.counted } : p;
    },
    stop,
  };
}

/** The controls' results: each one's own figures, and the explained case ÷ the control where asked. */
export function controlResults(
  measured: { spec: ControlSpec; result: CaseResult }[],
  cases: readonly CaseResult[],
): ControlResult[] {
  return measured.map(({ spec, result }) => {
    const explained = cases.find((c) => c.name === spec.explains);
    return {
      ...result,
      explains: spec.explains,
      what: spec.what,
      ...(spec.overCase && explained && !explained.unavailable ? { caseOverControl: ratios(explained, result) } : {}),
      ...(spec.headers ? { headers: spec.headers } : {}),
      ...(spec.outside ? { outside: spec.outside } : {}),
    };
  });
}
