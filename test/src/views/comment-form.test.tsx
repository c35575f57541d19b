import { describe, expect, it } from "vitest";
import { CommentForm, type CommentFormState } from "../../../src/views/comment-form.tsx";
import { elementsOf } from "../helpers.ts";

const form = (errors: CommentFormState["errors"]): CommentFormState => ({
  values: { name: "Mina", body: "", parent: "" },
  errors,
  token: "t".repeat(22),
  replyTo: null,
  turnstileSiteKey: null,
  moderationNote: null,
});

/** The ids of the elements that take focus when the page loads. */
async function focusedOnLoad(errors: CommentFormState["errors"]): Promise<string[]> {
  const html = String(await (<CommentForm slug="s" form={form(errors)} lang="en" />).toString());
  return (await elementsOf(html, "[autofocus]")).map((el) => Object.fromEntries(el.attributes).id ?? "");
}

describe("the comment form after a refusal", () => {
  it("focuses the first field in error, else the form's message, and nothing when all is well", async () => {
    expect(await focusedOnLoad({ name: () => "n", body: () => "b" })).toEqual(["comment-name"]);
    expect(await focusedOnLoad({ body: () => "b", form: () => "f" })).toEqual(["comment-body"]);
    expect(await focusedOnLoad({ form: () => "f" })).toEqual(["comment-form-error"]);
    expect(await focusedOnLoad({ parent: () => "p" })).toEqual(["comment-parent-error"]);
    expect(await focusedOnLoad({})).toEqual([]);
  });

  it("lets a message take focus (tabindex -1) and keeps a field's hint after its message", async () => {
    const html = String(
      await (<CommentForm slug="s" form={form({ form: () => "f", body: () => "b" })} lang="en" />).toString(),
    );
    const [message] = await elementsOf(html, "#comment-form-error");
    expect(Object.fromEntries(message?.attributes ?? []).tabindex).toBeUndefined();
    const [body] = await elementsOf(html, "#comment-body");
    expect(Object.fromEntries(body?.attributes ?? [])["aria-describedby"]).toBe("comment-body-error comment-body-hint");
    const only = String(await (<CommentForm slug="s" form={form({ form: () => "f" })} lang="en" />).toString());
    const [focused] = await elementsOf(only, "#comment-form-error");
    expect(Object.fromEntries(focused?.attributes ?? []).tabindex).toBe("-1");
  });
});
