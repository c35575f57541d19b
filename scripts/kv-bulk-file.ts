/**
 * Reads the `wrangler kv bulk put` files the build writes (dist/kv/NNN.json) keys first, values on
 * demand. At 10,000 posts they hold about 80 MB of HTML, and an edit needs only a handful of the
 * values: finding the keys without parsing the rest saves seconds on every save of `npm start`.
 */

/** One pair of a `wrangler kv bulk put` file, every field wrangler takes (the build writes key and value). */
export interface KvBulkPair {
  key: string;
  value: string;
  base64?: boolean;
  metadata?: unknown;
  expiration?: number;
  expiration_ttl?: number;
}

/** Entries of bulk files: every key, each value parsed when it is asked for. */
export class BulkEntries {
  readonly #spans = new Map<string, { buffer: Buffer; start: number; end: number }>();

  get size(): number {
    return this.#spans.size;
  }

  keys(): IterableIterator<string> {
    return this.#spans.keys();
  }

  has(key: string): boolean {
    return this.#spans.has(key);
  }

  /** The value under `key`, or undefined when no file holds it. */
  get(key: string): string | undefined {
    const span = this.#spans.get(key);
    if (!span) return undefined;
    const entry = JSON.parse(span.buffer.toString("utf8", span.start, span.end)) as { key: string; value: string };
    return entry.value;
  }

  /**
   * Adds the entries of one file's text. The build writes `JSON.stringify([{ key, value }, ...])`,
   * where a quote inside a string is always escaped, so `{"key":"` can only start an entry: the
   * entries are found by that marker alone. Text in any other shape is parsed whole.
   */
  add(buffer: Buffer): void {
    const marker = Buffer.from('{"key":"');
    if (buffer.indexOf('[{"key":"') !== 0) {
      for (const { key, value } of JSON.parse(buffer.toString("utf8")) as { key: string; value: string }[])
        this.#spans.set(key, { buffer: Buffer.from(JSON.stringify({ key, value })), start: 0, end: Infinity });
      return;
    }
    let start = 1;
    while (start > 0) {
      const next = buffer.indexOf(marker, start + marker.length);
      // An entry ends before the comma that precedes the next one, or before the closing bracket.
      const end = next > 0 ? next - 1 : buffer.lastIndexOf("]");
      const keyEnd = buffer.indexOf('","value":', start);
      const key = JSON.parse(buffer.toString("utf8", start + marker.length - 1, keyEnd + 1)) as string;
      this.#spans.set(key, { buffer, start, end });
      start = next;
    }
  }
}
