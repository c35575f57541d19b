import type { Message } from "../i18n/index.ts";
import { invalidTextFields } from "../lib/utf8.ts";
import type { FormField } from "../views/comments.tsx";

/** Keyed by field name as sent (a Map: a field named "constructor" must not find Object's). */
const MESSAGES = new Map<string, [FormField, Message]>([
  ["name", ["name", (t) => t.says.nameBytes]],
  ["body", ["body", (t) => t.says.bodyBytes]],
  ["parent", ["parent", (t) => t.says.badParent]],
]);

/**
 * The 422 messages, by form field, for a comment POST whose raw body holds text that is not
 * valid UTF-8 (see src/lib/utf8.ts); empty when the text is fine. Refused rather than stored
 * with U+FFFD in place of what the commenter typed.
 */
export function encodingErrors(
  body: ArrayBuffer,
  contentType: string,
  parsed: unknown,
): Partial<Record<FormField, Message>> {
  const errors: Partial<Record<FormField, Message>> = {};
  for (const field of invalidTextFields(body, contentType, parsed)) {
    const known = MESSAGES.get(field);
    if (known) errors[known[0]] = known[1];
    else errors.form = (t) => (field === "" ? t.says.requestBytes : t.says.fieldBytes(field));
  }
  return errors;
}
