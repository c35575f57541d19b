import { describe, expect, it } from "vitest";
import { retryDelay } from "../../../src/notify/consumer.ts";
import { created, marker, postJson, SLUG } from "../helpers.ts";
import {
  consume,
  envWith,
  expectedSignature,
  RECEIVER,
  receiver,
  recordingQueue,
  WEBHOOK_SECRET,
} from "./notify-helpers.ts";

const TITLE = "K-pop in North Korea: What’s Really Going On?";

/** Posts a comment with notifications going to `url`; returns it and what was queued. */
async function postNotified(url: string, body: string, more: Record<string, unknown> = {}) {
  const { queue, sent } = recordingQueue();
  const overrides = { NOTIFY_WEBHOOK_URL: url, NOTIFY_QUEUE: queue, ...more };
  const name = marker("민지");
  const comment = await created(await postJson(SLUG, { name, body }, { envOverrides: overrides }));
  return { comment, name, sent, testEnv: envWith(overrides) };
}

describe("the webhook", () => {
  it("a new comment is queued once, and the receiver gets a JSON body signed with HMAC-SHA-256", async () => {
    const hook = receiver("signed");
    const { comment, name, sent, testEnv } = await postNotified(hook.url, "좋은 글이에요 https://example.com/x");
    expect(sent).toHaveLength(1);
    expect(sent[0]?.channel).toBe("webhook");

    const result = await consume(testEnv, sent[0] as (typeof sent)[0]);
    expect(result.explicitAcks).toEqual(["message-1"]);
    const [delivery, ...more] = await hook.received();
    expect(more).toHaveLength(0);
    expect(delivery?.headers["content-type"]).toBe("application/json");
    expect(delivery?.headers["x-notify-signature-256"]).toBe(
      await expectedSignature(WEBHOOK_SECRET, delivery?.body ?? ""),
    );
    expect(delivery?.headers["x-notify-id"]).toBe("message-1");
    const json = JSON.parse(delivery?.body ?? "{}");
    expect(json).toMatchObject({
      type: "comment.held",
      comment: {
        id: comment.id,
        post: { slug: SLUG, title: TITLE },
        author: name,
        text: "좋은 글이에요 https://example.com/x",
        status: "pending",
      },
    });
    expect(json.comment.approveUrl).toMatch(/^http:\/\/localhost:8787\/admin\/link\?id=\d+&action=approve&/);
    expect(json.comment.rejectUrl).toMatch(/action=reject/);
  });

  it("marks a published comment as created, with no moderation links", async () => {
    const hook = receiver("published");
    const { sent, testEnv } = await postNotified(hook.url, "plain words");
    await consume(testEnv, sent[0] as (typeof sent)[0]);
    const json = JSON.parse((await hook.received())[0]?.body ?? "{}");
    expect(json.type).toBe("comment.created");
    expect(json.comment).toMatchObject({ status: "published", approveUrl: null, rejectUrl: null });
  });

  it("a retried POST (the same Idempotency-Key) queues nothing more", async () => {
    const { queue, sent } = recordingQueue();
    const overrides = { NOTIFY_WEBHOOK_URL: receiver("replay").url, NOTIFY_QUEUE: queue };
    const options = { envOverrides: overrides, headers: { "idempotency-key": marker("key") }, ip: "192.0.2.77" };
    const first = await postJson(SLUG, { name: "Replay", body: "once" }, options);
    const again = await postJson(SLUG, { name: "Replay", body: "once" }, options);
    expect([first.status, again.status, again.headers.get("idempotent-replayed")]).toEqual([201, 201, "true"]);
    expect(sent).toHaveLength(1);
  });

  it("a receiver that fails three times and then succeeds gets the notification exactly once", async () => {
    const hook = receiver("flaky");
    await hook.failNext(3);
    const { sent, testEnv } = await postNotified(hook.url, "retry me");
    const message = sent[0] as (typeof sent)[0];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const result = await consume(testEnv, message, attempt);
      expect([result.explicitAcks, result.retryMessages.map((m) => m.msgId)]).toEqual([[], ["message-1"]]);
    }
    expect((await consume(testEnv, message, 4)).explicitAcks).toEqual(["message-1"]);
    const deliveries = await hook.received();
    expect(deliveries.map((d) => d.answered)).toEqual([500, 500, 500, 204]);
    // One notification: every attempt carries the same id and the same signed body.
    expect(new Set(deliveries.map((d) => d.headers["x-notify-id"]))).toEqual(new Set(["message-1"]));
    expect(deliveries.filter((d) => d.answered < 300)).toHaveLength(1);
  });

  it("keeps retrying a receiver that is down, and gives up only at the dead-letter queue's last try", async () => {
    const hook = receiver("down");
    await hook.failNext(1000);
    const { sent, testEnv } = await postNotified(hook.url, "down for long");
    const message = sent[0] as (typeof sent)[0];
    expect((await consume(testEnv, message, 13)).retryMessages).toHaveLength(1);
    const inDlq = await consume(testEnv, message, 3, "our-kpop-notify-dlq");
    expect(inDlq.retryMessages).toHaveLength(1);
    const last = await consume(testEnv, message, 25, "our-kpop-notify-dlq");
    expect([last.retryMessages, last.explicitAcks]).toEqual([[], ["message-1"]]);
    expect((await hook.received()).map((d) => d.answered)).toEqual([500, 500, 500]);
  });

  it("waits 30 s, doubling, at most an hour between tries (longer if the receiver asks): about 6 h over 12 retries", () => {
    const delays = Array.from({ length: 12 }, (_, i) => retryDelay(i + 1));
    expect(delays).toEqual([30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600, 3600, 3600]);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(21_810);
    expect(retryDelay(1, 900)).toBe(900);
    expect(retryDelay(1, 999_999)).toBe(43_200);
  });

  it("drops a message of a shape it did not send (logged), rather than retrying it for a day", async () => {
    const strange = { channel: "webhook", event: { kind: "comment", comment: { id: "1" } } };
    const result = await consume(envWith({}), strange as never);
    expect([result.explicitAcks, result.retryMessages]).toEqual([["message-1"], []]);
  });

  it("speaks Discord's and Slack's incoming-webhook bodies", async () => {
    const discord = receiver("discord");
    const posted = await postNotified(discord.url, "@everyone <b>hi</b> & bye", { NOTIFY_WEBHOOK_FORMAT: "discord" });
    await consume(posted.testEnv, posted.sent[0] as (typeof posted.sent)[0]);
    const d = JSON.parse((await discord.received())[0]?.body ?? "{}");
    expect(d.allowed_mentions).toEqual({ parse: [] });
    expect(d.content).toContain(`${posted.name} on "${TITLE}" (published)`);
    expect(d.content).toContain("> @everyone <b>hi</b> & bye");

    const slack = receiver("slack");
    const viaSlack = await postNotified(slack.url, "<script>x</script> & co", { NOTIFY_WEBHOOK_FORMAT: "slack" });
    await consume(viaSlack.testEnv, viaSlack.sent[0] as (typeof viaSlack.sent)[0]);
    const s = JSON.parse((await slack.received())[0]?.body ?? "{}");
    expect(s.text).toContain("&gt; &lt;script&gt;x&lt;/script&gt; &amp; co");
    expect(s.text).toContain(viaSlack.name);
  });

  it("goes through the real local queue: a comment posted to the Worker reaches the receiver", async () => {
    const name = marker("Live");
    await created(await postJson(SLUG, { name, body: "through Miniflare's queue" }));
    // Miniflare delivers in the background (batch timeout 5 s): look until it has, at most 30 s.
    for (let i = 0; i < 120; i++) {
      const deliveries = await (await fetch(`${RECEIVER}/received/live`)).json<{ body: string }[]>();
      if (deliveries.some((d) => d.body.includes(name))) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error("the queued notification never reached the receiver");
  }, 40_000);
});
