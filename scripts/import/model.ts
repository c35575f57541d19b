/**
 * What every export format is read into: posts (with their comments) and Disqus threads, in one
 * shape, so that conversion, slugs, media, aliases and the comment load are written once.
 */

/** Where a post stands in its old blog. Only `published`, `draft` and `scheduled` are imported. */
export type SourceStatus = "published" | "draft" | "scheduled" | "private" | "trash";

export type CommentStatus = "published" | "pending" | "spam" | "deleted";

/** A comment as its export tells it; e-mail and IP are never read into it. */
export interface SourceComment {
  /** The export's own id of the comment (stable across exports of the same blog). */
  sourceId: string;
  /** `sourceId` of the comment it replies to, if any. */
  parentId?: string;
  author: string;
  /** ISO 8601, UTC. */
  date: string;
  /** The comment's text as HTML (WordPress, Blogger, Disqus all store HTML). */
  html: string;
  status: CommentStatus;
}

export interface SourcePost {
  /** The export's own id of the post ("123", "4049156646748610070"). */
  sourceId: string;
  kind: "post" | "page";
  status: SourceStatus;
  title: string;
  /** The slug the old blog used (`wp:post_name`, Blogger's file name), before it is made unique. */
  oldSlug: string;
  /** ISO 8601, UTC. */
  date: string;
  updated?: string;
  html: string;
  /** Plain text. */
  summary?: string;
  /** Tag names (slugified later). */
  tags: string[];
  /** URL of the featured image, if the post had one. */
  featuredImage?: string;
  /** Every old address of the post: full URLs or paths, `?p=` forms included. */
  oldUrls: string[];
  comments: SourceComment[];
  /** The post's language as the export names it (Polylang's `language` term), a tag like `ko`. */
  lang?: string;
  /** Its translation group (Polylang's `post_translations` term): posts naming the same one translate each other. */
  translationGroup?: string;
}

/** Disqus: a page of the old blog and its comments, matched to a post by its URL. */
export interface SourceThread {
  sourceId: string;
  url: string;
  title: string;
  comments: SourceComment[];
}

/** An item of the export that is not imported, and why. */
export interface Skipped {
  kind: string;
  item: string;
  reason: string;
}

export interface SourceExport {
  format: "wordpress" | "blogger" | "disqus";
  /** The old blog's address or id: keeps stable ids of two blogs apart. */
  site: string;
  /** The old blog's language (WXR `<language>`, Blogger's `BLOG_LOCALE`), a tag like `ko-KR`, when it names a valid one. */
  language?: string;
  posts: SourcePost[];
  threads: SourceThread[];
  skipped: Skipped[];
  /** Each names its source item. */
  warnings: string[];
  /** WordPress: attachment id -> URL (featured images, `[gallery ids=...]`). */
  attachments?: Map<string, string>;
  /** WordPress: post id -> URLs of the attachments uploaded to it (`[gallery]` without ids). */
  attachedTo?: Map<string, string[]>;
  /** Things found that are not imported as such (authors, categories), by kind: counts for the report. */
  found: Record<string, number>;
}
