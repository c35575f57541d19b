import { describe, expect, it } from "vitest";
import { app } from "../../../src/index.ts";
import { articleSegmentOf, isReservedPath } from "../../../src/lib/routes.ts";

describe("the route table", () => {
  it("reserves against aliases every address the app answers outside /posts/", () => {
    const paths = [...new Set(app.routes.map((route) => route.path))].filter(
      // A language's pages (`/ko`) are checked by the build, against the languages the release has.
      (path) => path !== "*" && path !== "/*" && !path.startsWith("/posts/") && !path.startsWith("/:lang"),
    );
    expect(paths.length).toBeGreaterThan(10);
    for (const pattern of paths) {
      // Each parameter and wildcard filled in as a writer's alias might spell it.
      const path = pattern.replace(/:[^/]+/g, "x-1").replace(/\*/g, "anything");
      expect(isReservedPath(path), `${pattern} (as ${path})`).toBe(true);
    }
  });

  it("leaves old addresses free: a Blogger or WordPress path is no route of the blog's", () => {
    for (const path of ["/2025/05/k-pop.html", "/p/about.html", "/category/k-pop/", "/pages", "/tagsx", "/search/x"])
      expect(isReservedPath(path), path).toBe(false);
    for (const path of [
      "/",
      "/page/2",
      "/tags",
      "/tags/a/b",
      "/tags/k-pop/feed.xml",
      "/admin/x",
      "/assets/a.css",
      "/feed.xml",
      "/search",
    ])
      expect(isReservedPath(path), path).toBe(true);
  });

  it("finds the article in a path: one segment under /posts/, as sent", () => {
    expect(articleSegmentOf("/posts/a%20b")).toBe("a%20b");
    expect(articleSegmentOf("/posts/a/comments")).toBeNull();
    expect(articleSegmentOf("/tags/a")).toBeNull();
  });
});
