import type { Message } from "../i18n/index.ts";
/**
 * Commenter text: normalization, the length rules, and the only HTML a comment can become.
 * Pure functions; the Worker and the tests share them.
 */

export const NAME_MAX = 80;
export const BODY_MAX = 5000;

/** Bidirectional embedding/override/isolate controls: they let a name or text display reversed. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** C0/C1 control characters except tab and line feed (kept in bodies; in names all whitespace becomes one space). */
const CONTROLS = /(?![\t\n])\p{Cc}/gu;

/** Length as a reader counts it: code points, not UTF-16 units (SQLite's length() agrees). */
export const textLength = (text: string): number => [...text].length;

/** A display name: NFC, no control or bidi characters, whitespace runs collapsed, trimmed. */
export function normalizeName(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROLS, "")
    .replace(BIDI_CONTROLS, "")
    .replace(/\s+/gu, " ")
    .trim();
}

/** A comment body: NFC, \n line ends, no control or bidi characters but tabs and newlines, trimmed. */
export function normalizeBody(raw: string): string {
  return raw
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(CONTROLS, "")
    .replace(BIDI_CONTROLS, "")
    .split("\n")
    .map(trimLineEnd)
    .join("\n")
    .trim();
}

/**
 * A line without its trailing spaces and tabs, in one backward pass (the regex `/[ \t]+\n/g`
 * restarts at every space of a long run, quadratic in the run: 20,000 spaces cost about 1 s).
 */
function trimLineEnd(line: string): string {
  let end = line.length;
  while (end > 0 && (line.charCodeAt(end - 1) === 32 || line.charCodeAt(end - 1) === 9)) end--;
  return end === line.length ? line : line.slice(0, end);
}

/**
 * Text that shows nothing: whitespace, default-ignorable code points (zero-width spaces and
 * joiners, word joiner, BOM, soft hyphen, bidi and other format controls, variation selectors,
 * Hangul fillers), controls, and the blank Braille pattern.
 */
const INVISIBLE = /^[\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\u2800]*$/u;

/** True when text has at least one character a reader can see. */
export const hasVisibleText = (text: string): boolean => !INVISIBLE.test(text);

export type CommentField = "name" | "body";

/**
 * What is wrong with a normalized name and body, field by field (empty when both are fine). A
 * field with no visible character counts as empty: a name of zero-width spaces shows as blank.
 */
export function commentErrors(name: string, body: string): Partial<Record<CommentField, Message>> {
  const errors: Partial<Record<CommentField, Message>> = {};
  const nameLength = textLength(name);
  if (!hasVisibleText(name)) errors.name = (t) => t.says.nameMissing;
  else if (nameLength > NAME_MAX) errors.name = (t) => t.says.nameTooLong(nameLength, NAME_MAX);
  const bodyLength = textLength(body);
  if (!hasVisibleText(body)) errors.body = (t) => t.says.bodyMissing;
  else if (bodyLength > BODY_MAX) errors.body = (t) => t.says.bodyTooLong(bodyLength, BODY_MAX);
  return errors;
}

/** True when text holds something that looks like a link (held for moderation in "hold-links" mode). */
export function hasLink(text: string): boolean {
  return /\bhttps?:\/\/|\bwww\.[^\s.]+\.[^\s]/i.test(text);
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** http(s) URLs up to whitespace or a character that cannot be part of one in running text. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`\u00A0\u3000]+/gi;

/** Closing brackets a URL may end with, and the opening bracket each one balances. */
const CLOSERS: Readonly<Record<string, string>> = { ")": "(", "]": "[", "}": "{" };
const OPENERS: Readonly<Record<string, string>> = { "(": ")", "[": "]", "{": "}" };
const TRAILING_PUNCTUATION = ".,;:!?*'";

/**
 * Characters examined while linking URLs, summed over every call: tests bound it by the text's
 * length to prove linking stays linear (a render must not cost quadratic time in a hostile body).
 */
export const linkWork = { steps: 0 };

/**
 * Drops sentence punctuation a URL in prose is usually followed by, and unbalanced closing
 * brackets. The bracket balance is counted once and updated as characters drop off the end,
 * so a URL followed by thousands of `)` costs one pass, not one pass per bracket.
 */
function trimUrl(url: string): string {
  // Per closing bracket: how many more closers than openers the URL holds so far.
  const unbalanced = new Map<string, number>();
  for (let i = 0; i < url.length; i++) {
    const ch = url.charAt(i);
    const closer = OPENERS[ch] ?? ch;
    if (CLOSERS[closer] !== undefined) unbalanced.set(closer, (unbalanced.get(closer) ?? 0) + (closer === ch ? 1 : -1));
  }
  linkWork.steps += url.length;
  let end = url.length;
  while (end > 0) {
    linkWork.steps++;
    const last = url.charAt(end - 1);
    const excess = unbalanced.get(last) ?? 0;
    if (TRAILING_PUNCTUATION.includes(last)) end--;
    else if (excess > 0) {
      unbalanced.set(last, excess - 1);
      end--;
    } else break;
  }
  return url.slice(0, end);
}

/** One line of text: escaped, with http(s) URLs as nofollow links. */
function renderLine(line: string): string {
  let html = "";
  let from = 0;
  for (const match of line.matchAll(URL_PATTERN)) {
    const start = match.index;
    const url = trimUrl(match[0]);
    let href: string | null = null;
    try {
      const parsed = new URL(url);
      if (parsed.protocol === "http:" || parsed.protocol === "https:") href = parsed.href;
    } catch {
      href = null;
    }
    if (href === null || url.length <= "https://".length) continue;
    html += escapeHtml(line.slice(from, start));
    html += `<a href="${escapeHtml(href)}" rel="nofollow ugc noopener noreferrer">${escapeHtml(url)}</a>`;
    from = start + url.length;
  }
  return html + escapeHtml(line.slice(from));
}

/**
 * A normalized comment body as HTML: every character escaped, blank lines start a paragraph,
 * single newlines become `<br>`, and http(s) URLs become links with
 * `rel="nofollow ugc noopener noreferrer"`. Nothing else a commenter types becomes markup.
 */
export function renderCommentBody(body: string): string {
  return body
    .split(/\n{2,}/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph.length > 0)
    .map((paragraph) => `<p>${paragraph.split("\n").map(renderLine).join("<br>")}</p>`)
    .join("");
}
