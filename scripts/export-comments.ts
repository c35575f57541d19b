/**
 * `npm run export-comments -- [--local | --remote [--env <name>]] [--format json|wxr] > comments.json`
 *
 * Every comment the blog holds, whatever its status, as JSON (default) or as a WordPress
 * eXtended RSS file that WordPress's importer and this blog's `npm run import` read back: one
 * item per post, its comments with their parent links. Only what readers could see is written
 * (name, text, dates, status, thread); the hashes the blog keeps are not. `--local` (default)
 * reads the local D1 that `npm start` serves, `--remote` the deployed one, through wrangler.
 */
import { parseArgs } from "node:util";
import type { CommentRow } from "../src/comments/store/comment-row.ts";
import { openLocalStores } from "./local-data.ts";
import { wranglerJson } from "./wrangler.ts";

/** The columns the export reads: what readers could see of a comment, less its flags and counts. */
type Row = Pick<
  CommentRow,
  "id" | "post_slug" | "parent_id" | "thread_id" | "depth" | "author" | "body" | "status" | "created_at" | "updated_at"
>;

const SQL =
  "SELECT id, post_slug, parent_id, thread_id, depth, author, body, status, created_at, updated_at FROM comments ORDER BY post_slug, id";

async function readRows(values: {
  remote: boolean;
  env?: string | undefined;
  "persist-to"?: string | undefined;
}): Promise<Row[]> {
  if (values.remote) {
    const answer = wranglerJson<{ results?: Row[] }[]>(
      ["d1", "execute", "DB", "--remote", "--json", "--command", SQL],
      {
        env: values.env,
      },
    );
    return answer.flatMap((set) => set.results ?? []);
  }
  // stdout is the export: whatever wrangler prints while opening the local state goes to stderr.
  const log = console.log;
  console.log = console.error;
  try {
    const persistTo = values["persist-to"];
    const stores = await openLocalStores(persistTo ? { persistTo } : {});
    try {
      return (await stores.db.prepare(SQL).all<Row>()).results;
    } finally {
      await stores.dispose();
    }
  } finally {
    console.log = log;
  }
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The JSON form: one object per comment, in post and id order. */
export function commentsJson(rows: readonly Row[]): string {
  const comments = rows.map((r) => ({
    id: r.id,
    post: r.post_slug,
    parent: r.parent_id,
    thread: r.thread_id,
    depth: r.depth,
    author: r.author,
    body: r.body,
    status: r.status,
    created: iso(r.created_at),
    updated: iso(r.updated_at),
  }));
  return `${JSON.stringify({ exported: new Date().toISOString(), count: comments.length, comments }, null, 2)}\n`;
}

const cdata = (text: string) => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
const APPROVED: Record<string, string> = { published: "1", pending: "0", spam: "spam", deleted: "trash" };

/** The WXR form: an item per post (by slug), its comments threaded by `wp:comment_parent`. */
export function commentsWxr(rows: readonly Row[], site: string): string {
  const posts = new Map<string, Row[]>();
  for (const row of rows) posts.set(row.post_slug, [...(posts.get(row.post_slug) ?? []), row]);
  const items = [...posts].map(([slug, comments]) => {
    const list = comments.map(
      (c) => `    <wp:comment>
      <wp:comment_id>${c.id}</wp:comment_id>
      <wp:comment_author>${cdata(c.author)}</wp:comment_author>
      <wp:comment_date_gmt>${iso(c.created_at).slice(0, 19).replace("T", " ")}</wp:comment_date_gmt>
      <wp:comment_content>${cdata(c.body)}</wp:comment_content>
      <wp:comment_approved>${APPROVED[c.status] ?? "0"}</wp:comment_approved>
      <wp:comment_type>comment</wp:comment_type>
      <wp:comment_parent>${c.parent_id ?? 0}</wp:comment_parent>
    </wp:comment>`,
    );
    return `  <item>
    <title>${cdata(slug)}</title>
    <link>${site}/posts/${encodeURIComponent(slug)}</link>
    <wp:post_name>${cdata(slug)}</wp:post_name>
    <wp:post_type>post</wp:post_type>
    <wp:status>publish</wp:status>
${list.join("\n")}
  </item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
  <title>Comments</title>
  <link>${site}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
${items.join("\n")}
</channel>
</rss>
`;
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      local: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      env: { type: "string" },
      format: { type: "string", default: "json" },
      site: { type: "string", default: "http://localhost:8787" },
      "persist-to": { type: "string" },
    },
  });
  if ((values.local && values.remote) || !["json", "wxr"].includes(values.format)) {
    console.error(
      "usage: npm run export-comments -- [--local | --remote [--env <name>]] [--format json|wxr] [--site https://your.blog] > comments.json",
    );
    process.exit(2);
  }
  const rows = await readRows(values);
  process.stdout.write(
    values.format === "wxr" ? commentsWxr(rows, values.site.replace(/\/$/, "")) : commentsJson(rows),
  );
  console.error(`exported ${rows.length} comments`);
}
