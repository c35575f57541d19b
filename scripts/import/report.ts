/** How the report names where a post's language came from. */
const SOURCES: Record<string, string> = {
  export: "the export's language terms (Polylang)",
  text: "their text",
  blog: "the old blog's language",
  site: "the site's language",
};

/**
 * What an import found, did and left out: counts per kind (found / imported / unchanged / skipped
 * with the reason) and warnings that each name their source item. Printed, and written to a file.
 */
export class ImportReport {
  readonly #counts = new Map<
    string,
    { found: number; imported: number; unchanged: number; skipped: Map<string, number> }
  >();
  readonly warnings: string[] = [];
  readonly notes: string[] = [];
  /** Posts written or already there, by language, and by where their language came from. */
  readonly languages = new Map<string, number>();
  readonly languageSources = new Map<string, number>();
  /** Translation groups linked and their posts, and posts of a group left without the key; set when the export has groups. */
  translations?: { sets: number; posts: number; unlinked: number };

  #kind(kind: string) {
    let entry = this.#counts.get(kind);
    if (!entry) {
      entry = { found: 0, imported: 0, unchanged: 0, skipped: new Map() };
      this.#counts.set(kind, entry);
    }
    return entry;
  }

  found(kind: string, count = 1): void {
    this.#kind(kind).found += count;
  }

  imported(kind: string, count = 1): void {
    this.#kind(kind).imported += count;
  }

  /** Already there from an earlier run, and the same. */
  unchanged(kind: string, count = 1): void {
    this.#kind(kind).unchanged += count;
  }

  skipped(kind: string, reason: string, count = 1): void {
    const skipped = this.#kind(kind).skipped;
    skipped.set(reason, (skipped.get(reason) ?? 0) + count);
  }

  /** A post imported (or unchanged) in `lang`, found from `source` ("export", "text", "blog", "site"). */
  language(lang: string, source: string): void {
    this.languages.set(lang, (this.languages.get(lang) ?? 0) + 1);
    this.languageSources.set(source, (this.languageSources.get(source) ?? 0) + 1);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  count(kind: string, what: "found" | "imported" | "unchanged"): number {
    return this.#counts.get(kind)?.[what] ?? 0;
  }

  skippedCount(kind: string): number {
    return [...(this.#counts.get(kind)?.skipped.values() ?? [])].reduce((a, b) => a + b, 0);
  }

  /** The report as text: a table of counts, the reasons for skips, the warnings, the notes. */
  format(title: string): string {
    const lines = [title, ""];
    const width = Math.max(8, ...[...this.#counts.keys()].map((k) => k.length));
    lines.push(`${"kind".padEnd(width)}  found  imported  unchanged  skipped`);
    for (const [kind, c] of this.#counts) {
      const skipped = [...c.skipped.values()].reduce((a, b) => a + b, 0);
      lines.push(
        `${kind.padEnd(width)}  ${String(c.found).padStart(5)}  ${String(c.imported).padStart(8)}  ${String(c.unchanged).padStart(9)}  ${String(skipped).padStart(7)}`,
      );
      for (const [reason, n] of c.skipped) lines.push(`${"".padEnd(width)}    skipped ${n}: ${reason}`);
    }
    lines.push(...this.#languageLines());
    if (this.warnings.length)
      lines.push("", `Warnings (${this.warnings.length}):`, ...this.warnings.map((w) => `  - ${w}`));
    if (this.notes.length) lines.push("", ...this.notes);
    return `${lines.join("\n")}\n`;
  }

  #languageLines(): string[] {
    if (this.languages.size === 0) return [];
    const langs = [...this.languages].map(([lang, n]) => `${lang} ${n}`).join(", ");
    const from = [...this.languageSources].map(([source, n]) => `${n} by ${SOURCES[source] ?? source}`).join(", ");
    const lines = ["", `Languages of the posts: ${langs} (${from})`];
    const t = this.translations;
    if (t)
      lines.push(
        `Translations: ${t.sets} ${t.sets === 1 ? "set" : "sets"} linked (${t.posts} posts share a translationKey)` +
          (t.unlinked ? `; ${t.unlinked} left without one (see warnings)` : ""),
      );
    return lines;
  }
}
