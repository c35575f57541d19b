import type { ReadingOn, TranslationLink } from "../src/articles/record.ts";
import { contentHash } from "./hash.ts";

/**
 * A release's KV entries: key -> JSON value, as a `Map`. An entry the build reuses from its
 * render cache is held as the UTF-8 bytes of its KV pair (`{"key":…,"value":…}`, exactly what a
 * bulk file holds) and decoded only if someone asks for its value, so a build that rewrites no
 * KV file never decodes it, and one that does copies the bytes as they are.
 *
 * Made empty (`new ReleaseEntries()`), then filled: `Map`'s constructor would call the `set`
 * below before the class's own field exists.
 */
export class ReleaseEntries extends Map<string, string> {
  /** key -> the pair's bytes (loaded on first use), for entries set with `setPair`. */
  readonly #pairs = new Map<string, () => Uint8Array>();

  /** Sets an entry from its KV pair's bytes (`pairOf(key, value)`), read when first needed. */
  setPair(key: string, pair: () => Uint8Array): this {
    super.set(key, "");
    this.#pairs.set(key, pair);
    return this;
  }

  /** Sets `value` as JSON under its content-addressed key (`key` of the JSON's hash); returns the key. */
  put(key: (hash: string) => string, value: unknown): string {
    const json = JSON.stringify(value);
    const k = key(contentHash(json));
    this.set(k, json);
    return k;
  }

  override set(key: string, value: string): this {
    this.#pairs.delete(key);
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.#pairs.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.#pairs.clear();
    super.clear();
  }

  override get(key: string): string | undefined {
    const pair = this.#pairs.get(key);
    return pair ? pairValue(pair()) : super.get(key);
  }

  /** The entry's KV pair as UTF-8 JSON, as a bulk file holds it. */
  pair(key: string): Uint8Array {
    const pair = this.#pairs.get(key);
    if (pair) return pair();
    const value = super.get(key);
    if (value === undefined) throw new Error(`no KV entry ${key}`);
    return pairOf(key, value);
  }

  override forEach(callback: (value: string, key: string, map: Map<string, string>) => void, self?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(self, value, key, this);
  }

  override *entries(): MapIterator<[string, string]> {
    for (const key of this.keys()) yield [key, this.get(key) as string];
  }

  override *values(): MapIterator<string> {
    for (const key of this.keys()) yield this.get(key) as string;
  }

  override [Symbol.iterator](): MapIterator<[string, string]> {
    return this.entries();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * An article record with its translations (translations.ts), when it has some, and its reading-on
 * block (reading-on.ts) as its last fields: the key is the hash of the record's own key (itself
 * the hash of the record) and what was added, so it stays content-addressed; the pair is made
 * from the record's pair bytes without decoding them, so a cached record is neither parsed nor
 * serialized again. `record` is the record's JSON, or its pair's bytes (`pairOf`).
 */
export function withReadingOn(
  recordKey: string,
  record: string | (() => Uint8Array),
  end: ReadingOn,
  translations?: readonly TranslationLink[],
): { key: string; pair: () => Uint8Array } {
  const block = JSON.stringify(end);
  const set = translations?.length ? JSON.stringify(translations) : undefined;
  const key = `article:${contentHash(set ? `${recordKey}\n${set}\n${block}` : `${recordKey}\n${block}`)}`;
  const added = `${set ? `,"translations":${set}` : ""},"readingOn":${block}}`;
  if (typeof record === "string") {
    const value = `${record.slice(0, -1)}${added}`;
    return { key, pair: () => pairOf(key, value) };
  }
  return {
    key,
    pair: () => {
      const bytes = record();
      const head = encoder.encode(`{"key":${JSON.stringify(recordKey)},"value":"`).length;
      // `{"key":…,"value":"{…}"}`: the value's last brace is 3 bytes before the end.
      if (bytes[bytes.length - 3] !== 0x7d || bytes[bytes.length - 2] !== 0x22)
        throw new Error(`not a record pair: ${recordKey}`);
      const tail = `${JSON.stringify(added).slice(1)}}`;
      const start = encoder.encode(`{"key":${JSON.stringify(key)},"value":"`);
      const middle = bytes.subarray(head, bytes.length - 3);
      const closing = encoder.encode(tail);
      const out = new Uint8Array(start.length + middle.length + closing.length);
      out.set(start);
      out.set(middle, start.length);
      out.set(closing, start.length + middle.length);
      return out;
    },
  };
}

/** A KV pair as `wrangler kv bulk put` reads it, in UTF-8. */
export const pairOf = (key: string, value: string): Uint8Array => encoder.encode(JSON.stringify({ key, value }));

/** The value of a KV pair's bytes. */
export const pairValue = (pair: Uint8Array): string => (JSON.parse(decoder.decode(pair)) as { value: string }).value;
