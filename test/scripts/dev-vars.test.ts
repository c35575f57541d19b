import { describe, expect, it } from "vitest";
import { devVars } from "../../scripts/dev-vars.ts";

const salt = () => "random-salt";

describe("npm start's vars for wrangler dev", () => {
  it("gives a local salt and the page cache off by default, and nothing else", () => {
    expect(devVars({}, "8787", salt)).toEqual(["IP_HASH_SALT:random-salt", "PAGE_CACHE:off"]);
  });

  it("passes on the settings set in the environment", () => {
    const vars = devVars(
      { PAGE_CACHE: "on", ADMIN_TOKEN: "t0ken", NOTIFY_WEBHOOK_URL: "http://127.0.0.1:9000/hook", IP_HASH_SALT: "s" },
      "8787",
      salt,
    );
    expect(vars).toEqual([
      "IP_HASH_SALT:s",
      "PAGE_CACHE:on",
      "ADMIN_TOKEN:t0ken",
      "NOTIFY_WEBHOOK_URL:http://127.0.0.1:9000/hook",
    ]);
  });

  it("points SITE_URL at another PORT, unless SITE_URL is set", () => {
    expect(devVars({}, "8795", salt)).toContain("SITE_URL:http://localhost:8795");
    expect(devVars({ SITE_URL: "http://blog.test:8795" }, "8795", salt)).toEqual([
      "IP_HASH_SALT:random-salt",
      "PAGE_CACHE:off",
      "SITE_URL:http://blog.test:8795",
    ]);
  });
});
