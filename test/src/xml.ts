import { SaxesParser } from "saxes";

/** An element of a parsed document: its qualified name, namespace, attribute values and text. */
export interface XmlElement {
  name: string;
  uri: string;
  attributes: Record<string, string>;
  /** The element's own text (entities decoded), not its descendants'. */
  text: string;
  children: XmlElement[];
}

/**
 * Parses `text` with saxes, a conformant XML 1.0 parser (namespaces on): any well-formedness error,
 * a character XML forbids included, throws. Returns the root element.
 */
export function parseXml(text: string): XmlElement {
  const parser = new SaxesParser({ xmlns: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const attributes = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.name, a.value]));
    const element: XmlElement = { name: tag.name, uri: tag.uri, attributes, text: "", children: [] };
    stack.at(-1)?.children.push(element);
    root ??= element;
    stack.push(element);
  });
  parser.on("text", (chunk) => {
    const open = stack.at(-1);
    if (open) open.text += chunk;
  });
  parser.on("cdata", (chunk) => {
    const open = stack.at(-1);
    if (open) open.text += chunk;
  });
  parser.on("closetag", () => {
    stack.pop();
  });
  parser.write(text).close();
  if (!root) throw new Error("no root element");
  return root;
}

/** The children of `element` named `name`. */
export const childrenNamed = (element: XmlElement, name: string): XmlElement[] =>
  element.children.filter((child) => child.name === name);

/** The one child of `element` named `name` (throws when there is none). */
export function child(element: XmlElement, name: string): XmlElement {
  const found = childrenNamed(element, name)[0];
  if (!found) throw new Error(`<${element.name}> has no <${name}>`);
  return found;
}

/** A feed response parsed: the root and its entries, each as its id, link, `xml:lang` and `<content>`. */
export async function feedOf(res: Response) {
  const feed = parseXml(await res.text());
  return {
    feed,
    entries: childrenNamed(feed, "entry").map((e) => ({
      id: child(e, "id").text,
      link: child(e, "link").attributes.href,
      lang: e.attributes["xml:lang"],
      content: childrenNamed(e, "content")[0],
    })),
  };
}
