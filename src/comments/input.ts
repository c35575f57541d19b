import type { Message } from "../i18n/index.ts";
/**
 * The comment POST's input, as sent: the typed parser behind the route's validators (form and
 * JSON alike). Strings only; the decision (src/comments/submit.ts) normalizes and checks them.
 */

/** What a comment POST carries, as sent. */
export interface CommentInput {
  name: string;
  body: string;
  parent: string;
  token: string;
  /** The honeypot: hidden from people, filled by bots. */
  website: string;
  /** Turnstile's answer (`cf-turnstile-response`). */
  turnstile: string;
}

/** The media types a comment may be sent as. */
export const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json$/i;
const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/** The media type of a Content-Type header, lower-cased, without parameters. */
export const mediaTypeOf = (contentType: string | undefined): string =>
  (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";

/** True for a media type a comment may be sent as (a form or JSON). */
export const isCommentType = (type: string): boolean => JSON_TYPE.test(type) || FORM_TYPES.includes(type);

const FIELDS = ["name", "body", "parent", "token", "website"] as const;

/** Reads a string-ish field: absent is "", a string is itself; anything else is malformed (undefined). */
function field(value: unknown, allowNumber = false): string | undefined {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (allowNumber && typeof value === "number" && Number.isInteger(value)) return String(value);
  return undefined;
}

/**
 * The input of a parsed form or JSON object, or the 400 message saying which field is malformed
 * (a repeated form field, a file, a JSON number where text belongs). `parent` may be a JSON integer.
 */
export function readCommentInput(source: object): CommentInput | Message {
  const input: CommentInput = { name: "", body: "", parent: "", token: "", website: "", turnstile: "" };
  for (const name of FIELDS) {
    const value = field(Reflect.get(source, name), name === "parent");
    if (value === undefined) return (t) => t.says.fieldOnce(name, name === "parent");
    input[name] = value;
  }
  const turnstile = field(Reflect.get(source, "cf-turnstile-response"));
  if (turnstile === undefined) return (t) => t.says.fieldText("cf-turnstile-response");
  input.turnstile = turnstile;
  return input;
}

/** A JSON body's input: an object (not an array or a scalar), read as `readCommentInput` reads it. */
export function readJsonInput(value: unknown): CommentInput | Message {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return (t) => t.says.jsonObject;
  return readCommentInput(value);
}
