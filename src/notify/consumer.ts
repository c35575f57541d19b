/**
 * The queue consumer: delivers each message to its channel and acknowledges it, or asks the queue
 * to try again later. The bound on a receiver that is down (wrangler.toml, docs/notifications.md):
 * our-kpop-notify retries 12 times, 30 s doubling to at most 1 h apart (about 6 h in all), then
 * moves the message to our-kpop-notify-dlq; that queue's consumer (this same code) retries 24
 * more times (about 18 h). Only after about a day is a notification given up, and then it is
 * logged whole ("notification dropped", Workers Logs), never silently.
 */

import { notifyConfig } from "./config.ts";
import { DeliveryFailed } from "./delivery.ts";
import { sendEmail } from "./email.ts";
import { readMessage } from "./message.ts";
import { sendWebhook } from "./webhook.ts";

/** max_retries of the dead-letter queue's consumer in wrangler.toml. */
export const DLQ_MAX_RETRIES = 24;
const FIRST_DELAY = 30;
const MAX_DELAY = 3600;

/** Seconds before attempt `attempts + 1`: 30, 60, 120, ... up to an hour (or what the receiver asked). */
export function retryDelay(attempts: number, asked: number | null = null): number {
  const backoff = Math.min(MAX_DELAY, FIRST_DELAY * 2 ** Math.max(0, attempts - 1));
  return Math.min(43_200, Math.max(backoff, asked ?? 0));
}

const isDeadLetterQueue = (name: string) => name.endsWith("-dlq");

/** Delivers one message, or drops (with a log line) one that can never go; throws when a try failed. */
async function deliver(env: Env, message: Message<unknown>): Promise<void> {
  const parsed = readMessage(message.body);
  if (!parsed) {
    console.error("notification: a message of an unknown shape was dropped", message.body);
    return;
  }
  const config = notifyConfig(env);
  if (!config.channels.includes(parsed.channel)) {
    console.warn(`notification: ${parsed.channel} is no longer set up; dropped`, parsed.event);
    return;
  }
  const now = Date.now();
  if (parsed.channel === "webhook") await sendWebhook(config, parsed.event, message.id, now);
  else await sendEmail(env, config, parsed.event, now);
}

/** The `queue` handler: every message of the batch on its own, acknowledged or retried. */
export async function consumeNotifications(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const lastTry = (message: Message<unknown>) => isDeadLetterQueue(batch.queue) && message.attempts > DLQ_MAX_RETRIES;
  await Promise.all(
    batch.messages.map(async (message) => {
      try {
        await deliver(env, message);
        message.ack();
      } catch (error) {
        const asked = error instanceof DeliveryFailed ? error.retryAfter : null;
        if (lastTry(message)) {
          console.error("notification dropped after every retry", message.body, error);
          message.ack();
          return;
        }
        console.warn(`notification attempt ${message.attempts} failed; retried`, error);
        message.retry({ delaySeconds: retryDelay(message.attempts, asked) });
      }
    }),
  );
}
