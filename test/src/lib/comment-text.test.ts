import { describe, expect, it } from "vitest";
import { strings } from "../../../src/i18n/index.ts";
import {
  commentErrors,
  hasLink,
  hasVisibleText,
  linkWork,
  normalizeBody,
  normalizeName,
  renderCommentBody,
} from "../../../src/lib/comment-text.ts";

describe("renderCommentBody", () => {
  it("keeps paragraphs and line breaks", () => {
    expect(renderCommentBody("one\ntwo\n\n\nthree")).toBe("<p>one<br>two</p><p>three</p>");
  });

  it("links http(s) URLs with nofollow ugc, leaving trailing punctuation and brackets outside", () => {
    expect(renderCommentBody("see https://example.com/a_(b)?q=1&r=2.")).toBe(
      'see <a href="https://example.com/a_(b)?q=1&amp;r=2" rel="nofollow ugc noopener noreferrer">https://example.com/a_(b)?q=1&amp;r=2</a>.'
        .replace(/^/, "<p>")
        .replace(/$/, "</p>"),
    );
    expect(renderCommentBody("(http://example.com)")).toBe(
      '<p>(<a href="http://example.com/" rel="nofollow ugc noopener noreferrer">http://example.com</a>)</p>',
    );
  });

  it("never links other schemes or bare words", () => {
    for (const text of ["javascript:alert(1)", "data:text/html,x", "ftp://example.com", "www.example.com", "https://"])
      expect(renderCommentBody(text)).not.toContain("<a ");
  });

  it("escapes everything else", () => {
    expect(renderCommentBody(`<b>&"'`)).toBe("<p>&lt;b&gt;&amp;&quot;&#39;</p>");
  });
});

describe("normalization and rules", () => {
  it("names: NFC, controls and bidi overrides removed, whitespace collapsed", () => {
    expect(normalizeName(" A\u0301\u0007  b\u202E\tc ")).toBe("Á b c");
  });

  it("bodies: CRLF to LF, trailing spaces on lines dropped, trimmed", () => {
    expect(normalizeBody("  a  \r\nb\r\rc \u0000\u2066")).toBe("a\nb\n\nc");
  });

  it("limits count code points", () => {
    expect(commentErrors("😀".repeat(80), "😀".repeat(5000))).toEqual({});
    expect(Object.keys(commentErrors("😀".repeat(81), "😀".repeat(5001)))).toEqual(["name", "body"]);
  });

  it("hasLink spots what hold-links mode holds", () => {
    expect(hasLink("go to https://x.example")).toBe(true);
    expect(hasLink("www.example.com")).toBe(true);
    expect(hasLink("no links, just www and dots...")).toBe(false);
  });
});

describe("linking costs time linear in the text", () => {
  /** Hostile bodies of about `n` characters: each once made the bracket trim re-scan the URL per character. */
  const hostile = (n: number): Record<string, string> => ({
    "closing brackets": `https://a.example/${")".repeat(n)}`,
    "every kind of closer": `https://a.example/${")]}".repeat(n / 3)}`,
    "balanced openers, then closers": `https://a.example/${"(".repeat(n / 2)}${")".repeat(n / 2)}`,
    "brackets and punctuation": `https://a.example/${").!?,;:*".repeat(n / 8)}`,
    "punctuation run": `https://a.example/${".".repeat(n)}`,
    "many URLs": "https://a.example/x)) ".repeat(n / 22),
    "URLs glued together": "https://".repeat(n / 8),
    "one long URL, no trim": `https://a.example/${"a".repeat(n)}`,
    "long lines of brackets": `https://a.example/${")".repeat(n / 10)}\n`.repeat(10),
  });

  for (const [label, text] of Object.entries(hostile(4950))) {
    it(`${label}: at most two steps per character`, () => {
      linkWork.steps = 0;
      renderCommentBody(text);
      expect(linkWork.steps).toBeLessThanOrEqual(2 * text.length + 100);
    });
  }

  it("doubling the text doubles the work, no more", () => {
    const stepsFor = (n: number) => {
      linkWork.steps = 0;
      for (const text of Object.values(hostile(n))) renderCommentBody(text);
      return linkWork.steps;
    };
    const small = stepsFor(2500);
    expect(stepsFor(5000)).toBeLessThanOrEqual(2.1 * small);
  });

  it("the trim still keeps balanced brackets and drops the rest", () => {
    const link = (url: string) => `<a href="${url}" rel="nofollow ugc noopener noreferrer">${url}</a>`;
    expect(renderCommentBody(`https://a.example/${")".repeat(3)}`)).toBe(`<p>${link("https://a.example/")})))</p>`);
    expect(renderCommentBody("https://a.example/(x))].")).toBe(`<p>${link("https://a.example/(x)")})].</p>`);
    expect(renderCommentBody("[https://a.example/[1]]")).toBe(`<p>[${link("https://a.example/[1]")}]</p>`);
    expect(renderCommentBody("{https://a.example/}")).toBe(`<p>{${link("https://a.example/")}}</p>`);
  });
});

describe("visible text", () => {
  it("a name or body of invisible characters only counts as empty", () => {
    const invisible = [
      "\u200B",
      "\u200C\u200D",
      "\u2060\uFEFF",
      "\u00AD",
      "\u200E\u200F\u061C",
      "\uFE0F\u{E0100}",
      "\u3164\u115F\uFFA0",
      "\u2800",
      "\u00A0\u3000\u2003",
      "\u{E0041}",
    ];
    for (const text of invisible) {
      expect(hasVisibleText(text)).toBe(false);
      const errors = commentErrors(text, text);
      expect([errors.name?.(strings("en")), errors.body?.(strings("en"))]).toEqual([
        "Please enter your name.",
        "Please write your comment.",
      ]);
    }
    for (const text of ["a", "\u200Bx", "가", "😀", "\u0301", "👍\uFE0F"]) expect(hasVisibleText(text)).toBe(true);
  });
});
