import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Bundle, bindingNames, bundleBytes, dryRunDeploy } from "./wrangler-bundle.ts";

/** The Worker bundle budget the edge cache issue sets: 60 KB gzip, for every environment. */
const BUDGET_GZIP = 60 * 1024;
const environments = ["production", "staging"] as const;

const dir = mkdtempSync(join(tmpdir(), "our-kpop-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// Both dry runs at once: each is a few seconds of wrangler start-up and esbuild.
const bundles = Object.fromEntries(
  environments.map((env) => [env, dryRunDeploy({ outdir: join(dir, env), ...(env === "production" ? {} : { env }) })]),
) as Record<(typeof environments)[number], Promise<Bundle>>;

describe("wrangler deploy --dry-run", { timeout: 60_000 }, () => {
  it.each(environments)("bundles the %s Worker within 60 KB gzip", async (env) => {
    const bundle = await bundles[env];
    const { raw, gzip } = bundleBytes(bundle.outdir);
    console.info(`${env}: bundle ${(raw / 1024).toFixed(1)} KB, gzip ${(gzip / 1024).toFixed(1)} KB (budget 60 KB)`);
    expect(gzip).toBeGreaterThan(0);
    expect(gzip).toBeLessThanOrEqual(BUDGET_GZIP);
  });

  it("gives staging every binding and var production has (environments inherit none)", async () => {
    const production = bindingNames((await bundles.production).output);
    expect(production).toEqual(expect.arrayContaining(["CONTENT", "DB", "SITE_URL"]));
    expect(bindingNames((await bundles.staging).output)).toEqual(production);
  });
});
