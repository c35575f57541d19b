import { createExecutionContext, createMessageBatch, getQueueResult, type QueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import worker from "../../../src/index.ts";
import type { NotifyMessage } from "../../../src/notify/message.ts";

export const RECEIVER = env.TEST_RECEIVER_URL;
export const WEBHOOK_SECRET = "test-webhook-secret"; // vitest.config.ts

/** A receiver path of this test's own: the URL to deliver to, and what it got. */
export function receiver(name: string) {
  const path = `${name}-${crypto.randomUUID().slice(0, 8)}`;
  return {
    url: `${RECEIVER}/hook/${path}`,
    /** The next `n` deliveries are answered 500. */
    failNext: async (n: number) => {
      await fetch(`${RECEIVER}/plan/${path}?fail=${n}`, { method: "POST" });
    },
    received: async () =>
      (await fetch(`${RECEIVER}/received/${path}`)).json<
        { answered: number; headers: Record<string, string>; body: string }[]
      >(),
  };
}

/**
 * The real local queue, with what was sent to it kept for the test: the messages still go to the
 * queue (its consumer delivers them to /hook/live), and the test hands them to the consumer itself.
 */
export function recordingQueue(): { queue: Queue; sent: NotifyMessage[] } {
  const sent: NotifyMessage[] = [];
  const real = env.NOTIFY_QUEUE;
  const queue: Queue = {
    send: (body, options) => {
      sent.push(body as NotifyMessage);
      return real.send(body, options);
    },
    sendBatch: (messages, options) => {
      for (const m of messages) sent.push(m.body as NotifyMessage);
      return real.sendBatch(messages, options);
    },
    metrics: () => real.metrics(),
  };
  return { queue, sent };
}

/** The environment with some vars and bindings replaced, as a deployment with those settings has. */
export const envWith = (overrides: Record<string, unknown>): Env => ({ ...env, ...overrides }) as Env;

/** Runs the Worker's queue handler on one message, as delivery attempt `attempts`, and says what it decided. */
export async function consume(
  testEnv: Env,
  body: NotifyMessage,
  attempts = 1,
  queueName = "our-kpop-notify",
  id = "message-1",
): Promise<QueueResult> {
  const batch = createMessageBatch(queueName, [{ id, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue?.(batch, testEnv);
  return getQueueResult(batch, ctx);
}

/** HMAC-SHA-256 of `body` under `secret`, as the signature header carries it. */
export async function expectedSignature(secret: string, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return `sha256=${Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("")}`;
}
