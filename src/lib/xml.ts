import { html } from "hono/html";

/** What an `xml` template makes: text with every interpolated value escaped (a Promise only if one was). */
export type XmlFragment = ReturnType<typeof html>;

/**
 * Characters that XML 1.0 allows nowhere, not even as `&#...;` references: C0 controls other than
 * tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. A feed reader or a crawler rejects a whole
 * document for one of them, so they are dropped from every value (a title pasted from a word
 * processor can carry one).
 */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** `text` without the characters XML 1.0 does not allow. */
export const xmlChars = (text: string): string => text.replace(NOT_XML_CHAR, "");

const clean = (value: unknown): unknown =>
  typeof value === "string" ? xmlChars(value) : Array.isArray(value) ? value.map(clean) : value;

/**
 * `hono/html`'s template tag for XML (feeds, sitemaps): each value is escaped as `html` escapes it
 * (`&`, `<`, `>`, `"`, `'` as `&#39;`, all valid XML in text and attribute values), after the
 * characters XML forbids are dropped. Nested `xml` fragments are inserted as they are.
 */
export const xml = (strings: TemplateStringsArray, ...values: unknown[]): XmlFragment =>
  html(strings, ...values.map(clean));

/** A whole document: the XML declaration, the root element and a final newline. */
export const xmlDocument = async (root: XmlFragment): Promise<string> =>
  `<?xml version="1.0" encoding="utf-8"?>\n${await root}\n`;
