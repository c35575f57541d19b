import { describe, expect, it } from "vitest";
import { callTimeoutMs, WranglerFailed, workerMissing } from "../../scripts/wrangler.ts";

describe("scripts/wrangler.ts", () => {
  it("tells a Worker that does not exist (code 10007, as wrangler prints it) from any other failure", () => {
    const missing = new WranglerFailed(
      ["deployments", "list", "--json"],
      1,
      "✘ [ERROR] A request to the Cloudflare API (/accounts/a/workers/scripts/our-kpop/deployments) failed.\n" +
        "  This Worker does not exist on your account. [code: 10007]",
    );
    const down = new WranglerFailed(["deployments", "list", "--json"], 1, "Internal error [code: 10000]");
    expect(workerMissing(missing)).toBe(true);
    expect(workerMissing(down)).toBe(false);
    expect(workerMissing(new Error("[code: 10007]"))).toBe(false);
  });

  it("stops a wrangler call after WRANGLER_TIMEOUT_SECONDS, 10 minutes unless set", () => {
    expect(callTimeoutMs({})).toBe(600_000);
    expect(callTimeoutMs({ WRANGLER_TIMEOUT_SECONDS: "15" })).toBe(15_000);
    expect(callTimeoutMs({ WRANGLER_TIMEOUT_SECONDS: "soon" })).toBe(600_000);
    expect(callTimeoutMs({ WRANGLER_TIMEOUT_SECONDS: "0" })).toBe(600_000);
  });
});
