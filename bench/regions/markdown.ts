/** The report of a run as Markdown: latency, the network alone, goals, shares, staleness, violations. */
import { REGION_NAMES } from "./network.ts";
import type { Pcts, RegionFigures, RegionsReport } from "./report.ts";

const f = (n: number) => (Number.isFinite(n) ? String(Math.round(n)) : "n/a");
const x = (n: number) => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "n/a");
const p = (q: Pcts) => `${f(q.p50)} / ${f(q.p95)} / ${f(q.p99)}`;
const pct = (n: number) => `${Math.round(n * 100)} %`;

/** The report as Markdown: latency, ratios and goals, shares and staleness, violations. */
export function markdown(report: RegionsReport): string {
  const lines = [
    "Time to first byte, ms, p50 / p95 / p99 (reader's round trip included):",
    "",
    "| region | static floor | cache hit | miss | comment POST | poster's next load | single origin | SSR + D1 every view |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map(
      (g) =>
        `| ${g.name} | ${p(g.floor)} | ${p(g.hit)} | ${p(g.miss)} | ${p(g.post)} | ${p(g.nextLoad)} | ${p(g.singleOrigin)} | ${p(g.ssrD1)} |`,
    ),
    "",
    "p95 ÷ the static floor's p95, and the goals (p95 against its limit, ms):",
    "",
    "| region | hit | miss | POST | next load | single origin | SSR + D1 | hit ≤ 1.1× floor | miss ≤ floor + replica | next load ≤ floor + primary |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map((g) => {
      const r = g.ratioToFloor;
      const v = (k: keyof RegionFigures["goals"]) =>
        `${g.goals[k].met ? "met" : "**missed**"} (${f(g.goals[k].p95)} ≤ ${f(g.goals[k].limit)})`;
      return `| ${g.name} | ${x(r.hit)} | ${x(r.miss)} | ${x(r.post)} | ${x(r.nextLoad)} | ${x(r.singleOrigin)} | ${x(r.ssrD1)} | ${v("hit")} | ${v("miss")} | ${v("nextLoad")} |`;
    }),
    "",
    "The simulated network alone (the reader's round trip + the data center's wait on KV and D1), ms, p50 / p95 / p99, and the goals judged on it:",
    "",
    "| region | floor | hit | miss | POST | next load | single origin | SSR + D1 | hit ≤ 1.1× floor | miss ≤ floor + replica | next load ≤ floor + primary |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map((g) => {
      const n = g.network;
      const v = (k: keyof RegionFigures["networkGoals"]) =>
        `${g.networkGoals[k].met ? "met" : "**missed**"} (${f(g.networkGoals[k].p95)} ≤ ${f(g.networkGoals[k].limit)})`;
      return `| ${g.name} | ${p(n.floor)} | ${p(n.hit)} | ${p(n.miss)} | ${p(n.post)} | ${p(n.nextLoad)} | ${p(n.singleOrigin)} | ${p(n.ssrD1)} | ${v("hit")} | ${v("miss")} | ${v("nextLoad")} |`;
    }),
    "",
    "Where readers' pages came from, and how far article reads lagged behind acknowledged comments (ms, p50 / p95 / p99 / max):",
    "",
    "| region | memory | Cache API | stale (revalidating) | rendered | reads | staleness |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...report.regions.map(
      (g) =>
        `| ${g.name} | ${pct(g.shares.memory)} | ${pct(g.shares.cacheApi)} | ${pct(g.shares.stale)} | ${pct(g.shares.render)} | ${g.hit.n + g.miss.n} | ${p(g.staleness)} / ${f(g.staleness.max)} (${g.staleness.n} reads) |`,
    ),
    "",
    "Where the time went (medians, ms): the data center waiting on KV and D1 in the models, and the rest on this machine (workerd, Miniflare, the harness), besides the reader's round trip:",
    "",
    "| region | hit: bindings / local | miss: bindings / local | POST: bindings / local | next load: bindings / local | floor: local |",
    "| --- | --- | --- | --- | --- | --- |",
    ...report.regions.map((g) => {
      const b = (k: keyof RegionFigures["breakdown"]) => `${f(g.breakdown[k].bindings)} / ${f(g.breakdown[k].local)}`;
      return `| ${g.name} | ${b("hit")} | ${b("miss")} | ${b("post")} | ${b("nextLoad")} | ${f(g.breakdown.floor.local)} |`;
    }),
    "",
    `Violations (${report.requests} requests checked): ${Object.entries(report.violations)
      .map(([k, n]) => `${k} ${n}`)
      .join(
        ", ",
      )}; old release after a data center's deploy ${report.oldReleaseAfterDeploy}; scheduled post early ${report.scheduleEarly}.`,
  ];
  lines.push(
    "",
    "Slowest misses on the simulated network:",
    "",
    ...report.slowestMisses.map(
      (m) => `- ${REGION_NAMES[m.region]} ${m.path}: ${m.networkMs} ms, ${m.bindingCalls} KV/D1 calls (t=${m.start})`,
    ),
  );
  if (report.examples.length) lines.push("", "Examples:", ...report.examples.map((e) => `- ${e}`));
  return lines.join("\n");
}
