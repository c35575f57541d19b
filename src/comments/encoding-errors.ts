import { invalidTextFields } from "../lib/utf8.ts";
import type { FormField } from "../views/comments.tsx";

/** Keyed by field name as sent (a Map: a field named "constructor" must not find Object's). */
const MESSAGES = new Map<string, [FormField, string]>([
  [
    "name",
    [
      "name",
      "Your name holds bytes that are not valid UTF-8 text (shown as \uFFFD), so nothing was stored. Please retype it and send again.",
    ],
  ],
  [
    "body",
    [
      "body",
      "Your comment holds bytes that are not valid UTF-8 text (shown as \uFFFD), so nothing was stored. Please retype those characters and send again.",
    ],
  ],
  ["parent", ["parent", "The comment you are replying to is not valid. Post it as a new comment instead."]],
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
): Partial<Record<FormField, string>> {
  const errors: Partial<Record<FormField, string>> = {};
  for (const field of invalidTextFields(body, contentType, parsed)) {
    const known = MESSAGES.get(field);
    if (known) errors[known[0]] = known[1];
    else
      errors.form =
        field === ""
          ? "The request is not valid UTF-8 text, so nothing was stored."
          : `The field "${field}" is not valid UTF-8 text, so nothing was stored.`;
  }
  return errors;
}
