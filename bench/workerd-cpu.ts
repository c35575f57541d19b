/**
 * CPU time a Miniflare instance's workerd process spends, read from /proc (Linux only). Under
 * bounded load, CPU per request is steadier than requests/s on a shared machine: other
 * processes slow a run down but hardly change how much CPU each request needs.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** utime + stime of a process, in microseconds; undefined when it cannot be read. */
export function cpuMicros(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // After the command name: state is field 3, utime field 14, stime field 15 (1-based, man 5 proc).
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? (ticks * 1e6) / TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** Ids of this process's `workerd` children (one per Miniflare instance). */
export function workerdChildren(): number[] {
  if (process.platform !== "linux") return [];
  const out: number[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === process.pid) out.push(Number(name));
    } catch {
      // The process ended while listing.
    }
  }
  return out;
}

/** Runs `started` and returns the workerd process it started (the one child that was not there before). */
export async function withNewWorkerd<T>(started: () => Promise<T>): Promise<{ value: T; pid: number | undefined }> {
  const before = new Set(workerdChildren());
  const value = await started();
  const pid = workerdChildren().find((p) => !before.has(p));
  return { value, pid };
}
