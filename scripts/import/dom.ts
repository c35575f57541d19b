import { createRequire } from "node:module";

/**
 * The part of the DOM the importer uses, typed here: Node scripts have no DOM types, and the
 * DOM is domino's (the one turndown itself uses in Node).
 */
export interface DomNode {
  nodeName: string;
  textContent: string | null;
  parentNode: DomElement | null;
  firstChild: DomNode | null;
}

export interface DomElement extends DomNode {
  className: string;
  innerHTML: string;
  outerHTML: string;
  ownerDocument: DomDocument;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  getAttributeNames(): string[];
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  insertBefore(node: DomNode, before: DomNode | null): void;
  appendChild(node: DomNode): void;
  removeChild(node: DomNode): void;
  replaceChild(node: DomNode, old: DomNode): void;
}

export interface DomDocument {
  body: DomElement;
  createElement(name: string): DomElement;
  createTextNode(text: string): DomNode;
}

const require = createRequire(import.meta.url);
const domino = require("@mixmark-io/domino") as { createDocument(html: string): DomDocument };

/** A post's (or comment's) HTML as the body of a document, to read and rewrite before conversion. */
export function parseHtml(html: string): DomElement {
  return domino.createDocument(`<!DOCTYPE html><html><body>${html}</body></html>`).body;
}
