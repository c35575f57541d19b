import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { forgetContent } from "../../../src/articles/store.ts";
import { forgetPages } from "../../../src/cache/page-cache.ts";
import { fetchApp } from "../helpers.ts";

/**
 * A list page's comment counts come from D1 and its posts from a KV chunk. On a first page the
 * release index names the slugs (`ChunkedList.newest`), so the counts are asked for while the
 * chunk is still on its way: the order of the binding calls shows it. Each KV read of a chunk is
 * held until D1 has been asked (or 300 ms went by), so "asked before the chunk arrived" is exact.
 */
function orderedBindings() {
  const events: string[] = [];
  let d1Asked: () => void = () => {};
  const asked = new Promise<void>((resolve) => {
    d1Asked = resolve;
  });
  const content = new Proxy(env.CONTENT, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop !== "get") return value.bind(target);
      return async (key: string, ...rest: unknown[]) => {
        if (key.startsWith("list:")) {
          await Promise.race([asked, new Promise((resolve) => setTimeout(resolve, 300))]);
          events.push("chunk read");
        }
        return value.call(target, key, ...rest);
      };
    },
  });
  const counting = <T extends object>(target: T): T =>
    new Proxy(target, {
      get(obj, prop) {
        const value = Reflect.get(obj, prop, obj);
        if (typeof value !== "function") return value;
        if (prop === "withSession") return (...args: unknown[]) => counting(value.apply(obj, args));
        if (prop !== "batch") return value.bind(obj);
        return (...args: unknown[]) => {
          events.push("d1 asked");
          d1Asked();
          return value.apply(obj, args);
        };
      },
    });
  return { events, overrides: { CONTENT: content, DB: counting(env.DB), PAGE_CACHE: "off", PAGE_SIZE: "2" } };
}

afterEach(() => {
  forgetContent();
  forgetPages();
});

describe("a list page's comment counts", () => {
  it("are read beside the first page's chunk on the home page and a language's page", async () => {
    for (const path of ["/", "/en"]) {
      forgetContent();
      const { events, overrides } = orderedBindings();
      const res = await fetchApp(path, {}, overrides);
      expect(res.status, path).toBe(200);
      expect(events[0], path).toBe("d1 asked");
      expect(events, path).toContain("chunk read");
      expect(await res.text(), path).toMatch(/\d+ comments?|No comments/);
    }
  });

  it("are read after the chunk on later pages and tag pages, which the index does not name", async () => {
    for (const path of ["/page/2", "/tags/k-pop"]) {
      forgetContent();
      const { events, overrides } = orderedBindings();
      const res = await fetchApp(path, {}, overrides);
      expect(res.status, path).toBe(200);
      expect(events.indexOf("chunk read"), path).toBeLessThan(events.indexOf("d1 asked"));
    }
  });
});
