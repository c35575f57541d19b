import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const files = readdirSync("src", { recursive: true, encoding: "utf8" }).filter((f) => /\.tsx?$/.test(f));

describe("Worker code (src/) stays request-time only", () => {
  it.each(files)("%s imports nothing from Node, marked or the build pipeline", (file) => {
    const text = readFileSync(join("src", file), "utf8");
    const imports = [...text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]);
    for (const spec of imports) {
      expect(spec).not.toMatch(/^node:|^(fs|path|os|crypto|child_process)$|^marked|^yaml$|pipeline\//);
    }
  });
});
