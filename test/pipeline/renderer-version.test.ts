import { describe, expect, it } from "vitest";
import { rendererVersion, renderPackages } from "../../pipeline/renderer-version.ts";

describe("rendererVersion", () => {
  it("the renderer version covers the render packages and the time zone", () => {
    for (const pkg of renderPackages()) expect(pkg).toMatch(/@\d+\.\d+\.\d+/);
    const before = rendererVersion();
    const zone = process.env.TZ;
    try {
      process.env.TZ = "Asia/Seoul";
      expect(rendererVersion()).not.toBe(before);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    expect(rendererVersion()).toBe(before);
  });
});
