import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generatePost, random } from "../../bench/generate-posts.ts";
import { KNOWN_FIELDS } from "../../pipeline/front-matter.ts";
import { simpleYaml } from "../../pipeline/simple-yaml.ts";

const KEYS = KNOWN_FIELDS;

/** simpleYaml must give what yaml.parse gives, or nothing (and then the yaml package decides). */
function agrees(text: string): "read" | "left to yaml" {
  const fast = simpleYaml(text, KEYS);
  if (fast === undefined) return "left to yaml";
  expect(() => parse(text), text).not.toThrow();
  expect(fast, text).toStrictEqual(parse(text));
  return "read";
}

const frontMatterOf = (source: string) => /^---\n([\s\S]*?)\n---/.exec(source)?.[1] ?? "";

describe("simple front matter without the yaml package", () => {
  it("reads the forms writers use exactly as yaml.parse does", () => {
    const read = [
      'title: "K-pop in North Korea: What’s Really Going On?"\nslug: kpop-in-north-korea\ndate: 2025-05-20',
      "title: 케이팝이란 무엇인가?\ntags: [k-pop, 한국어]\nlang: ko",
      "aliases: [/2025/05/k-pop-in-north-korea-whats-really.html] # its old Blogger address",
      "summary: What this blog is, who writes it, and how to join.\ntags: []\ndraft: true\ntoc: False",
      "title: 2025\nsummary: 0x1F\nslug: 0o17\nlang: 1.5\ndescription: 1e3\nupdated: 1.\ndate: 007",
      "title: null\nsummary:\nslug: NULL\ntags: [1, 2.5, true, null, word]",
      "title: It's C# and R&B! 100% @home *really* | > ok\nsummary: a #comment\nslug: x#y",
      "title: 'it''s single'\nsummary: \"tab\\tnew\\nline \\u00e9 \\ud83c\\udfa4 \\\"q\\\" \\/ \\\\\"",
      'tags: ["a", "b, c", 3, false]\ntitle:    spaced out   ',
      "# a comment line\n\ntitle: T\n\ndate: 2025-01-01T09:00:00+09:00",
      "title: http://example.com/a:b\ntags: [a b, c]",
      "title: nbsp\u00a0inside\u00a0\nsummary: emoji 🎤 👩‍👩‍👧",
    ];
    for (const text of read) expect(agrees(text)).toBe("read");
    // And a typical generated post's front matter.
    for (let i = 1; i <= 50; i++) expect(agrees(frontMatterOf(generatePost(i).source))).toBe("read");
  });

  it("leaves everything else to the yaml package", () => {
    const left = [
      "title: a: b",
      "title: x\ntitle: y",
      "tags:\n  - a\n  - b",
      "title: |\n  block",
      "title: >\n  folded",
      "title: &a x\nslug: *a",
      "title: !!str 12",
      "title: -x",
      "title: .5",
      "title: ~",
      "title: [a",
      "tags: [a, , b]",
      "tags: [a, b, ]",
      "tags: [a, [b]]",
      "tags: {a: 1}",
      "tags: [a:b]",
      'tags: ["a"] # comment',
      "title: 'a' # comment",
      'title: "a" b',
      "title:\tx",
      "title: x\r",
      "other: x",
      "Title: x",
      "title : x",
      "title:x",
      "  title: x",
      "",
      "# only a comment",
      "---",
      "title: x\u2028y",
      "title: x\u0085y",
      "title: x\u0007y",
    ];
    for (const text of left) expect(agrees(text), text).toBe("left to yaml");
  });

  it("agrees with yaml.parse on thousands of random front matter blocks", () => {
    const rand = random(2026);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
    const tokens = [
      "a",
      "Z",
      "케이팝",
      "é",
      "1",
      "0",
      "07",
      "0x1F",
      "0o7",
      "1.5",
      "1.",
      "1e3",
      "2025-05-20",
      "T09:00:00Z",
      "true",
      "False",
      "NULL",
      "null",
      "~",
      "yes",
      " ",
      "  ",
      ",",
      ", ",
      ":",
      ": ",
      "#",
      " #",
      "-",
      "- ",
      "?",
      "[",
      "]",
      "{",
      "}",
      '"',
      "'",
      "''",
      "\\",
      "\\n",
      "\\u00e9",
      "\\x41",
      "\\t",
      "&",
      "*",
      "!",
      "|",
      ">",
      "%",
      "@",
      "`",
      "/",
      ".",
      "\u00a0",
      "🎤",
      "\t",
      "\r",
    ];
    const value = () => Array.from({ length: 1 + Math.floor(rand() * 6) }, () => pick(tokens)).join("");
    const shapes = [
      () => value(),
      () => `"${value()}"`,
      () => `'${value()}'`,
      () => `[${Array.from({ length: Math.floor(rand() * 4) }, value).join(pick([",", ", "]))}]`,
      () => `[${Array.from({ length: 1 + Math.floor(rand() * 3) }, () => JSON.stringify(value())).join(", ")}]`,
      () => `${value()} # ${value()}`,
    ];
    const counts = { read: 0, "left to yaml": 0 };
    for (let i = 0; i < 3000; i++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => `${pick([...KEYS])}: ${pick(shapes)()}`);
      counts[agrees(lines.join("\n"))]++;
    }
    // Both paths are exercised.
    expect(counts.read).toBeGreaterThan(300);
    expect(counts["left to yaml"]).toBeGreaterThan(300);
  });

  it("reads the project's own posts", () => {
    for (const dir of ["content/posts", "test/fixtures/content/posts"]) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith(".md"))) {
        expect(agrees(frontMatterOf(readFileSync(join(dir, file), "utf8"))), file).toBe("read");
      }
    }
  });
});
