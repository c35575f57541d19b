import { describe, expect, it } from "vitest";
import { unstable_readConfig } from "wrangler";

describe("wrangler.toml, as wrangler itself reads it", () => {
  it.each(["production", "staging"])("turns on Workers Logs for %s", (env) => {
    const config = unstable_readConfig({ config: "wrangler.toml", ...(env === "production" ? {} : { env }) });
    expect(config.observability?.enabled).toBe(true);
  });
});
