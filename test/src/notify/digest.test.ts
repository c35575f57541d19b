import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../../src/index.ts";
import { created, marker, postJson, SLUG } from "../helpers.ts";
import { consume, envWith, receiver, recordingQueue } from "./notify-helpers.ts";

const HOUR = 3_600_000;

/** A comment row created at `at` (ms): the digest reads D1, so the test sets the clock of each row. */
async function commentAt(at: number, author: string, status = "pending"): Promise<number> {
  const row = await env.DB.prepare(
    `INSERT INTO comments (post_slug, author, body, status, created_at, updated_at, ip_hash, author_hash)
     VALUES (?1, ?2, ?3, ?4, ?5, ?5, 'ip', 'author') RETURNING id`,
  )
    .bind(SLUG, author, `said at ${new Date(at).toISOString()}`, status, at)
    .first<{ id: number }>();
  return row?.id ?? 0;
}

/** Runs the Worker's cron handler as the trigger would at `scheduledTime`; returns what it queued. */
async function cronAt(scheduledTime: number, overrides: Record<string, unknown>) {
  const { queue, sent } = recordingQueue();
  const testEnv = envWith({ NOTIFY_MODE: "hourly", NOTIFY_QUEUE: queue, ...overrides });
  const ctx = createExecutionContext();
  await worker.scheduled?.(createScheduledController({ scheduledTime, cron: "0 * * * *" }), testEnv, ctx);
  await waitOnExecutionContext(ctx);
  return { sent, testEnv };
}

describe("the hourly digest", () => {
  // A clock of the test's own: an hour in 2031, where no other test's comments are.
  const base = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 5000) * HOUR;
  const top = base + 10 * HOUR;

  it("sends the comments of the hour before the trigger, each with its status, once per channel", async () => {
    const hook = receiver("digest");
    await commentAt(top - HOUR - 1, marker("too-early"));
    const first = await commentAt(top - HOUR, marker("first"));
    const second = await commentAt(top - 1, marker("second"), "published");
    await commentAt(top, marker("too-late"));
    const { sent, testEnv } = await cronAt(top + 20_000, { NOTIFY_WEBHOOK_URL: hook.url });
    expect(sent).toHaveLength(1);
    const event = sent[0]?.event;
    if (event?.kind !== "digest") throw new Error("not a digest");
    expect(event.comments.map((c) => [c.id, c.status])).toEqual([
      [first, "pending"],
      [second, "published"],
    ]);
    expect([event.from, event.to, event.more]).toEqual([top - HOUR, top, 0]);
    expect(event.pending).toBeGreaterThanOrEqual(1);

    expect((await consume(testEnv, sent[0] as (typeof sent)[0])).explicitAcks).toEqual(["message-1"]);
    const json = JSON.parse((await hook.received())[0]?.body ?? "{}");
    expect(json.type).toBe("digest");
    expect(json.comments.map((c: { id: number }) => c.id)).toEqual([first, second]);
    expect(json.comments[0].post.title).toBe("K-pop in North Korea: What’s Really Going On?");
    expect(json.comments[0].approveUrl).toMatch(/\/admin\/link\?/);
    expect(json.comments[1].approveUrl).toBeNull();
  });

  it("sends nothing for an hour without comments", async () => {
    const { sent } = await cronAt(top + 100 * HOUR, { NOTIFY_WEBHOOK_URL: receiver("quiet").url });
    expect(sent).toEqual([]);
  });

  it("lists at most 50 and counts the rest", async () => {
    const at = top + 200 * HOUR;
    for (let i = 0; i < 52; i++) await commentAt(at - HOUR + i, `many-${i}`, "published");
    const { sent } = await cronAt(at, { NOTIFY_WEBHOOK_URL: receiver("many").url });
    const event = sent[0]?.event;
    expect(event?.kind === "digest" && [event.comments.length, event.more]).toEqual([50, 2]);
  });

  it("is off in 'each' mode, and in 'hourly' mode a comment POST queues nothing", async () => {
    await commentAt(top + 300 * HOUR - 5, marker("each"));
    const each = await cronAt(top + 300 * HOUR, { NOTIFY_MODE: "each", NOTIFY_WEBHOOK_URL: receiver("each").url });
    expect(each.sent).toEqual([]);

    const { queue, sent } = recordingQueue();
    const overrides = { NOTIFY_MODE: "hourly", NOTIFY_WEBHOOK_URL: receiver("post").url, NOTIFY_QUEUE: queue };
    await created(
      await postJson(SLUG, { name: marker("Hourly"), body: "waits for the digest" }, { envOverrides: overrides }),
    );
    expect(sent).toEqual([]);
  });
});
