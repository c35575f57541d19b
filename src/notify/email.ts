/** The e-mail channel: a plain-text mail to NOTIFY_EMAIL_TO through Email Routing's send_email binding. */

import { EmailMessage } from "cloudflare:email";
import type { NotifyConfig } from "./config.ts";
import { DeliveryFailed } from "./delivery.ts";
import type { NotifyEvent } from "./message.ts";
import { plainTextMime } from "./mime.ts";
import { bodyLines, subjectOf } from "./text.ts";

/** The mail of an event, as raw MIME. */
export async function notificationMail(config: NotifyConfig, event: NotifyEvent, now: number): Promise<string> {
  const email = config.email;
  if (!email) throw new Error("e-mail notifications are not set up");
  return plainTextMime({
    from: { name: config.siteTitle, address: email.from },
    to: email.to,
    subject: subjectOf(config, event),
    text: (await bodyLines(config, event)).join("\n"),
    date: new Date(now),
  });
}

/** Sends the event's mail; throws DeliveryFailed when the binding refuses or fails. */
export async function sendEmail(env: Env, config: NotifyConfig, event: NotifyEvent, now: number): Promise<void> {
  const email = config.email;
  if (!email) return;
  const raw = await notificationMail(config, event, now);
  try {
    await env.NOTIFY_EMAIL.send(new EmailMessage(email.from, email.to, raw));
  } catch (error) {
    throw new DeliveryFailed("send_email failed", null, { cause: error });
  }
}
