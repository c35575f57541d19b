import { describe, expect, it } from "vitest";
import { BulkEntries } from "../../scripts/kv-bulk-file.ts";

const TRICKY = [
  '{"key":"fake","value":"x"}',
  '"},{"key":"article:0","value":"',
  "케이팝 🎤 line\nbreak \\ backslash \u2028",
  "",
  "]",
];

describe("BulkEntries", () => {
  it("finds every key of a build's bulk file and gives back each value exactly", () => {
    const pairs = TRICKY.map((value, i) => ({ key: `article:${i}`, value }));
    const entries = new BulkEntries();
    entries.add(Buffer.from(JSON.stringify(pairs)));
    entries.add(Buffer.from(JSON.stringify([{ key: "release:r", value: "index" }])));
    expect([...entries.keys()]).toEqual([...pairs.map((p) => p.key), "release:r"]);
    for (const { key, value } of pairs) expect(entries.get(key)).toBe(value);
    expect(entries.get("release:r")).toBe("index");
    expect(entries.get("missing")).toBeUndefined();
    expect(entries.size).toBe(TRICKY.length + 1);
  });

  it("reads a file in any other JSON shape by parsing it whole", () => {
    const entries = new BulkEntries();
    entries.add(Buffer.from(JSON.stringify([{ value: "v", key: "k" }], null, 2)));
    entries.add(Buffer.from("[]"));
    expect(entries.get("k")).toBe("v");
    expect(entries.size).toBe(1);
  });
});
