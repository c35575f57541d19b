import { XMLParser } from "fast-xml-parser";

/**
 * A parsed element: child elements by tag name (always arrays), attributes under "@_name", text
 * under "#text". An element with text only and no attributes is its text.
 */
export type XmlNode = { [name: string]: XmlNode[] | string | undefined } | string;

/** The export is not XML at all, or not one this importer reads. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportError";
  }
}

/**
 * Parses an export. Anything before the XML declaration or the root element is dropped: PHP
 * warnings ("Warning: ... in /var/www/...") that a WordPress plugin printed into the download.
 * Element names keep their prefix as written (`wp:post_id`); a prefix need not be declared
 * (old WXR files use `excerpt:` without declaring it). Values stay text (a slug "0123" is not a number).
 */
export function parseXml(text: string): XmlNode {
  const start = xmlStart(text);
  if (start < 0) throw new ExportError("is not XML (no <?xml declaration or root element found)");
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    processEntities: true,
    htmlEntities: true,
    isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
    ignoreDeclaration: true,
    ignorePiTags: true,
  });
  try {
    return parser.parse(text.slice(start), true) as XmlNode;
  } catch (error) {
    throw new ExportError(`is not well-formed XML: ${(error as Error).message}`);
  }
}

/** Where the XML starts: its declaration, or else the first element that is not a PHP or HTML message. */
function xmlStart(text: string): number {
  const declaration = text.indexOf("<?xml");
  if (declaration >= 0) return declaration;
  for (const root of ["<rss", "<feed", "<disqus"]) {
    const at = text.indexOf(root);
    if (at >= 0) return at;
  }
  return -1;
}

/** The child elements named `name`. */
export const all = (node: XmlNode | undefined, name: string): XmlNode[] => {
  const value = typeof node === "object" ? node[name] : undefined;
  return Array.isArray(value) ? value : [];
};

/** The first child element named `name`. */
export const first = (node: XmlNode | undefined, name: string): XmlNode | undefined => all(node, name)[0];

/** The text of an element (CDATA and text joined), "" when absent. */
export function textOf(node: XmlNode | undefined): string {
  if (node === undefined) return "";
  if (typeof node === "string") return node;
  const text = node["#text"];
  if (typeof text === "string") return text;
  if (Array.isArray(text)) return text.map((t) => (typeof t === "string" ? t : "")).join("");
  return "";
}

/** The trimmed text of child `name`. */
export const childText = (node: XmlNode | undefined, name: string): string => textOf(first(node, name)).trim();

/** An attribute's value, "" when absent. */
export function attr(node: XmlNode | undefined, name: string): string {
  const value = typeof node === "object" ? node[`@_${name}`] : undefined;
  return typeof value === "string" ? value : "";
}
