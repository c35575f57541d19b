import { describe, expect, it } from "vitest";
import { BLOCK_BREAK } from "../../../src/search/fold.ts";
import { MARK_END, MARK_START } from "../../../src/search/query.ts";
import { leadSnippet, SNIPPET_WORDS, snippetAround, TermFinder } from "../../../src/search/snippet.ts";
import { wordSpans } from "../../../src/search/words.ts";

const finder = (...groups: string[][]) => new TermFinder(groups);
/** A snippet as shown: marks as [ ], ellipses kept. */
const shown = (snippet: string | undefined) => snippet?.replaceAll(MARK_START, "[").replaceAll(MARK_END, "]");
const words = (snippet: string) =>
  snippet
    .replace(/[\uE000\uE001]/g, "")
    .replace(/^…|…$/g, "")
    .split(/\s+/)
    .filter((w) => w !== "·");
const spansOf = (text: string, segmenter = true) =>
  wordSpans(text, segmenter).map((w) => text.slice(w.start, w.end) + (w.word ? "" : "*"));

describe("wordSpans", () => {
  const english = "K-pop is everywhere—from TikTok to “Times Square”. It’s 40,000 fans, (really)!";
  const korean = "케이팝(K-pop)은 한국의 대중음악을 말합니다. 1990년대 서태지와 아이들";

  it("gives the spaced words, punctuation attached, with Intl.Segmenter and without it alike", () => {
    for (const segmenter of [true, false]) {
      expect(spansOf(english, segmenter)).toEqual([
        "K-pop",
        "is",
        "everywhere—from",
        "TikTok",
        "to",
        "“Times",
        "Square”.",
        "It’s",
        "40,000",
        "fans,",
        "(really)!",
      ]);
      expect(spansOf(korean, segmenter)).toEqual([
        "케이팝(K-pop)은",
        "한국의",
        "대중음악을",
        "말합니다.",
        "1990년대",
        "서태지와",
        "아이들",
      ]);
    }
  });

  it("splits text written without spaces at the segmenter's word boundaries, and shows lone symbols uncounted", () => {
    expect(typeof Intl.Segmenter).toBe("function"); // workerd has it
    expect(spansOf("東京都に住む").length).toBeGreaterThan(1);
    expect(spansOf("So — 🎧 yes")).toEqual(["So", "—*", "🎧*", "yes"]);
  });
});

describe("snippetAround", () => {
  const text = Array.from({ length: 200 }, (_, i) => (i === 100 ? "needle" : `w${i}`)).join(" ");

  it("shows about SNIPPET_WORDS whole words around the match, at most 10 before it, marked", () => {
    const snippet = snippetAround(text, finder(["needle"])) ?? "";
    expect(words(snippet)).toHaveLength(SNIPPET_WORDS);
    expect(shown(snippet)).toMatch(/^…w90 w91 .* w99 \[needle\] w101 .* w117…$/);
  });

  it("starts at the text's start when the match is near it, and ends at its end without an ellipsis", () => {
    const near = snippetAround(text.replace("w2 ", "start "), finder(["start"])) ?? "";
    expect(shown(near)).toMatch(/^w0 w1 \[start\] w3 .* w27…$/);
    const end = snippetAround(text, finder(["w198"])) ?? "";
    expect(words(end)).toHaveLength(SNIPPET_WORDS);
    expect(shown(end)).toMatch(/^…w172 .* \[w198\] w199$/);
  });

  it("finds and marks a word in any case, with or without its hyphen", () => {
    const finds = finder(["kpop", "케이팝"]);
    expect(shown(snippetAround("I love K-pop, KPOP, K\u2011Pop and 케이팝의 노래.", finds))).toBe(
      "I love [K-pop], [KPOP], [K\u2011Pop] and [케이팝]의 노래.",
    );
    expect(shown(snippetAround("A k pop song", finder(["k pop"])))).toBe("A [k pop] song");
    expect(snippetAround("Nothing here", finds)).toBeUndefined();
  });

  it("marks a short word only where a word starts, in an alphabet; in Hangul wherever it is", () => {
    expect(shown(snippetAround("TikTok and K-pop in Korea", finder(["k"])))).toBe("TikTok and [K]-pop in [K]orea");
    expect(shown(snippetAround("한국의 대중음악을 말합니다", finder(["음악"])))).toBe("한국의 대중[음악]을 말합니다");
  });

  it("chooses the place where most of the query's words are found together", () => {
    const far = `red alone. ${"filler ".repeat(80)}red velvet together. ${"more ".repeat(80)}`;
    expect(shown(snippetAround(far, finder(["red"], ["velvet"])))).toContain("[red] [velvet] together");
  });

  it("joins blocks by a space after a sentence, else by a dot", () => {
    const blocks = ["Final Thoughts", "Kpop is real.", "Who knows?"].join(BLOCK_BREAK);
    expect(shown(snippetAround(blocks, finder(["kpop"])))).toBe("Final Thoughts · [Kpop] is real. Who knows?");
  });

  it("keeps a run of very long words to about 360 characters, match included", () => {
    const long = Array.from({ length: 60 }, (_, i) => (i === 30 ? "needle" : "x".repeat(40))).join(" ");
    const snippet = snippetAround(long, finder(["needle"])) ?? "";
    expect(snippet.length).toBeLessThanOrEqual(400);
    expect(shown(snippet)).toContain("[needle]");
  });
});

describe("leadSnippet", () => {
  it("is the text's first words, marked", () => {
    const text = Array.from({ length: 50 }, (_, i) => `w${i}`).join(" ");
    expect(shown(leadSnippet(text, finder(["w1"])))).toMatch(/^w0 \[w1\] w2 .* w27…$/);
    expect(leadSnippet("short text", finder(["zzz"]))).toBe("short text");
  });
});

describe("text written without spaces", () => {
  it("is cut at the segmenter's word boundaries, however long", () => {
    const text = "東京都に住む人々".repeat(500);
    const snippet = snippetAround(text, finder(["住む"])) ?? "";
    expect(snippet.startsWith("東京都に")).toBe(true);
    expect(snippet.length).toBeLessThanOrEqual(400);
    expect(words(snippet.replaceAll("…", ""))).toHaveLength(1); // no spaces: one run of words
    expect(shown(snippet)).toContain("東京都に[住む]人々");
  });
});
