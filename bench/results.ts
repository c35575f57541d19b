/** What `npm run bench` measured, as `--json` writes it, and the ratios between measurements. */

import type { BindingTally } from "./count-bindings.ts";
import type { BindingReport } from "./server-timing.ts";
import { ratio } from "./stats.ts";
import type { TargetCheck } from "./targets.ts";

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

/** Ratios of one measurement to another measured in the same rounds. */
export interface Ratios {
  rpsRatio: number;
  p99Ratio: number;
  cpuRatio?: number;
}

/**
 * A control reference, measured in the same alternating rounds as the case it explains; its own
 * ratios (rpsRatio, p99Ratio, cpuRatio) are to the plain hello-world, like every case's.
 */
export interface ControlResult extends CaseResult {
  /** The case it explains (a `cases` name). */
  explains: string;
  /** What the control is, in a sentence. */
  what: string;
  /** The explained case ÷ this control (the hit's control: the Worker's own cost on a hit). */
  caseOverControl?: Ratios;
  /** The header list it answers with (the hit's control: captured from a real hit in this run). */
  headers?: Record<string, string>;
  /** Binding calls per request answered outside workerd (the D1 control: counted by the Node side). */
  outside?: { kv: number; d1: number };
}

/** Everything `npm run bench` measured, as written by `--json`. */
export interface BenchResults {
  when: string;
  machine: { cpus: number; node: string; platform: string };
  load: { tool: string; connections: number; durationSeconds: number; rounds: number };
  build: string;
  miniflare: { ceiling: Measured; postCeiling?: Measured; cases: CaseResult[]; controls: ControlResult[] };
  wranglerDev: { ceiling: Measured; blog: Measured; rpsRatio: number; p99Ratio: number } | { unavailable: string };
  sizes: {
    articleBytes: number;
    articleGzipBytes: number;
    bundleBytes: number;
    bundleGzipBytes: number;
    /** The same sources bundled with the English catalog alone (the code budget's measure). */
    codeGzipBytes?: number;
    /** Catalogs beyond English in the bundle. */
    catalogs: string[];
  };
  startupMs: { blog: number; helloWorld: number; runs: number };
  rowsRead: { before?: number; after?: number; seededComments: number; note?: string };
  targets: TargetCheck[];
  notes: string[];
}

/** The case's ratios to a ceiling measured in the same rounds. */
export function ratios(measured: Measured, ceiling: Measured): Ratios {
  const cpu =
    measured.cpuUs !== undefined && ceiling.cpuUs !== undefined
      ? { cpuRatio: ratio(measured.cpuUs, ceiling.cpuUs) }
      : {};
  return { rpsRatio: ratio(measured.rps, ceiling.rps), p99Ratio: ratio(measured.p99, ceiling.p99), ...cpu };
}
