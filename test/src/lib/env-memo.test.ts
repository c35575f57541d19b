import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { policyOf } from "../../../src/cache/policy.ts";
import { commentConfig } from "../../../src/comments/config.ts";
import { deriveEnv, memoByEnv, sourceEnv } from "../../../src/lib/env-memo.ts";
import { RequestMetrics } from "../../../src/lib/metrics.ts";
import { siteOf } from "../../../src/lib/site.ts";

describe("settings memoised per environment", () => {
  it("are computed once for the Worker's env, though each request wraps it for metrics", () => {
    // What the metrics middleware does on every request: a new wrapped env each time.
    const first = new RequestMetrics().instrument(env);
    const second = new RequestMetrics().instrument(env);
    expect(first).not.toBe(second);
    expect(sourceEnv(second)).toBe(env);
    expect(siteOf(second)).toBe(siteOf(first));
    expect(siteOf(second)).toBe(siteOf(env));
    expect(commentConfig(second)).toBe(commentConfig(first));
    expect(policyOf(second)).toBe(policyOf(first));
  });

  it("run the computation once per source, and again for an environment with other vars", () => {
    let runs = 0;
    const pageSize = memoByEnv((e) => {
      runs++;
      return { size: e.PAGE_SIZE };
    });
    const a = pageSize(deriveEnv(env, {}));
    const b = pageSize(deriveEnv(deriveEnv(env, {}), {}));
    expect(b).toBe(a);
    expect(runs).toBe(1);
    const other = { ...env, PAGE_SIZE: "2" } as Env;
    expect(pageSize(other).size).toBe("2");
    expect(pageSize(new RequestMetrics().instrument(other))).toBe(pageSize(other));
    expect(runs).toBe(2);
  });
});
