/**
 * Which interface catalogs (src/i18n/<lang>.ts) the Worker bundles: English (it defines the keys
 * and is the fallback), the languages `SITE_LANG` takes in wrangler.toml (every environment), and
 * the languages of the release's posts. A language a site never uses is not in its Worker (the
 * Korean catalog is 4.5 KB gzip of a 60 KB budget). Written to src/generated/catalogs.ts.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const SITE_LANG = /^\s*SITE_LANG\s*=\s*"([^"]*)"/gm;

/** A tag's primary subtag ("ko-KR" -> "ko"), which names its catalog. */
const primary = (tag: string) => tag.toLowerCase().split("-")[0] ?? "";

/** The `SITE_LANG` values of a wrangler.toml's top level and environments. */
export function siteLanguages(wranglerToml: string): string[] {
  return [...wranglerToml.matchAll(SITE_LANG)].map((m) => m[1] ?? "");
}

/** The catalogs to bundle, sorted: "en", and each language asked for that has a catalog file. */
export function catalogLanguages(asked: Iterable<string | undefined>, i18nDir: string): string[] {
  const langs = new Set(["en"]);
  for (const tag of asked) {
    const lang = tag === undefined ? "" : primary(tag);
    if (/^[a-z]{2,3}$/.test(lang) && existsSync(join(i18nDir, `${lang}.ts`))) langs.add(lang);
  }
  return [...langs].sort();
}

/** The module that hands src/i18n/index.ts its catalogs. */
export function catalogsModule(langs: string[]): string {
  const imports = langs.map((lang) => `import { ${lang} } from "../i18n/${lang}.ts";\n`).join("");
  return `// Written by pipeline/catalogs.ts: the interface catalogs this release needs. Do not edit.\n${imports}\nexport const CATALOGS = { ${langs.join(", ")} };\n`;
}

/** The catalogs module for a release whose posts are in `postLangs`, with the SITE_LANG of ./wrangler.toml. */
export function catalogsFor(postLangs: Iterable<string | undefined>, root = "."): string {
  const toml = join(root, "wrangler.toml");
  const site = existsSync(toml) ? siteLanguages(readFileSync(toml, "utf8")) : [];
  return catalogsModule(catalogLanguages([...site, ...postLangs], join(root, "src", "i18n")));
}
