import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { insertComment, type NewComment } from "../../../src/comments/store/insert.ts";
import { setStatus } from "../../../src/comments/store/moderation.ts";
import { listVisible, listVisibleMeta } from "../../../src/comments/store/pages.ts";
import { readSession } from "../../../src/comments/store/sessions.ts";
import { commentCounts, commentsState } from "../../../src/comments/store/stats.ts";

const base = (slug: string, i: number): NewComment => ({
  postSlug: slug,
  parentId: null,
  author: `bulk ${i}`,
  body: `body ${i}`,
  status: "published",
  ipHash: "0".repeat(64),
  authorHash: "1".repeat(64),
  idempotencyKey: null,
  requestHash: null,
  now: Date.now(),
});

/** Inserts `count` published comments on `slug` with one multi-row statement per 10 rows (fast setup). */
async function seed(slug: string, count: number) {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < count; i += 10) {
    const rows = Math.min(10, count - i);
    statements.push(
      env.DB.prepare(
        `INSERT INTO comments (post_slug, author, body, status, created_at, updated_at, ip_hash, author_hash) VALUES ${Array.from(
          { length: rows },
          (_, r) => `(?1, 'seed ${i + r}', 'seeded', 'published', ?2, ?2, 'x', 'y')`,
        ).join(", ")}`,
      ).bind(slug, Date.now()),
    );
  }
  for (let i = 0; i < statements.length; i += 50) await env.DB.batch(statements.slice(i, i + 50));
}

describe("the page query reads rows proportional to what it shows", () => {
  it("with thousands of comments on other posts", async () => {
    await seed("store-busy-a", 3000);
    await seed("store-busy-b", 2000);
    const slug = "store-quiet";
    for (let i = 0; i < 5; i++) await insertComment(env.DB, base(slug, i));
    const meta = await listVisibleMeta(env.DB, slug, 50);
    expect(meta.rows_read).toBeLessThanOrEqual(10);
    const busy = await listVisibleMeta(env.DB, "store-busy-a", 50);
    // A page of 50 (+1 to know there is more) out of 3,000.
    expect(busy.rows_read).toBeLessThanOrEqual(60);
    console.log(
      `rows_read: quiet post ${meta.rows_read}, busy post page ${busy.rows_read} (5,000 rows on other posts)`,
    );
    const counts = await env.DB.prepare(
      "SELECT post_slug, published FROM comment_stats WHERE post_slug IN (?1, ?2, ?3)",
    )
      .bind("store-busy-a", "store-busy-b", slug)
      .run();
    expect(counts.meta.rows_read).toBeLessThanOrEqual(6); // an index lookup per post, whatever they hold
  }, 60_000);
});

describe("counts and state", () => {
  it("counts many posts in one call, state changes exactly when the visible set does", async () => {
    const slug = `state-${crypto.randomUUID()}`;
    const empty = await commentsState(env.DB, slug);
    expect(empty).toEqual({ count: 0, version: 0, changedAt: null });
    const a = await insertComment(env.DB, base(slug, 1));
    const held = await insertComment(env.DB, { ...base(slug, 2), status: "pending" });
    const s1 = await commentsState(env.DB, slug);
    expect(s1.count).toBe(1);
    if (a.kind !== "created" || held.kind !== "created") throw new Error("insert failed");
    await setStatus(env.DB, [held.comment.id], "published", Date.now());
    const s2 = await commentsState(env.DB, slug);
    expect(s2.count).toBe(2);
    expect(s2.version).toBeGreaterThan(s1.version);
    await setStatus(env.DB, [a.comment.id], "spam", Date.now());
    await setStatus(env.DB, [a.comment.id], "deleted", Date.now()); // hidden to hidden: no change
    const s3 = await commentsState(env.DB, slug);
    expect(s3).toMatchObject({ count: 1, version: s2.version + 1 });

    const slugs = Array.from({ length: 150 }, (_, i) => `${slug}-${i}`);
    slugs.push(slug);
    const counts = await commentCounts(readSession(env.DB), slugs);
    expect(counts.get(slug)).toBe(1);
    expect(counts.size).toBe(1);
  });
});

describe("bulk moderation", () => {
  it("changes hundreds of comments at once despite D1's bound-parameter limit", async () => {
    const slug = `bulk-${crypto.randomUUID()}`;
    const ids: number[] = [];
    for (let i = 0; i < 250; i++) {
      const result = await insertComment(env.DB, { ...base(slug, i), status: "pending" });
      if (result.kind === "created") ids.push(result.comment.id);
    }
    expect(await setStatus(env.DB, ids, "published", Date.now())).toMatchObject({ changed: 250 });
    expect((await commentsState(env.DB, slug)).count).toBe(250);
    expect(await setStatus(env.DB, ids, "published", Date.now())).toEqual({ changed: 0, posts: [] });
    const page = await listVisible(env.DB, slug, { limit: 100 });
    expect(page.comments).toHaveLength(100);
    expect(page.next).not.toBeNull();
  }, 60_000);
});
