import type { MiddlewareHandler } from "hono";
import { sha256Base64 } from "../lib/crypto.ts";
import { Refused } from "../lib/refused.ts";
import type { AppEnv } from "../types.ts";
import { STYLES } from "../views/styles.ts";

/** Where the Turnstile widget's script and frame come from (only allowed when Turnstile is on). */
export const TURNSTILE_ORIGIN = "https://challenges.cloudflare.com";

/**
 * The fixed headers (the set hono/secure-headers sends by default, with our referrer, framing and
 * resource policies), written out: the middleware's option handling cost 1 KB gzip of the Worker.
 * Three of its defaults are left out, since every response (a cache hit too) pays about 6 µs a
 * header in workerd and they protect nothing a current browser does: `X-XSS-Protection: 0`
 * (browsers have removed the XSS auditor it turns off), `X-Download-Options` (Internet Explorer 8)
 * and `X-Permitted-Cross-Domain-Policies` (Flash and Acrobat policy files; the site serves none).
 */
const FIXED: [string, string][] = [
  // Cross-origin readers of the feed and sitemap fetch them directly; nothing else embeds us.
  ["cross-origin-resource-policy", "same-site"],
  ["cross-origin-opener-policy", "same-origin"],
  ["origin-agent-cluster", "?1"],
  ["referrer-policy", "strict-origin-when-cross-origin"],
  ["strict-transport-security", "max-age=15552000; includeSubDomains"],
  ["x-content-type-options", "nosniff"],
  ["x-dns-prefetch-control", "off"],
  ["x-frame-options", "DENY"],
];

/**
 * Nothing loads unless listed. The one inline <style> is allowed by its hash; the JSON-LD block is
 * a data block, which browsers never execute. Scripts only from the site itself, no inline one:
 * the one there is, assets/local-time.js, puts comment times in the reader's zone. Fetches go to the
 * page's own origin only: no script runs to make any, but tools that audit the page from inside it
 * (Lighthouse reading /robots.txt) are held to the page's CSP.
 */
const csp = (styleHash: string, turnstile: boolean) =>
  `default-src 'none'; style-src 'sha256-${styleHash}'; img-src 'self' https: data:; connect-src 'self'; ` +
  `form-action 'self'; base-uri 'none'; frame-ancestors 'none'; ` +
  (turnstile ? `script-src 'self' ${TURNSTILE_ORIGIN}; frame-src ${TURNSTILE_ORIGIN}` : "script-src 'self'");

let policies: Promise<[plain: string, turnstile: string]> | undefined;

/**
 * Security headers on every response: a CSP without inline script that allows the inline
 * stylesheet by hash, nosniff, a referrer policy, no framing (test/src/middleware/security.test.ts).
 */
export function securityHeaders(turnstileOn: (env: Env) => boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    policies ??= sha256Base64(STYLES).then((hash) => [csp(hash, false), csp(hash, true)]);
    const [plain, turnstile] = await policies;
    await next();
    const headers = c.res.headers;
    for (const [name, value] of FIXED) headers.set(name, value);
    headers.set("content-security-policy", turnstileOn(c.env) ? turnstile : plain);
    headers.delete("x-powered-by");
  };
}

const SAFE_METHOD = /^(GET|HEAD|OPTIONS)$/;

/**
 * Refuses cross-site state-changing requests (CSRF): a browser always sends `Origin` (and
 * `Sec-Fetch-Site`) on a POST, so one from another site is refused with 403. Requests carrying
 * neither come from non-browser clients (curl, API clients), which cannot be forged by a page:
 * they are let through on purpose (test/src/routes/comments.test.ts, "CSRF").
 *
 * Not hono/csrf (checked against hono 4.13): its options cannot express this rule.
 * - A form POST with neither Origin nor Sec-Fetch-Site is refused whatever the options: its
 *   `origin` and `secFetchSite` checks are only asked when the header is there, and an absent
 *   header counts as failed. curl and scripts posting a comment form would get 403.
 * - It only looks at form and text/plain bodies: a JSON POST, PATCH or DELETE with a foreign
 *   Origin passes it, where this refuses it (CORS preflight stops browsers there anyway, but the
 *   answer would change).
 * - It passes a request when either header passes, so a foreign Origin with
 *   `Sec-Fetch-Site: same-origin` would pass; and its 403 is a bare "Forbidden", not our page or
 *   JSON error with a message.
 */
export function sameOrigin(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!SAFE_METHOD.test(c.req.method)) {
      const fetchSite = c.req.header("sec-fetch-site");
      const origin = c.req.header("origin");
      const allowed = [new URL(c.req.url).origin, new URL(c.var.site.url).origin];
      const crossSite = fetchSite !== undefined && fetchSite !== "same-origin" && fetchSite !== "none";
      const foreignOrigin = origin !== undefined && !allowed.includes(origin);
      if (foreignOrigin || (crossSite && !(origin !== undefined && allowed.includes(origin)))) {
        throw new Refused(403, (t) => t.says.crossSite);
      }
    }
    await next();
  };
}
