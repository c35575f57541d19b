import { describe, expect, it } from "vitest";
import { get } from "../fetch.ts";

/** The seed post's old Blogger address, in its front matter `aliases` (real build output). */
const OLD = "/2025/05/k-pop-in-north-korea-whats-really.html";
const SEED = "/posts/kpop-in-north-korea";

describe("aliases", () => {
  it("answer an old address with 301 to the post", async () => {
    const res = await get(OLD);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(SEED);
    expect(res.headers.get("cache-control")).toBe("public, max-age=3600");
    const followed = await get(res.headers.get("location") ?? "");
    expect(followed.status).toBe(200);
  });

  it("match the path only: trailing slash, query and percent-encoding do not matter", async () => {
    for (const path of [`${OLD}/`, `${OLD}?m=1`, OLD.replace("k-pop", "k%2Dpop")]) {
      const res = await get(path);
      expect(res.status, path).toBe(301);
      expect(res.headers.get("location"), path).toBe(SEED);
    }
    expect((await get(OLD, { method: "HEAD" })).status).toBe(301);
  });

  it("leave every other unknown address a 404 page", async () => {
    for (const path of ["/2025/05/something-else.html", "/2025/05", "/posts/kpop-in-north-korea-whats-really"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toContain("Page not found");
    }
    expect((await get(OLD, { method: "POST" })).status).toBe(404);
  });
});
