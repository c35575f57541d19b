/**
 * `npm run bench:regions` in a short form: three data centers (each its own Miniflare instance of
 * the real bundle) behind the KV and D1 models, 12 s of readers and commenters, a deploy of release
 * B and a scheduled post coming out during it. Checks that the run went through the models, that
 * the report has the JSON shape the issue asks for, and that the history holds no violation.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { optionsFrom, runRegions } from "../../bench/regions/index.ts";

describe("bench:regions, short run", () => {
  it("runs the real bundle in three data centers and finds no violation", { timeout: 150_000 }, async () => {
    const historyFile = join(mkdtempSync(join(tmpdir(), "regions-history-")), "history.jsonl");
    const options = {
      ...optionsFrom([
        ...["--quick", "--duration", "12", "--regions", "seoul,frankfurt,virginia", "--rate", "2"],
        ...["--history", historyFile],
      ]),
      setupMs: 25_000,
      posts: 8,
      log: () => {},
    };
    const report = await runRegions(options);
    expect(report.regions.map((r) => r.name)).toEqual(["Seoul", "Frankfurt", "Virginia"]);
    for (const region of report.regions) {
      for (const key of [
        "hit",
        "miss",
        "missWarm",
        "missCold",
        "post",
        "nextLoad",
        "floor",
        "singleOrigin",
        "ssrD1",
      ] as const)
        expect(Object.keys(region[key])).toEqual(["p50", "p95", "p99", "n"]);
      // Every miss is warm (no KV read from a central store) or cold (at least one).
      expect(region.missWarm.n + region.missCold.n).toBe(region.miss.n);
      expect(region.network.missWarm.n + region.network.missCold.n).toBe(region.miss.n);
      expect(region.floor.n).toBeGreaterThan(0);
      expect(region.hit.n + region.miss.n).toBeGreaterThan(0);
    }
    expect(report.regions.reduce((n, r) => n + r.post.n, 0)).toBeGreaterThan(0);
    expect(report.regions.reduce((n, r) => n + r.nextLoad.n, 0)).toBeGreaterThan(0);
    // The Worker's KV and D1 calls really went through the models.
    const settings = report.settings as { kvReads: { central: number }; d1Calls: number };
    expect(settings.kvReads.central).toBeGreaterThan(0);
    expect(settings.d1Calls).toBeGreaterThan(0);
    expect(report.violations).toEqual({
      readYourOwnComment: 0,
      beyondBound: 0,
      mixedRelease: 0,
      scheduleLate: 0,
      lost: 0,
    });
    expect(report.oldReleaseAfterDeploy).toBe(0);
    // --history: every request's record, one JSON line each.
    const lines = readFileSync(historyFile, "utf8").trim().split("\n");
    expect(lines).toHaveLength(report.requests);
    expect(Object.keys(JSON.parse(lines[0] ?? "{}"))).toEqual(expect.arrayContaining(["kind", "path", "kvCentral"]));
  });
});
