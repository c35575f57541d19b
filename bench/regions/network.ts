/**
 * The simulated network: six data centers and the round trips between them.
 *
 * Source of every inter-region figure: Microsoft, "Azure network round-trip latency statistics"
 * (Microsoft Learn, articles/networking/azure-network-latency.md), dataset of 20 June 2024, monthly
 * P50 round-trip times in ms over the 30 days ending 19 June 2024, one table per destination with
 * the source region in the first column. Each city is the Azure region there: Seoul = Korea
 * Central, Tokyo = Japan East, Frankfurt = Germany West Central, Virginia = East US, São Paulo =
 * Brazil South, Sydney = Australia East. The table is directed (A -> B may differ from B -> A by a
 * few ms): `rtt(a, b)` reads the row of `a` in the table of `b`, as published.
 *
 * Within one region (a data center to a store in its own city) the table has no figure; we use
 * 2 ms, the bound Microsoft gives for round trips between availability zones of one region
 * ("Azure regions and availability zones", Microsoft Learn: "a round-trip latency of less than
 * 2 ms"). The reader's own round trip to the nearest data center is not in any table: it is a
 * parameter (`--reader-rtt`, default 20 ms), chosen, not measured; docs/regions.md shows how the
 * goals depend on it.
 */

export const REGIONS = ["seoul", "tokyo", "frankfurt", "virginia", "saopaulo", "sydney"] as const;
export type Region = (typeof REGIONS)[number];

/** Display names (the report's rows). */
export const REGION_NAMES: Record<Region, string> = {
  seoul: "Seoul",
  tokyo: "Tokyo",
  frankfurt: "Frankfurt",
  virginia: "Virginia",
  saopaulo: "São Paulo",
  sydney: "Sydney",
};

/** The Azure region standing for each city in the published table. */
export const AZURE_REGION: Record<Region, string> = {
  seoul: "Korea Central",
  tokyo: "Japan East",
  frankfurt: "Germany West Central",
  virginia: "East US",
  saopaulo: "Brazil South",
  sydney: "Australia East",
};

/** Round trip within one region, ms (the availability-zone bound quoted above). */
export const SAME_REGION_RTT = 2;

/** TABLE[source][destination], ms, copied from the June 2024 tables (source row, destination column). */
const TABLE: Record<Region, Record<Region, number>> = {
  seoul: { seoul: 0, tokyo: 33, frankfurt: 254, virginia: 229, saopaulo: 302, sydney: 134 },
  tokyo: { seoul: 32, tokyo: 0, frankfurt: 252, virginia: 170, saopaulo: 278, sydney: 104 },
  frankfurt: { seoul: 251, tokyo: 250, frankfurt: 0, virginia: 96, saopaulo: 197, sydney: 296 },
  virginia: { seoul: 224, tokyo: 169, frankfurt: 96, virginia: 0, saopaulo: 116, sydney: 201 },
  saopaulo: { seoul: 303, tokyo: 278, frankfurt: 199, virginia: 119, saopaulo: 0, sydney: 317 },
  sydney: { seoul: 131, tokyo: 103, frankfurt: 296, virginia: 201, saopaulo: 316, sydney: 0 },
};

/** Round trip from `from` to `to` in simulated ms. */
export function rtt(from: Region, to: Region): number {
  return from === to ? SAME_REGION_RTT : TABLE[from][to];
}

/** The region of `candidates` with the shortest round trip from `from`. */
export function nearest(from: Region, candidates: readonly Region[]): Region {
  if (candidates.length === 0) throw new Error("no candidate region");
  return candidates.reduce((best, r) => (rtt(from, r) < rtt(from, best) ? r : best));
}

/** Parses a region name (as on the command line); throws with the list of known ones. */
export function regionOf(name: string): Region {
  const region = REGIONS.find((r) => r === name.toLowerCase());
  if (!region) throw new Error(`unknown region "${name}" (known: ${REGIONS.join(", ")})`);
  return region;
}

/**
 * The clock of the simulation: simulated ms run as real ms / `scale` (scale 1: real time). Every
 * delay of the model goes through `delay`, so ordering stays real whatever the scale; reported
 * figures are multiplied back (`simulated`).
 */
export class SimClock {
  readonly scale: number;
  constructor(scale = 1) {
    if (!(scale >= 1)) throw new RangeError(`scale must be at least 1, got ${scale}`);
    this.scale = scale;
  }
  /** Waits `simulatedMs` of simulated time. */
  delay(simulatedMs: number): Promise<void> {
    const ms = simulatedMs / this.scale;
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
  }
  /** Real elapsed ms as simulated ms. */
  simulated(realMs: number): number {
    return realMs * this.scale;
  }
}
