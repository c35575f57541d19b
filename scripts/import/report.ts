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
    if (this.warnings.length)
      lines.push("", `Warnings (${this.warnings.length}):`, ...this.warnings.map((w) => `  - ${w}`));
    if (this.notes.length) lines.push("", ...this.notes);
    return `${lines.join("\n")}\n`;
  }
}
