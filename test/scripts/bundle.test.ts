import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catalogsModule } from "../../pipeline/catalogs.ts";
import { type Bundle, bindingNames, bundleBytes, dryRunDeploy } from "./wrangler-bundle.ts";

/**
 * The Worker's budget: 60 KB gzip of code (the edge cache issue's budget, for every environment),
 * plus at most 5 KB gzip for each interface catalog beyond English that a site's languages bring
 * (Korean text hardly compresses: its catalog is about 4.5 KB). The code is weighed alone by
 * bundling the same sources with the English catalog only.
 */
const CODE_BUDGET = 60 * 1024;
const CATALOG_BUDGET = 5 * 1024;
const environments = ["production", "staging"] as const;
const root = resolve(import.meta.dirname, "..", "..");

const dir = mkdtempSync(join(tmpdir(), "our-kpop-bundle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The project's sources in a scratch folder, with src/generated/catalogs.ts naming English alone. */
function englishOnlyCopy(): string {
  const copy = join(dir, "english-only");
  mkdirSync(copy);
  cpSync(join(root, "src"), join(copy, "src"), { recursive: true });
  for (const file of ["wrangler.toml", "package.json", "tsconfig.json"]) cpSync(join(root, file), join(copy, file));
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  mkdirSync(join(copy, "dist"));
  symlinkSync(join(root, "dist", "public"), join(copy, "dist", "public"));
  writeFileSync(join(copy, "src", "generated", "catalogs.ts"), catalogsModule(["en"]));
  return copy;
}

/** The catalogs the build chose for this release, English aside. */
const extraCatalogs = [
  ...readFileSync(join(root, "src", "generated", "catalogs.ts"), "utf8").matchAll(/from "\.\.\/i18n\/(\w+)\.ts"/g),
]
  .map((m) => m[1])
  .filter((lang) => lang !== "en");

// The dry runs at once: each is a few seconds of wrangler start-up and esbuild.
const bundles = Object.fromEntries(
  environments.map((env) => [env, dryRunDeploy({ outdir: join(dir, env), ...(env === "production" ? {} : { env }) })]),
) as Record<(typeof environments)[number], Promise<Bundle>>;
const englishOnly = dryRunDeploy({ outdir: join(dir, "english-only-out"), cwd: englishOnlyCopy() });

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
    const budget = CODE_BUDGET + CATALOG_BUDGET * extraCatalogs.length;
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
