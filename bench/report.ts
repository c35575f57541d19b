/** The bench's results, their targets, and the text table it prints. */

import type { BindingTally } from "./count-bindings.ts";
import type { BindingReport } from "./server-timing.ts";
import { ratio } from "./stats.ts";

/** Median throughput and latency of one case. */
export interface Measured {
  rps: number;
  p50: number;
  p99: number;
  /** workerd CPU per request, µs (Linux; see bench/workerd-cpu.ts). */
  cpuUs?: number;
}

/** One measured case next to its ceiling. */
export interface CaseResult extends Measured {
  name: string;
  request: string;
  /** Set when the case could not be measured (e.g. "n/a (404)"); numbers are then NaN. */
  unavailable?: string;
  rpsRatio: number;
  p99Ratio: number;
  /** workerd CPU per request ÷ the ceiling's, when both were measured. */
  cpuRatio?: number;
  /** Status codes seen across all rounds. */
  statuses: Record<string, number>;
  /** What the Worker itself reported (Server-Timing, Cache-Status) for one warmed-up request. */
  bindings: BindingReport;
  /** KV/D1 calls counted from outside for the same request (count-bindings.ts). */
  counted?: BindingTally;
}

/** A target checked in this run. */
export interface TargetCheck {
  name: string;
  value: number;
  op: ">=" | "<=";
  limit: number;
  pass: boolean | null;
}

/** Everything `npm run bench` measured, as written by `--json`. */
export interface BenchResults {
  when: string;
  machine: { cpus: number; node: string; platform: string };
  load: { tool: string; connections: number; durationSeconds: number; rounds: number };
  build: string;
  miniflare: { ceiling: Measured; postCeiling?: Measured; cases: CaseResult[] };
  wranglerDev: { ceiling: Measured; blog: Measured; rpsRatio: number; p99Ratio: number } | { unavailable: string };
  sizes: { articleBytes: number; articleGzipBytes: number; bundleBytes: number; bundleGzipBytes: number };
  startupMs: { blog: number; helloWorld: number; runs: number };
  rowsRead: { before?: number; after?: number; seededComments: number; note?: string };
  targets: TargetCheck[];
  notes: string[];
}

/** Builds the target list from the numbers (null `pass` when the value could not be measured). */
export function checkTargets(results: Omit<BenchResults, "targets">): TargetCheck[] {
  const byName = (name: string) => results.miniflare.cases.find((c) => c.name === name);
  const check = (name: string, value: number | undefined, op: ">=" | "<=", limit: number): TargetCheck => {
    const v = value ?? Number.NaN;
    return { name, value: v, op, limit, pass: Number.isFinite(v) ? (op === ">=" ? v >= limit : v <= limit) : null };
  };
  const dev = "rpsRatio" in results.wranglerDev ? results.wranglerDev.rpsRatio : undefined;
  return [
    check("cached article req/s vs Miniflare hello-world", byName("cached article")?.rpsRatio, ">=", 0.9),
    check("cached article p99 vs Miniflare hello-world", byName("cached article")?.p99Ratio, "<=", 1.2),
    check("cache miss req/s vs Miniflare hello-world", byName("cache miss")?.rpsRatio, ">=", 0.5),
    check("wrangler dev article req/s vs its hello-world", dev, ">=", 0.9),
    check("Worker bundle gzip KiB", results.sizes.bundleGzipBytes / 1024, "<=", 60),
  ];
}

/** The case's ratios to a ceiling measured in the same rounds. */
export function ratios(
  measured: Measured,
  ceiling: Measured,
): { rpsRatio: number; p99Ratio: number; cpuRatio?: number } {
  const cpu =
    measured.cpuUs !== undefined && ceiling.cpuUs !== undefined
      ? { cpuRatio: ratio(measured.cpuUs, ceiling.cpuUs) }
      : {};
  return { rpsRatio: ratio(measured.rps, ceiling.rps), p99Ratio: ratio(measured.p99, ceiling.p99), ...cpu };
}

/** Formats the results as the plain-text report (a Markdown table, so it pastes into the README). */
export function formatReport(r: BenchResults): string {
  const lines: string[] = [];
  const load = `${r.load.tool}, ${r.load.connections} connections, ${r.load.durationSeconds} s per run, medians of ${r.load.rounds} alternating rounds`;
  lines.push(`Machine: ${r.machine.cpus} cores, ${r.machine.platform}, Node ${r.machine.node}. Build: ${r.build}.`);
  lines.push("", `Miniflare API (${load}):`, "");
  lines.push(
    row([
      "case",
      "req/s",
      "p50 ms",
      "p99 ms",
      "req/s ÷ ceiling",
      "p99 ÷ ceiling",
      "workerd CPU µs/req",
      "CPU ÷ ceiling",
      "binding calls per request",
    ]),
  );
  lines.push(row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"]));
  const ceiling = r.miniflare.ceiling;
  lines.push(
    row([
      "hello-world (ceiling)",
      int(ceiling.rps),
      ms(ceiling.p50),
      ms(ceiling.p99),
      "1.00",
      "1.00",
      int(ceiling.cpuUs ?? Number.NaN),
      "1.00",
      "none",
    ]),
  );
  for (const c of r.miniflare.cases) {
    if (c.unavailable) {
      lines.push(row([c.name, c.unavailable, "", "", "", "", "", "", ""]));
      continue;
    }
    lines.push(
      row([
        c.name,
        int(c.rps),
        ms(c.p50),
        ms(c.p99),
        fixed(c.rpsRatio),
        fixed(c.p99Ratio),
        int(c.cpuUs ?? Number.NaN),
        fixed(c.cpuRatio ?? Number.NaN),
        calls(c),
      ]),
    );
  }
  if (r.miniflare.postCeiling)
    lines.push(
      "",
      `(comment POST is compared with the hello-world measured in its own rounds: ${int(r.miniflare.postCeiling.rps)} req/s, p99 ${ms(r.miniflare.postCeiling.p99)} ms)`,
    );
  lines.push("", "`wrangler dev` (same load, each on its own port):", "");
  if ("unavailable" in r.wranglerDev) lines.push(`n/a: ${r.wranglerDev.unavailable}`);
  else {
    const d = r.wranglerDev;
    lines.push(row(["case", "req/s", "p50 ms", "p99 ms", "req/s ÷ ceiling", "p99 ÷ ceiling"]));
    lines.push(row(["---", "---:", "---:", "---:", "---:", "---:"]));
    lines.push(
      row(["hello-world (ceiling)", int(d.ceiling.rps), ms(d.ceiling.p50), ms(d.ceiling.p99), "1.00", "1.00"]),
    );
    lines.push(
      row(["article page", int(d.blog.rps), ms(d.blog.p50), ms(d.blog.p99), fixed(d.rpsRatio), fixed(d.p99Ratio)]),
    );
  }
  const s = r.sizes;
  lines.push(
    "",
    `Article page: ${s.articleBytes} bytes raw, ${s.articleGzipBytes} bytes gzip.`,
    `Worker bundle (wrangler deploy --dry-run): ${kib(s.bundleBytes)} KiB raw, ${kib(s.bundleGzipBytes)} KiB gzip.`,
    `Start-up (new Miniflare to first 200, median of ${r.startupMs.runs}): blog ${int(r.startupMs.blog)} ms, hello-world ${int(r.startupMs.helloWorld)} ms.`,
    `D1 rows_read for an article view (cache off): ${rowsLine(r.rowsRead)}`,
    "",
    "Targets:",
    "",
  );
  for (const t of r.targets)
    lines.push(
      `- ${t.pass === null ? "n/a " : t.pass ? "PASS" : "FAIL"} ${t.name}: ${Number.isFinite(t.value) ? fixed(t.value) : "n/a"} (target ${t.op} ${t.limit})`,
    );
  if (r.notes.length > 0) lines.push("", "Notes:", "", ...r.notes.map((n) => `- ${n}`));
  return lines.join("\n");
}

function rowsLine(rows: BenchResults["rowsRead"]): string {
  if (rows.note && rows.after === undefined) return `n/a (${rows.note})`;
  const before = rows.before === undefined ? "n/a" : String(rows.before);
  const after = rows.after === undefined ? "n/a" : String(rows.after);
  return `${after} with ${rows.seededComments} comments on another post (${before} before seeding)${rows.note ? `; ${rows.note}` : ""}`;
}

function calls(c: CaseResult): string {
  const b = c.bindings;
  const parts = [c.counted ? counted(c.counted) : "counted: n/a"];
  parts.push(
    b.kvCalls === undefined && b.d1Calls === undefined
      ? "Server-Timing: n/a"
      : `Server-Timing: kv ${b.kvCalls ?? "n/a"}, d1 ${b.d1Calls ?? "n/a"}`,
  );
  parts.push(`Cache-Status: ${b.cacheStatus ?? "n/a"}`);
  return parts.join("; ");
}

function counted(t: BindingTally): string {
  // Call times are summed, so calls made in parallel can add up to more than the request took.
  const time =
    t.totalMs === undefined ? "" : `; in calls: kv ${t.kvMs ?? 0} ms, d1 ${t.d1Ms ?? 0} ms; request ${t.totalMs} ms`;
  return `kv ${t.kv}, d1 ${t.d1} (counted${time})`;
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}
function int(n: number): string {
  return Number.isFinite(n) ? String(Math.round(n)) : "n/a";
}
function ms(n: number): string {
  return Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : String(Math.round(n))) : "n/a";
}
function fixed(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : "n/a";
}
function kib(bytes: number): string {
  return (bytes / 1024).toFixed(1);
}
