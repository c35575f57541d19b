import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { databaseNameOf } from "../../scripts/read-replication.ts";

describe("the D1 database setup turns read replication on for", () => {
  it("is the one bound as DB in the environment, from the project's wrangler.toml", () => {
    const toml = readFileSync("wrangler.toml", "utf8");
    expect(databaseNameOf(toml, undefined)).toBe("our-kpop");
    expect(databaseNameOf(toml, "staging")).toBe("our-kpop-staging");
    expect(databaseNameOf(toml, "nope")).toBeUndefined();
  });

  it("is none when no DB binding is configured", () => {
    expect(databaseNameOf('name = "x"\n[[d1_databases]]\nbinding = "OTHER"\ndatabase_name = "o"\n', undefined)).toBe(
      undefined,
    );
  });
});
