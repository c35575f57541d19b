import { describe, expect, it } from "vitest";
import { sha256Base64 } from "../../../src/lib/crypto.ts";
import { STYLES } from "../../../src/views/styles.ts";
import { elementsOf, fetchApp, SLUG, textOf } from "../helpers.ts";

describe("security headers", () => {
  it("every kind of response carries them", async () => {
    for (const path of ["/", `/posts/${SLUG}`, "/feed.xml", "/nope", `/posts/${SLUG}/comments`]) {
      const res = await fetchApp(path);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      expect(res.headers.get("x-frame-options"), path).toBe("DENY");
      // The rest of the set hono/secure-headers sends by default, which these headers were first made with.
      expect(res.headers.get("strict-transport-security"), path).toBe("max-age=15552000; includeSubDomains");
      expect(res.headers.get("cross-origin-resource-policy"), path).toBe("same-site");
      expect(res.headers.get("cross-origin-opener-policy"), path).toBe("same-origin");
      expect(res.headers.get("origin-agent-cluster"), path).toBe("?1");
      expect(res.headers.get("x-permitted-cross-domain-policies"), path).toBe("none");
      expect(res.headers.get("x-xss-protection"), path).toBe("0");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("default-src 'none'");
      expect(csp, path).not.toContain("unsafe-inline");
    }
  });

  it("the CSP allows the page's inline style by its hash and no script at all", async () => {
    const res = await fetchApp(`/posts/${SLUG}`);
    const csp = res.headers.get("content-security-policy") ?? "";
    const html = await res.text();
    const [style] = await textOf(html, "style");
    expect(style).toBe(STYLES);
    expect(csp).toContain(`style-src 'sha256-${await sha256Base64(style ?? "")}'`);
    expect(csp).not.toContain("script-src");
    // Lighthouse fetches /robots.txt from inside the page: without this its SEO audit fails.
    expect(csp).toContain("connect-src 'self'");
    // The only script is a JSON-LD data block, which browsers never execute.
    const scripts = await elementsOf(html, "script");
    expect(scripts.map((s) => Object.fromEntries(s.attributes).type)).toEqual(["application/ld+json"]);
    expect(await elementsOf(html, "[style]")).toHaveLength(0);
  });
});
