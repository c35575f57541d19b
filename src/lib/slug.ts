/**
 * Slugs and tags may hold any Unicode letter (Hangul included): they are NFC-normalized,
 * lower-cased, and made of letters and digits joined by single hyphens.
 */
const SLUG = /^[\p{L}\p{M}\p{N}]+(?:-[\p{L}\p{M}\p{N}]+)*$/u;

/** Turns free text ("K-Pop News!", "케이팝 이야기") into a slug, or "" when nothing is left. */
export function slugify(text: string): string {
  return text
    .normalize("NFC")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
}

/** True when `value` is already a slug in normal form. */
export function isSlug(value: string): boolean {
  return value.length > 0 && value.length <= 200 && value === value.normalize("NFC").toLowerCase() && SLUG.test(value);
}
