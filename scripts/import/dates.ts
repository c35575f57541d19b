/** Dates as exports write them, made ISO 8601 UTC. */

/** WordPress's "2019-05-06 07:08:31" (UTC in `*_gmt` fields); undefined for "0000-00-00 00:00:00" or junk. */
export function wordpressDate(value: string): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  if (!match || match[1] === "0000") return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  const time = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s || 0);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** An RFC 2822 (`pubDate`) or ISO 8601 date with its offset, as UTC; undefined when it is not one. */
export function anyDate(value: string): string | undefined {
  const raw = value.trim();
  if (!raw) return undefined;
  const time = Date.parse(raw);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

/** The first of `dates` that is one, or the Unix epoch (an export with no date at all, reported by the caller). */
export const firstDate = (...dates: (string | undefined)[]): string | undefined => dates.find((d) => d !== undefined);
