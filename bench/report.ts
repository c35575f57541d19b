/** The text table `npm run bench` prints (Markdown, so it pastes into docs). */

import type { BindingTally } from "./count-bindings.ts";
import type { BenchResults, CaseResult, ControlResult } from "./results.ts";
import type { TargetCheck } from "./targets.ts";

export type { BenchResults, CaseResult, ControlResult, Measured, Ratios } from "./results.ts";
export { ratios } from "./results.ts";

/** Formats the results as the plain-text report (a Markdown table, so it pastes into the README). */
export function formatReport(r: BenchResults): string {
  const load = `${r.load.tool}, ${r.load.connections} connections, ${r.load.durationSeconds} s per run, medians of ${r.load.rounds} alternating rounds`;
  const lines = [
    `Machine: ${r.machine.cpus} cores, ${r.machine.platform}, Node ${r.machine.node}. Build: ${r.build}.`,
    "",
    `Miniflare API (${load}):`,
    "",
    ...miniflareTable(r.miniflare),
  ];
  if (r.miniflare.postCeiling)
    lines.push(
      "",
      `(comment POST is compared with the hello-world measured in its own rounds: ${int(r.miniflare.postCeiling.rps)} req/s, p99 ${ms(r.miniflare.postCeiling.p99)} ms)`,
    );
  lines.push(...controlLines(r.miniflare.controls), "", "`wrangler dev` (same load, each on its own port):", "");
  lines.push(...devLines(r.wranglerDev), "", ...sizeLines(r), "");
  lines.push("Targets (as the issues state them: ratios to the plain hello-world of this run):", "");
  lines.push(...r.targets.filter((t) => t.kind !== "explanation").map(targetLine));
  lines.push(
    "",
    "Explained readings (not the targets: the same figures against the controls that explain them):",
    "",
    ...r.targets.filter((t) => t.kind === "explanation").map(targetLine),
  );
  if (r.notes.length > 0) lines.push("", "Notes:", "", ...r.notes.map((n) => `- ${n}`));
  return lines.join("\n");
}

const HEADINGS = [
  "case",
  "req/s",
  "p50 ms",
  "p99 ms",
  "req/s ÷ ceiling",
  "p99 ÷ ceiling",
  "workerd CPU µs/req",
  "CPU ÷ ceiling",
  "binding calls per request",
];

/** The ceiling, each case, and after a case the controls that explain it. */
function miniflareTable(mf: BenchResults["miniflare"]): string[] {
  const c = mf.ceiling;
  const lines = [row(HEADINGS), row(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:", "---"])];
  lines.push(
    row([
      "hello-world (ceiling)",
      int(c.rps),
      ms(c.p50),
      ms(c.p99),
      "1.00",
      "1.00",
      int(c.cpuUs ?? Number.NaN),
      "1.00",
      "none",
    ]),
  );
  const explained = new Set(mf.cases.map((k) => k.name));
  for (const k of mf.cases) {
    lines.push(caseRow(k.name, k, calls(k)));
    for (const control of mf.controls.filter((x) => x.explains === k.name))
      lines.push(caseRow(`${control.name} (control)`, control, controlCalls(control)));
  }
  for (const control of mf.controls.filter((x) => !explained.has(x.explains)))
    lines.push(caseRow(`${control.name} (control)`, control, controlCalls(control)));
  return lines;
}

function caseRow(name: string, c: CaseResult, bindings: string): string {
  if (c.unavailable) return row([name, c.unavailable, "", "", "", "", "", "", ""]);
  return row([
    name,
    int(c.rps),
    ms(c.p50),
    ms(c.p99),
    fixed(c.rpsRatio),
    fixed(c.p99Ratio),
    int(c.cpuUs ?? Number.NaN),
    fixed(c.cpuRatio ?? Number.NaN),
    bindings,
  ]);
}

/** What each control is, and the explained case ÷ the control where that is the reading. */
function controlLines(controls: readonly ControlResult[]): string[] {
  if (controls.length === 0) return [];
  const lines = ["", "Controls (measured in the same rounds; their ratios above are to the plain hello-world):", ""];
  for (const c of controls) {
    const over = c.caseOverControl;
    const reading = over
      ? ` ${c.explains} ÷ this control: req/s ${fixed(over.rpsRatio)}, p99 ${fixed(over.p99Ratio)}, CPU ${fixed(over.cpuRatio ?? Number.NaN)}.`
      : "";
    lines.push(`- ${c.name}: ${c.what}${reading}`);
  }
  return lines;
}

function controlCalls(c: ControlResult): string {
  const parts: string[] = [];
  if (c.headers) parts.push(`none; ${Object.keys(c.headers).length} response headers`);
  if (c.outside) parts.push(`outside workerd: kv ${c.outside.kv}, d1 ${c.outside.d1}`);
  if (!c.headers) parts.push(`Miniflare's own bindings: ${c.counted ? counted(c.counted) : "counted: n/a"}`);
  if (c.bindings.kvCalls !== undefined || c.bindings.d1Calls !== undefined)
    parts.push(`Server-Timing: kv ${c.bindings.kvCalls ?? "n/a"}, d1 ${c.bindings.d1Calls ?? "n/a"}`);
  return parts.join("; ");
}

function devLines(d: BenchResults["wranglerDev"]): string[] {
  if ("unavailable" in d) return [`n/a: ${d.unavailable}`];
  return [
    row(["case", "req/s", "p50 ms", "p99 ms", "req/s ÷ ceiling", "p99 ÷ ceiling"]),
    row(["---", "---:", "---:", "---:", "---:", "---:"]),
    row(["hello-world (ceiling)", int(d.ceiling.rps), ms(d.ceiling.p50), ms(d.ceiling.p99), "1.00", "1.00"]),
    row(["article page", int(d.blog.rps), ms(d.blog.p50), ms(d.blog.p99), fixed(d.rpsRatio), fixed(d.p99Ratio)]),
  ];
}

function sizeLines(r: BenchResults): string[] {
  const s = r.sizes;
  const code =
    s.codeGzipBytes === undefined
      ? ""
      : `; the code alone (English catalog only) ${kib(s.codeGzipBytes)} KiB gzip, catalogs beyond English (${s.catalogs.join(", ") || "none"}) ${kib(s.bundleGzipBytes - s.codeGzipBytes)} KiB`;
  return [
    `Article page: ${s.articleBytes} bytes raw, ${s.articleGzipBytes} bytes gzip.`,
    `Worker bundle (wrangler deploy --dry-run): ${kib(s.bundleBytes)} KiB raw, ${kib(s.bundleGzipBytes)} KiB gzip${code}.`,
    `Start-up (new Miniflare to first 200, median of ${r.startupMs.runs}): blog ${int(r.startupMs.blog)} ms, hello-world ${int(r.startupMs.helloWorld)} ms.`,
    `D1 rows_read for an article view (cache off): ${rowsLine(r.rowsRead)}`,
  ];
}

function targetLine(t: TargetCheck): string {
  const verdict = t.pass === null ? "n/a " : t.pass ? "PASS" : "FAIL";
  const value = Number.isFinite(t.value) ? fixed(t.value) : "n/a";
  return `- ${verdict} ${t.name}: ${value} (target ${t.op} ${fixed(t.limit)})`;
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
