import { memoByEnv } from "../lib/env-memo.ts";
import { siteOf } from "../lib/site.ts";

/** How the owner is told about comments: `[vars]` in wrangler.toml plus optional secrets. */
export type NotifyMode = "each" | "hourly" | "off";
export type WebhookFormat = "json" | "discord" | "slack";
export type Channel = "webhook" | "email";

export interface NotifyConfig {
  /** One notification per comment, one digest an hour (the cron), or none. */
  mode: NotifyMode;
  /** NOTIFY_WEBHOOK_URL (a secret: Discord and Slack URLs are credentials) and its format. */
  webhook: { url: string; format: WebhookFormat; secret: string | null } | null;
  /** NOTIFY_EMAIL_TO, sent from NOTIFY_EMAIL_FROM through the NOTIFY_EMAIL binding. */
  email: { to: string; from: string } | null;
  /** The channels that are set up: a comment is one queue message per channel. */
  channels: Channel[];
  /** Where links in a notification point (SITE_URL). */
  siteUrl: string;
  siteTitle: string;
  /** The key of the moderation links (ADMIN_TOKEN); without it a notification has no links. */
  linkKey: string | null;
}

const MODES: readonly NotifyMode[] = ["each", "hourly", "off"];
const FORMATS: readonly WebhookFormat[] = ["json", "discord", "slack"];

function optionalString(env: Env, name: string): string | null {
  const value: unknown = Reflect.get(env, name);
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** The notification settings of an environment (computed once per environment, see `memoByEnv`). */
export const notifyConfig: (env: Env) => NotifyConfig = memoByEnv((env) => {
  const mode = optionalString(env, "NOTIFY_MODE");
  const format = optionalString(env, "NOTIFY_WEBHOOK_FORMAT");
  const url = optionalString(env, "NOTIFY_WEBHOOK_URL");
  const to = optionalString(env, "NOTIFY_EMAIL_TO");
  const from = optionalString(env, "NOTIFY_EMAIL_FROM");
  const hasEmail = to !== null && from !== null && Reflect.get(env, "NOTIFY_EMAIL") !== undefined;
  const config: NotifyConfig = {
    mode: MODES.find((m) => m === mode) ?? "each",
    webhook: url
      ? {
          url,
          format: FORMATS.find((f) => f === format) ?? "json",
          secret: optionalString(env, "NOTIFY_WEBHOOK_SECRET"),
        }
      : null,
    email: hasEmail ? { to, from } : null,
    channels: [],
    siteUrl: siteOf(env).url,
    siteTitle: siteOf(env).title,
    linkKey: optionalString(env, "ADMIN_TOKEN"),
  };
  if (config.webhook) config.channels.push("webhook");
  if (config.email) config.channels.push("email");
  if (!Reflect.get(env, "NOTIFY_QUEUE")) config.channels = [];
  return config;
});
