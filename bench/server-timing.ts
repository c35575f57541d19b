/**
 * Reads the binding work a Worker reports in its `Server-Timing` header, e.g.
 * `kv;dur=0.8;desc="2 calls", d1;dur=2.1;desc="1 query, 12 rows read", render;dur=1.3, total;dur=4.9`.
 * Parsing is deliberately loose: names are matched by prefix (`kv`, `kv-get`, `d1`, `d1-read` all
 * count), a call count is the number before "call(s)", "get(s)", "read(s)", "quer(y|ies)" or "op(s)",
 * or a bare number when the desc is only a number; rows read come from "N rows read", "rows_read=N"
 * or an entry named `rows_read`/`d1-rows` whose desc is a number.
 */

/** One `Server-Timing` metric. */
export interface ServerTimingEntry {
  name: string;
  dur?: number;
  desc?: string;
}

/** What a response says about its binding calls; undefined fields were not reported. */
export interface BindingReport {
  kvCalls?: number;
  d1Calls?: number;
  rowsRead?: number;
  cacheStatus?: string;
}

/** Splits a `Server-Timing` header value into its metrics (RFC-ish: commas outside quotes). */
export function parseServerTiming(header: string | null | undefined): ServerTimingEntry[] {
  if (!header) return [];
  const entries: ServerTimingEntry[] = [];
  for (const part of splitOutsideQuotes(header, ",")) {
    const [rawName, ...params] = splitOutsideQuotes(part, ";").map((s) => s.trim());
    if (!rawName) continue;
    const entry: ServerTimingEntry = { name: rawName.toLowerCase() };
    for (const param of params) {
      const eq = param.indexOf("=");
      if (eq < 0) continue;
      const key = param.slice(0, eq).trim().toLowerCase();
      const value = unquote(param.slice(eq + 1).trim());
      if (key === "dur" && Number.isFinite(Number(value))) entry.dur = Number(value);
      if (key === "desc") entry.desc = value;
    }
    entries.push(entry);
  }
  return entries;
}

/** Sums the KV and D1 call counts and D1 rows read found in the metrics. */
export function bindingReport(serverTiming: string | null | undefined, cacheStatus?: string | null): BindingReport {
  const report: BindingReport = {};
  if (cacheStatus) report.cacheStatus = cacheStatus;
  for (const { name, desc } of parseServerTiming(serverTiming)) {
    const text = desc ?? "";
    if (/^(rows[-_]?read|d1[-_]rows)/.test(name)) {
      const n = firstNumber(text);
      if (n !== undefined) report.rowsRead = (report.rowsRead ?? 0) + n;
      continue;
    }
    const calls = callCount(text);
    if (name.startsWith("kv") && calls !== undefined) report.kvCalls = (report.kvCalls ?? 0) + calls;
    if (name.startsWith("d1")) {
      if (calls !== undefined) report.d1Calls = (report.d1Calls ?? 0) + calls;
      const rows = rowsRead(text);
      if (rows !== undefined) report.rowsRead = (report.rowsRead ?? 0) + rows;
    }
  }
  return report;
}

function callCount(desc: string): number | undefined {
  const named = /(\d+)\s*(?:calls?|gets?|reads?\b|quer(?:y|ies)|ops?\b|statements?)/i.exec(desc);
  if (named) return Number(named[1]);
  return /^\s*\d+\s*$/.test(desc) ? Number(desc) : undefined;
}

function rowsRead(desc: string): number | undefined {
  const match = /(\d+)\s*rows?[\s_-]*read/i.exec(desc) ?? /rows?[\s_-]*read\s*[=:]?\s*(\d+)/i.exec(desc);
  return match ? Number(match[1]) : undefined;
}

function firstNumber(text: string): number | undefined {
  const match = /\d+/.exec(text);
  return match ? Number(match[0]) : undefined;
}

function unquote(value: string): string {
  return value.startsWith('"') && value.endsWith('"') && value.length >= 2
    ? value.slice(1, -1).replace(/\\(.)/g, "$1")
    : value;
}

function splitOutsideQuotes(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === "\\" && quoted) {
      current += ch + (text[i + 1] ?? "");
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === separator && !quoted) {
      parts.push(current);
      current = "";
    } else current += ch;
  }
  parts.push(current);
  return parts;
}
