import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { catalogLanguages, catalogsFor, catalogsModule, siteLanguages } from "../../pipeline/catalogs.ts";

const i18n = join(import.meta.dirname, "..", "..", "src", "i18n");

describe("the catalogs a Worker bundles", () => {
  it("reads SITE_LANG from the top level and every environment of wrangler.toml", () => {
    const toml = '[vars]\nSITE_LANG = "en"\n\n[env.staging.vars]\nSITE_LANG = "ko-KR"\n# SITE_LANG = "fr"\n';
    expect(siteLanguages(toml)).toEqual(["en", "ko-KR"]);
  });

  it("is English plus each language asked for that has a catalog file, by primary subtag", () => {
    expect(catalogLanguages([], i18n)).toEqual(["en"]);
    expect(catalogLanguages([undefined, "en"], i18n)).toEqual(["en"]);
    expect(catalogLanguages(["ko-KR", "ko", "fr", "../x"], i18n)).toEqual(["en", "ko"]);
  });

  const root = mkdtempSync(join(tmpdir(), "our-kpop-catalogs-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("leaves out a language neither the site nor any post uses", () => {
    mkdirSync(join(root, "src", "i18n"), { recursive: true });
    for (const lang of ["en", "ko"]) writeFileSync(join(root, "src", "i18n", `${lang}.ts`), "");
    writeFileSync(join(root, "wrangler.toml"), '[vars]\nSITE_LANG = "en"\n');
    expect(catalogsFor(["en", undefined], root)).toBe(catalogsModule(["en"]));
    expect(catalogsFor(["ko"], root)).toBe(catalogsModule(["en", "ko"]));
    writeFileSync(join(root, "wrangler.toml"), '[vars]\nSITE_LANG = "ko"\n');
    expect(catalogsFor([], root)).toContain('import { ko } from "../i18n/ko.ts";');
  });
});
