import { strings } from "../i18n/index.ts";
import { Lru } from "../lib/lru.ts";

const STYLES = {
  date: { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" },
  month: { year: "numeric", month: "long", timeZone: "UTC" },
  time: { year: "numeric", month: "long", day: "numeric", hour: "2-digit", minute: "2-digit" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * Formatters by style and language, made once: building an `Intl.DateTimeFormat` costs far more
 * than formatting with it (it was the largest single cost of rendering an article). Languages
 * come from the site settings, so the map stays tiny; it is bounded all the same.
 */
const formatters = new Lru<string, Intl.DateTimeFormat>(32);

function formatter(style: keyof typeof STYLES, lang: string): Intl.DateTimeFormat {
  const key = `${style}:${lang}`;
  let made = formatters.peek(key);
  if (!made) {
    made = new Intl.DateTimeFormat(lang, style === "time" ? timeStyle(lang) : STYLES[style]);
    formatters.set(key, made);
  }
  return made;
}

/** Comment times in the zone the language's catalog names: UTC for English (saying so), KST for Korean. */
function timeStyle(lang: string): Intl.DateTimeFormatOptions {
  const t = strings(lang);
  return { ...STYLES.time, timeZone: t.timeZone, ...(t.timeZoneName && { timeZoneName: "short" }) };
}

/** Dates as readers see them: "May 20, 2025" (or the site language's equivalent), in UTC. */
export function formatDate(iso: string, lang: string): string {
  return formatter("date", lang).format(new Date(iso));
}

/** A month as the archive shows it: "May 2025" (or the site language's equivalent), from "2025-05". */
export function formatMonth(month: string, lang: string): string {
  return formatter("month", lang).format(new Date(`${month}-01T00:00:00Z`));
}

/** A moment as readers see it (comments): date, hours and minutes in the language's time zone (timeStyle). */
export function formatTime(iso: string, lang: string): string {
  return formatter("time", lang).format(new Date(iso));
}

/** JSON for an inline `<script type="application/ld+json">`: `<` is escaped so no `</script>` can end it. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
