import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ftsQuery, parseSearch, splitGroups } from "../../../src/search/query.ts";
import { MAX_SPELLINGS, parseSynonyms, synonymsOf, termGroups } from "../../../src/search/synonyms.ts";

const KPOP = "kpop = k-pop = K Pop = 케이팝; lightstick = light stick = 응원봉";

describe("parseSynonyms", () => {
  it("reads groups of spellings, folded, each once", () => {
    expect(parseSynonyms(KPOP)).toEqual([
      [["kpop"], ["k", "pop"], ["케이팝"]], // k-pop folds to kpop: one spelling
      [["lightstick"], ["light", "stick"], ["응원봉"]],
    ]);
  });

  it("takes line breaks between groups, drops a group of one spelling, and keeps at most MAX_SPELLINGS", () => {
    expect(parseSynonyms("a1 = b1\n\n solo ; = ;x=")).toEqual([[["a1"], ["b1"]]]);
    const many = Array.from({ length: 10 }, (_, i) => `w${i}`).join(" = ");
    expect(parseSynonyms(many)[0]).toHaveLength(MAX_SPELLINGS);
    expect(parseSynonyms(undefined)).toEqual([]);
  });

  it("is read from the Worker's [vars]", () => {
    expect(synonymsOf(env).some((group) => group.some((s) => s.join(" ") === "케이팝"))).toBe(true);
  });
});

describe("termGroups", () => {
  const synonyms = parseSynonyms(KPOP);
  const groups = (query: string) => {
    const parsed = parseSearch(query, undefined);
    return parsed.kind === "query" ? termGroups(parsed.terms, synonyms, 8) : [];
  };

  it("makes every spelling of a synonym the same group", () => {
    const kpop = ["kpop", "k pop", "케이팝"];
    for (const query of ["kpop", "k pop", "K-Pop", "K‑POP", "케이팝", "  K   pop "])
      expect(groups(query)).toEqual([kpop]);
  });

  it("takes the longest spelling, keeps other words as groups of one, and each group once", () => {
    expect(groups("red K pop velvet kpop")).toEqual([["red"], ["kpop", "k pop", "케이팝"], ["velvet"]]);
    expect(groups("k")).toEqual([["k"]]);
    expect(groups("pop k")).toEqual([["pop"], ["k"]]);
  });

  it("stops at the most groups asked for", () => {
    expect(termGroups(["a", "b", "c"], [], 2)).toEqual([["a"], ["b"]]);
  });
});

describe("the FTS query", () => {
  it("ANDs the groups and ORs their spellings, every spelling quoted", () => {
    expect(ftsQuery([["kpop", "k pop"], ["red"]])).toBe('("kpop" OR "k pop") "red"');
    expect(ftsQuery([['say "hi"']])).toBe('"say ""hi"""');
  });

  it("matches a group with a spelling under 3 characters by LIKE", () => {
    expect(splitGroups([["bts", "방탄"], ["velvet"]])).toEqual({ long: [["velvet"]], short: [["bts", "방탄"]] });
  });
});
