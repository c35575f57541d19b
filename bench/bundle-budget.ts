/**
 * The Worker's size budget, one rule for test/scripts/bundle.test.ts and `npm run bench`: 60 KB
 * gzip of code (the edge cache issue's budget, for every environment), plus at most 5 KB gzip for
 * each interface catalog beyond English that a site's languages bring (Korean text hardly
 * compresses: its catalog is about 4.5 KB). The code is weighed alone by bundling the same
 * sources with the English catalog only, in a scratch copy of the project.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { catalogsModule } from "../pipeline/catalogs.ts";
import { wranglerEnv } from "../scripts/processes.ts";
import { bundleSizes } from "./sizes.ts";

/** Gzip bytes of code allowed, weighed with the English catalog alone. */
export const CODE_BUDGET = 60 * 1024;
/** Gzip bytes allowed for each catalog beyond English. */
export const CATALOG_BUDGET = 5 * 1024;

/** The project's sources copied into `dir`/english-only, with src/generated/catalogs.ts naming English alone. */
export function englishOnlyCopy(root: string, dir: string): string {
  const copy = join(dir, "english-only");
  mkdirSync(copy, { recursive: true });
  cpSync(join(root, "src"), join(copy, "src"), { recursive: true });
  for (const file of ["wrangler.toml", "package.json", "tsconfig.json"]) cpSync(join(root, file), join(copy, file));
  symlinkSync(join(root, "node_modules"), join(copy, "node_modules"));
  mkdirSync(join(copy, "dist"));
  symlinkSync(join(root, "dist", "public"), join(copy, "dist", "public"));
  writeFileSync(join(copy, "src", "generated", "catalogs.ts"), catalogsModule(["en"]));
  return copy;
}

/** The catalogs the build chose for this release (src/generated/catalogs.ts), English aside. */
export function extraCatalogs(root: string): string[] {
  const module = readFileSync(join(root, "src", "generated", "catalogs.ts"), "utf8");
  return [...module.matchAll(/from "\.\.\/i18n\/(\w+)\.ts"/g)]
    .map((m) => m[1] as string)
    .filter((lang) => lang !== "en");
}

/** What a bundle weighs against the rule. */
export interface BundleWeight {
  /** Gzip bytes of the whole bundle, as built. */
  gzip: number;
  /** Gzip bytes of the same sources bundled with the English catalog alone. */
  codeGzip: number;
  /** The catalogs beyond English in the bundle. */
  catalogs: string[];
}

/** The whole bundle's budget: the code's plus 5 KB per catalog beyond English. */
export function bundleBudget(catalogs: number): number {
  return CODE_BUDGET + CATALOG_BUDGET * catalogs;
}

/** True when both halves of the rule hold: the code within 60 KB, the catalogs within 5 KB each. */
export function withinBudget(w: BundleWeight): boolean {
  return w.codeGzip <= CODE_BUDGET && w.gzip - w.codeGzip <= CATALOG_BUDGET * w.catalogs.length;
}

/**
 * Weighs the code alone: `wrangler deploy --dry-run` in an English-only copy of `root` made in
 * `scratch` (a few seconds of wrangler start-up and esbuild); returns its gzip bytes.
 */
export function weighCodeAlone(root: string, scratch: string): number {
  const copy = englishOnlyCopy(root, scratch);
  const outdir = join(scratch, "english-only-out");
  const wrangler = join(root, "node_modules", ".bin", "wrangler");
  const result = spawnSync(wrangler, ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: copy,
    env: wranglerEnv(),
    encoding: "utf8",
  });
  if (result.status !== 0)
    throw new Error(`wrangler deploy --dry-run (English only) failed:\n${result.stdout}${result.stderr}`);
  return bundleSizes(outdir).gzip;
}
