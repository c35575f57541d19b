/**
 * Text that breaks hand-built XML: markup, an entity, both quotes, a CDATA end, every kind of
 * character XML 1.0 forbids (C0 controls but tab/LF/CR, U+FFFE, U+FFFF, a lone surrogate), and
 * characters it allows that must survive (tab, newline, DEL, Hangul, an emoji outside the BMP).
 */
export const HOSTILE =
  "Tom & Jerry <b>\"bold\" 'quoted'</b> ]]> &amp; " +
  "\u0000\u0001\u0008\u000B\u000C\u000E\u001F\uFFFE\uFFFF\uD800 " +
  "tab\there\nline \u007F 케이팝 🎤";

/** What of `HOSTILE` a reader gets back: the same text without the characters XML forbids. */
export const HOSTILE_SHOWN = "Tom & Jerry <b>\"bold\" 'quoted'</b> ]]> &amp;  tab\there\nline \u007F 케이팝 🎤";

/**
 * The characters of `text` that XML 1.0 forbids, as `U+XXXX` (a failure message holding a lone
 * surrogate itself would break the test pool's connection).
 */
export const forbiddenChars = (text: string): string[] =>
  Array.from(
    text.matchAll(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu),
    ([ch]) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`,
  );
