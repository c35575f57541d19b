import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { RequestMetrics } from "../../../src/lib/metrics.ts";

describe("RequestMetrics", () => {
  it("counts each binding call for the request that made it", async () => {
    const metrics = new RequestMetrics();
    const mine = metrics.instrument(env);
    await mine.CONTENT.get("no-such-key");
    await mine.DB.prepare("SELECT 1").first();
    await mine.DB.batch([mine.DB.prepare("SELECT 1"), mine.DB.prepare("SELECT 2")]);
    expect(metrics.calls).toEqual({ kv: 1, d1: 2 });
  });

  it("counts nothing for an earlier request whose env a later one instruments again", async () => {
    // The page cache's background revalidation runs the app with the env of the request that
    // served the stale copy, which the metrics middleware then instruments for the new request.
    const first = new RequestMetrics();
    const served = first.instrument(env);
    const second = new RequestMetrics();
    const again = second.instrument(served);
    await again.CONTENT.get("no-such-key");
    await again.DB.prepare("SELECT 1").first();
    expect(second.calls).toEqual({ kv: 1, d1: 1 });
    expect(first.calls).toEqual({ kv: 0, d1: 0 });
  });
});
