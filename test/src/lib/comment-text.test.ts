import { describe, expect, it } from "vitest";
import {
  commentErrors,
  hasLink,
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
