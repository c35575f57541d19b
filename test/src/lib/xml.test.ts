import { describe, expect, it } from "vitest";
import { xml, xmlChars, xmlDocument } from "../../../src/lib/xml.ts";
import { forbiddenChars, HOSTILE, HOSTILE_SHOWN } from "../hostile.ts";
import { parseXml } from "../xml.ts";

describe("xmlChars", () => {
  it("drops the characters XML 1.0 forbids and keeps every other", () => {
    expect(forbiddenChars(xmlChars(HOSTILE))).toEqual([]);
    expect(xmlChars(HOSTILE)).toBe(HOSTILE_SHOWN);
    const allowed = "\t\n\r \u007F\u0085\uD7FF\uE000\uFFFD\u{10000}\u{10FFFF}";
    expect(xmlChars(allowed)).toBe(allowed);
  });

  it("drops each C0 control but tab, LF and CR, and U+FFFE, U+FFFF and lone surrogates", () => {
    for (let code = 0; code < 0x20; code++) {
      const ch = String.fromCharCode(code);
      expect(xmlChars(`a${ch}b`)).toBe("\t\n\r".includes(ch) ? `a${ch}b` : "ab");
    }
    expect(xmlChars("a\uFFFE\uFFFF\uDFFF\uD800b")).toBe("ab");
  });
});

describe("xml", () => {
  it("escapes every value for text and attributes, and inserts nested fragments as they are", async () => {
    const items = ["<1>", "&2"].map((v) => xml`<i v="${v}">${v}</i>`);
    const out = String(await xml`<r a="${`"'<&>`}">${"</r>"}${items}${undefined}</r>`);
    expect(out).toBe(
      '<r a="&quot;&#39;&lt;&amp;&gt;">&lt;/r&gt;<i v="&lt;1&gt;">&lt;1&gt;</i><i v="&amp;2">&amp;2</i></r>',
    );
  });

  it("makes a well-formed document of any text", async () => {
    const text = await xmlDocument(xml`<r a="${HOSTILE}">${HOSTILE}</r>`);
    expect(text.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<r ')).toBe(true);
    const root = parseXml(text);
    expect(root.attributes.a).toBe(HOSTILE_SHOWN.replace(/[\t\n]/g, " ")); // attribute-value normalisation
    expect(root.text).toBe(HOSTILE_SHOWN);
  });

  it("is checked by a parser that rejects what XML forbids", () => {
    expect(() => parseXml("<r>\u0001</r>")).toThrow();
    expect(() => parseXml("<r>a & b</r>")).toThrow();
    expect(() => parseXml('<r a="<"/>')).toThrow();
    expect(parseXml("<r>&#39;&apos;</r>").text).toBe("''");
  });
});
