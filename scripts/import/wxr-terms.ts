/**
 * A WXR item's tags and categories (every `<category>` of the `post_tag` and `category` domains;
 * other taxonomies, Polylang's among them, are read elsewhere or left out).
 */
import { all, attr, textOf, type XmlNode } from "./xml.ts";

/**
 * WordPress's default category, "Uncategorized", and the one Polylang makes for each language
 * (slug `uncategorized-<code>`, `uncategorized-ko`): not tags a writer chose.
 */
const isDefaultCategory = (nicename: string, languages: ReadonlyMap<string, unknown>): boolean =>
  nicename === "uncategorized" ||
  (nicename.startsWith("uncategorized-") && languages.has(nicename.slice("uncategorized-".length)));

/** Tags and categories; a category's ancestors are kept as tags too (hierarchies are flattened). */
export function terms(
  item: XmlNode,
  parents: ReadonlyMap<string, string>,
  languages: ReadonlyMap<string, unknown>,
): { tags: string[]; categories: string[] } {
  const tags = new Set<string>();
  const categories: string[] = [];
  for (const cat of all(item, "category")) {
    const domain = attr(cat, "domain") || "category";
    const name = textOf(cat).trim();
    const nicename = safeDecode(attr(cat, "nicename")) || name;
    if (!name && !nicename) continue;
    if (domain === "post_tag" || domain === "tag") tags.add(name || nicename);
    else if (domain === "category") {
      if (isDefaultCategory(nicename, languages)) continue;
      categories.push(nicename);
      tags.add(name || nicename);
      for (let parent = parents.get(attr(cat, "nicename")), depth = 0; parent && depth < 10; depth++) {
        tags.add(safeDecode(parent));
        parent = parents.get(parent);
      }
    }
  }
  return { tags: [...tags], categories: [...new Set(categories)] };
}

export const safeDecode = (value: string): string => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};
