import type { PostLink } from "./record.ts";

/** One year of the archive, months newest first. */
export interface ArchiveYear {
  /** "2025" */
  year: string;
  /** "2025-05", with that month's posts newest first. */
  months: { month: string; posts: PostLink[] }[];
}

/**
 * The archive's posts (stored oldest first) that are out, newest first, by year and month: UTC
 * months, as dates are shown. A scheduled post is left out until its date (`isOut`).
 */
export function archiveYears(posts: readonly PostLink[], isOut: (date: string) => boolean): ArchiveYear[] {
  const years: ArchiveYear[] = [];
  for (const post of [...posts].reverse()) {
    if (!isOut(post.date)) continue;
    const year = post.date.slice(0, 4);
    const month = post.date.slice(0, 7);
    let y = years.at(-1);
    if (y?.year !== year) {
      y = { year, months: [] };
      years.push(y);
    }
    const m = y.months.at(-1);
    if (m?.month === month) m.posts.push(post);
    else y.months.push({ month, posts: [post] });
  }
  return years;
}
