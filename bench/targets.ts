/**
 * What `npm run bench` checks. Three kinds:
 * - "target": the issues' targets, judged as they are stated (issue 18: ratios to the plain
 *   hello-world of the same run), whatever the controls show;
 * - "budget": the Worker's size rule (bench/bundle-budget.ts), the only check that makes the bench
 *   exit non-zero;
 * - "explanation": the same readings against the controls that explain them (the hit against a
 *   hello-world sending the hit's own headers, the miss with D1 answered outside workerd, as in
 *   production). They say how much of a gap is the Worker's own; they are not the targets.
 */
import { CATALOG_BUDGET, CODE_BUDGET } from "./bundle-budget.ts";
import type { BenchResults } from "./results.ts";

/** A target checked in this run. */
export interface TargetCheck {
  name: string;
  kind: "target" | "budget" | "explanation";
  value: number;
  op: ">=" | "<=";
  limit: number;
  pass: boolean | null;
}

/** The control names `npm run bench` measures (bench/index.ts) and the cases they explain. */
export const HIT_CONTROL = "hello-world with the hit's headers";
export const MISS_CONTROL = "cache miss, D1 outside workerd";

function check(
  kind: TargetCheck["kind"],
  name: string,
  value: number | undefined,
  op: ">=" | "<=",
  limit: number,
): TargetCheck {
  const v = value ?? Number.NaN;
  return { name, kind, value: v, op, limit, pass: Number.isFinite(v) ? (op === ">=" ? v >= limit : v <= limit) : null };
}

/** Builds the target list from the numbers (null `pass` when the value could not be measured). */
export function checkTargets(results: Omit<BenchResults, "targets">): TargetCheck[] {
  const mf = results.miniflare;
  const byName = (name: string) => mf.cases.find((c) => c.name === name);
  const control = (name: string) => mf.controls.find((c) => c.name === name);
  const hit = byName("cached article");
  const miss = byName("cache miss");
  const hitOver = control(HIT_CONTROL)?.caseOverControl;
  const dev = "rpsRatio" in results.wranglerDev ? results.wranglerDev.rpsRatio : undefined;
  const s = results.sizes;
  const kb = (bytes: number | undefined) => (bytes === undefined ? undefined : bytes / 1024);
  const catalogs = s.catalogs.length > 0 ? s.catalogs.join(", ") : "none";
  const vsHello = "vs Miniflare hello-world";
  const vsControl = `÷ ${HIT_CONTROL}`;
  return [
    check("target", `cached article req/s ${vsHello}`, hit?.rpsRatio, ">=", 0.9),
    check("target", `cached article p99 ${vsHello}`, hit?.p99Ratio, "<=", 1.2),
    check("target", `cached article CPU per request ${vsHello}`, hit?.cpuRatio, "<=", 1.1),
    check("target", `cache miss CPU per request ${vsHello}`, miss?.cpuRatio, "<=", 4),
    check("target", `cache miss req/s ${vsHello}`, miss?.rpsRatio, ">=", 0.5),
    check("target", "wrangler dev article req/s vs its hello-world", dev, ">=", 0.9),
    check("budget", "Worker code gzip KiB (the sources with the English catalog alone)", kb(s.codeGzipBytes), "<=", 60),
    check(
      "budget",
      `catalogs beyond English gzip KiB (${catalogs}: 5 KiB each)`,
      s.codeGzipBytes === undefined ? undefined : (s.bundleGzipBytes - s.codeGzipBytes) / 1024,
      "<=",
      (CATALOG_BUDGET * s.catalogs.length) / 1024,
    ),
    check("explanation", `cached article CPU per request ${vsControl}`, hitOver?.cpuRatio, "<=", 1.1),
    check("explanation", `cached article req/s ${vsControl}`, hitOver?.rpsRatio, ">=", 0.9),
    check("explanation", `cached article p99 ${vsControl}`, hitOver?.p99Ratio, "<=", 1.2),
    check("explanation", `${MISS_CONTROL}: CPU per request ${vsHello}`, control(MISS_CONTROL)?.cpuRatio, "<=", 4),
  ];
}

/** True unless a budget check failed (the bench's exit status). */
export function budgetsHold(targets: readonly TargetCheck[]): boolean {
  return targets.every((t) => t.kind !== "budget" || t.pass !== false);
}

/** The code budget in KiB, for the report's size line. */
export const CODE_BUDGET_KIB = CODE_BUDGET / 1024;
