/**
 * Per request, what its data center waited for in the models before the first byte: the binding
 * calls (when each started and ended on this machine, what it cost in simulated ms), and which
 * KV reads went to a central store (`KvCall.from`): a read that was not yet in the data center's
 * KV cache. A miss that made such a read is a cold one (the content's first read in this data
 * center since its cacheTtl began); one that made none found everything already there (warm).
 */

/** What one binding call was: a KV read from a central store (its key) or anything else. */
export type CallKind = { kvCentral: string } | { other: true };

/** A request's waits, as `take` adds them up. */
export interface Waits {
  /** Simulated ms: each call's simulated cost laid from when the Worker issued it, overlaps counted once. */
  ms: number;
  /** The same wait as this machine measured it (from Node beginning to answer each call to its answer). */
  measuredMs: number;
  calls: number;
  /** Kinds (key prefixes: `release`, `list`, `article`, ...) of the KV reads that went to a central store, in order. */
  kvCentral: string[];
}

/** Length of the union of intervals (overlapping calls counted once). */
export function covered(spans: [number, number][]): number {
  let ms = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    if (to <= end) continue;
    ms += to - Math.max(from, end);
    end = to;
  }
  return ms;
}

/** The kind of a KV key: its prefix (`list:<hash>` -> `list`), or the key itself when it has none. */
export const keyKind = (key: string): string => key.split(":", 1)[0] as string;

/** One binding call as the harness saw it (ms since the epoch, this machine's clock). */
export interface Call {
  /** When the Worker issued it (workerd's clock, stamped by the entry module). */
  issued: number;
  /** When the Node side began to answer it, and when it answered. */
  from: number;
  to: number;
  /** What it cost in simulated ms. */
  ms: number;
  kind: CallKind;
}

/**
 * The calls of every request under way. A call's simulated cost is laid from the moment the
 * Worker issued it, not from when Node began to answer: calls issued together (a feed's 20
 * records, a record beside its comments) reach Node one after another over the loopback, the
 * later ones up to ~150 ms late on a loaded machine, and laying their cost from there would
 * count the harness's delivery as network time. Calls that ended after the response's first byte
 * (a stale page's revalidation in `waitUntil`) did not delay the reader and are left out.
 */
export class BindingWaits {
  readonly #calls = new Map<string, Call[]>();
  /** Ms from each call's issue to Node beginning to answer it (the loopback's delivery), for the report. */
  readonly delivery: number[] = [];

  /** Records a call of request `id`; `issued` later than `from` (clocks disagreeing) counts as `from`. */
  add(id: string, call: Omit<Call, "kind" | "issued"> & { issued?: number; kind?: CallKind }): void {
    if (!id) return;
    const issued = call.issued !== undefined && call.issued <= call.from ? call.issued : call.from;
    this.delivery.push(call.from - issued);
    const calls = this.#calls.get(id) ?? [];
    calls.push({ ...call, issued, kind: call.kind ?? { other: true } });
    this.#calls.set(id, calls);
  }

  /** The request's waits before `firstByte`; forgets the request. */
  take(id: string, firstByte: number): Waits {
    const calls = (this.#calls.get(id) ?? []).filter((c) => c.to <= firstByte);
    this.#calls.delete(id);
    return {
      ms: covered(calls.map((c) => [c.issued, c.issued + c.ms])),
      measuredMs: covered(calls.map((c) => [c.from, c.to])),
      calls: calls.length,
      kvCentral: calls
        .sort((a, b) => a.issued - b.issued)
        .flatMap((c) => ("kvCentral" in c.kind ? [keyKind(c.kind.kvCentral)] : [])),
    };
  }
}
