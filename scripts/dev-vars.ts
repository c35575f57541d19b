/**
 * The `--var`s `npm start` gives `wrangler dev`: a random local salt (kept in .wrangler/), the page
 * cache off unless PAGE_CACHE says otherwise, the secrets and notification settings set in the
 * environment (`ADMIN_TOKEN=... npm start` turns on /admin locally; `NOTIFY_WEBHOOK_URL=... npm
 * start`, see docs/notifications.md), and SITE_URL on the port the blog really listens on, so its
 * canonical links, feeds and notification links point to it (wrangler.toml says 8787).
 */
const PASSED = [
  "ADMIN_TOKEN",
  "TURNSTILE_SECRET",
  "TURNSTILE_SITE_KEY",
  "NOTIFY_MODE",
  "NOTIFY_WEBHOOK_URL",
  "NOTIFY_WEBHOOK_SECRET",
  "NOTIFY_WEBHOOK_FORMAT",
  "NOTIFY_EMAIL_TO",
  "NOTIFY_EMAIL_FROM",
  "SITE_URL",
] as const;

export function devVars(env: NodeJS.ProcessEnv, port: string, salt: () => string): string[] {
  const vars = [`IP_HASH_SALT:${env.IP_HASH_SALT ?? salt()}`, `PAGE_CACHE:${env.PAGE_CACHE ?? "off"}`];
  for (const name of PASSED) {
    const value = env[name];
    if (value) vars.push(`${name}:${value}`);
  }
  if (!env.SITE_URL && port !== "8787") vars.push(`SITE_URL:http://localhost:${port}`);
  return vars;
}
