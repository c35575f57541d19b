import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  bundleBudget,
  CATALOG_BUDGET,
  CODE_BUDGET,
  extraCatalogs as catalogsOf,
  englishOnlyCopy,
} from "../../bench/bundle-budget.ts";
import { type Bundle, bindingNames, bundleBytes, dryRunDeploy } from "./wrangler-bundle.ts";

/** The Worker's budget (bench/bundle-budget.ts, which `npm run bench` checks too). */
const environments = ["production", "staging"] as const;
const root = resolve(import.meta.dirname, "..", "..");

const dir = mkdtempSync(join(tmpdir(), "our-kpop-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The catalogs the build chose for this release, English aside. */
const extraCatalogs = catalogsOf(root);

// The dry runs at once: each is a few seconds of wrangler start-up and esbuild.
const bundles = Object.fromEntries(
  environments.map((env) => [env, dryRunDeploy({ outdir: join(dir, env), ...(env === "production" ? {} : { env }) })]),
) as Record<(typeof environments)[number], Promise<Bundle>>;
const englishOnly = dryRunDeploy({ outdir: join(dir, "english-only-out"), cwd: englishOnlyCopy(root, dir) });

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

describe("wrangler deploy --dry-run", { timeout: 60_000 }, () => {
  it("bundles the Worker's code, with the English catalog alone, within 60 KB gzip", async () => {
    const { raw, gzip } = bundleBytes((await englishOnly).outdir);
    console.info(`code (English only): bundle ${kb(raw)}, gzip ${kb(gzip)} (budget 60 KB)`);
    expect(gzip).toBeGreaterThan(0);
    expect(gzip).toBeLessThanOrEqual(CODE_BUDGET);
  });

  it.each(environments)("bundles the %s Worker within 60 KB gzip plus 5 KB per catalog beyond English", async (env) => {
    const { gzip } = bundleBytes((await bundles[env]).outdir);
    const code = bundleBytes((await englishOnly).outdir).gzip;
    const budget = bundleBudget(extraCatalogs.length);
    console.info(
      `${env}: gzip ${kb(gzip)} with catalogs en${extraCatalogs.map((l) => `, ${l}`).join("")} ` +
        `(catalogs beyond English: ${gzip - code} B; budget ${kb(budget)})`,
    );
    expect(gzip - code).toBeLessThanOrEqual(CATALOG_BUDGET * extraCatalogs.length);
    expect(gzip).toBeLessThanOrEqual(budget);
  });

  it("gives staging every binding and var production has (environments inherit none)", async () => {
    const production = bindingNames((await bundles.production).output);
    expect(production).toEqual(expect.arrayContaining(["CONTENT", "DB", "SITE_URL"]));
    expect(bindingNames((await bundles.staging).output)).toEqual(production);
  });
});
