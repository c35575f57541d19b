/**
 * `npm run bench:import`: how long moving a large blog in takes. Generates a WordPress export
 * of N posts with M comments (threaded replies, categories, tags, shortcodes, block comments),
 * then runs `npm run import` on it as a writer would, into a throw-away content folder and local
 * D1, and again (the idempotent re-run, which must write nothing), and prints the wall time of
 * each. The goal: 1,000 posts with 10,000 comments in under a minute.
 *
 *   npm run bench:import -- [--posts 1000] [--comments 10000] [--keep]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { importInto } from "../scripts/import/import-cli.ts";

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000" },
    comments: { type: "string", default: "10000" },
    keep: { type: "boolean", default: false },
  },
});
const POSTS = Number(values.posts);
const COMMENTS = Number(values.comments);

const cdata = (text: string) => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
const pad = (n: number) => String(n).padStart(2, "0");

/** One generated post: some paragraphs, a caption shortcode, a list, a block-editor embed. */
function item(i: number, comments: string): string {
  const day = new Date(Date.UTC(2015, 0, 1) + i * 86_400_000);
  const ymd = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
  const slug = i % 50 === 0 ? `케이팝-이야기-${i}` : `generated-post-${i}`;
  const body = [
    `Post ${i} opens with <strong>bold</strong> words and a <a href="https://example.com/${i}">link</a>.\nA second line.`,
    "<ul>\n<li>one</li>\n<li>two</li>\n</ul>",
    `[caption id="attachment_${i}" width="300"]<img src="https://old.example/wp-content/uploads/${i}.jpg" alt="photo ${i}"> Caption ${i}[/caption]`,
    `<!-- wp:embed --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">https://www.youtube.com/watch?v=abcdefghij${i % 10}</div></figure><!-- /wp:embed -->`,
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(20),
  ].join("\n\n");
  return `<item>
<title>${cdata(`Generated post ${i}`)}</title>
<link>https://old.example/${ymd.replaceAll("-", "/")}/${encodeURIComponent(slug)}/</link>
<guid isPermaLink="false">https://old.example/?p=${i}</guid>
<content:encoded>${cdata(body)}</content:encoded>
<excerpt:encoded>${cdata(`Excerpt ${i}`)}</excerpt:encoded>
<wp:post_id>${i}</wp:post_id>
<wp:post_date>${cdata(`${ymd} 09:00:00`)}</wp:post_date>
<wp:post_date_gmt>${cdata(`${ymd} 00:00:00`)}</wp:post_date_gmt>
<wp:post_name>${cdata(encodeURIComponent(slug).toLowerCase())}</wp:post_name>
<wp:status>${cdata("publish")}</wp:status>
<wp:post_type>${cdata("post")}</wp:post_type>
<category domain="category" nicename="cat-${i % 20}">${cdata(`Category ${i % 20}`)}</category>
<category domain="post_tag" nicename="tag-${i % 50}">${cdata(`Tag ${i % 50}`)}</category>
${comments}</item>`;
}

/** A post's comments: every third replies to the one before, so threads run several deep. */
function comments(post: number, count: number, firstId: number): string {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const id = firstId + k;
    const parent = k % 3 === 0 || k === 0 ? 0 : id - 1;
    out.push(`<wp:comment>
<wp:comment_id>${id}</wp:comment_id>
<wp:comment_author>${cdata(`Reader ${id % 97}`)}</wp:comment_author>
<wp:comment_author_email>${cdata(`reader${id}@mail.example`)}</wp:comment_author_email>
<wp:comment_author_IP>${cdata("203.0.113.9")}</wp:comment_author_IP>
<wp:comment_date_gmt>${cdata(`2016-01-01 ${pad(k % 24)}:${pad(post % 60)}:00`)}</wp:comment_date_gmt>
<wp:comment_content>${cdata(`<p>Comment ${id} on post ${post}, with <em>markup</em>.</p>`)}</wp:comment_content>
<wp:comment_approved>${cdata(id % 25 === 0 ? "0" : "1")}</wp:comment_approved>
<wp:comment_type>${cdata("comment")}</wp:comment_type>
<wp:comment_parent>${parent}</wp:comment_parent>
</wp:comment>`);
  }
  return out.join("\n");
}

function generate(): string {
  const items: string[] = [];
  let nextComment = 1;
  for (let i = 1; i <= POSTS; i++) {
    const count = Math.floor((COMMENTS * i) / POSTS) - Math.floor((COMMENTS * (i - 1)) / POSTS);
    items.push(item(i, comments(i, count, nextComment)));
    nextComment += count;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Generated</title><link>https://old.example</link><wp:wxr_version>1.2</wp:wxr_version><wp:base_blog_url>https://old.example</wp:base_blog_url>
${items.join("\n")}
</channel></rss>
`;
}

function importOnce(file: string, dir: string): { seconds: number; report: string } {
  const started = performance.now();
  const report = importInto(file, dir);
  return { seconds: (performance.now() - started) / 1000, report };
}

const dir = mkdtempSync(join(tmpdir(), "our-kpop-bench-import-"));
try {
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  const file = join(dir, "export.xml");
  const xml = generate();
  writeFileSync(file, xml);
  console.log(`generated ${POSTS} posts with ${COMMENTS} comments: ${(xml.length / 1024 / 1024).toFixed(1)} MB of WXR`);
  const first = importOnce(file, dir);
  const line = (kind: string) => new RegExp(`^${kind}\\s+.*$`, "m").exec(first.report)?.[0] ?? `${kind}: (none)`;
  console.log(`first import: ${first.seconds.toFixed(1)} s (goal: under 60 s)`);
  for (const kind of ["posts", "comments", "aliases"]) console.log(`  ${line(kind)}`);
  const again = importOnce(file, dir);
  const unchanged = /^posts\s+\d+\s+0\s+(\d+)/m.exec(again.report)?.[1];
  console.log(`second import (nothing to do): ${again.seconds.toFixed(1)} s, ${unchanged} posts unchanged`);
  if (first.seconds >= 60) process.exitCode = 1;
} finally {
  if (values.keep) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
