/** Dates as readers see them: "May 20, 2025" (or the site language's equivalent), in UTC. */
export function formatDate(iso: string, lang: string): string {
  return new Intl.DateTimeFormat(lang, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(
    new Date(iso),
  );
}

/** JSON for an inline `<script type="application/ld+json">`: `<` is escaped so no `</script>` can end it. */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}
