/** What a reader of the emulated live site does: read pages, post a comment. */

export const SEED_SLUG = "welcome-to-our-kpop";
export const SEED_TITLE = "Welcome to OUR K-POP";

export async function page(base: string, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(new URL(path, base), { redirect: "manual" });
  return { status: response.status, text: await response.text() };
}

/** Posts a comment as JSON; resolves with the status and the answer. */
export async function postComment(base: string, slug: string, name: string, body: string) {
  const response = await fetch(new URL(`/posts/${slug}/comments`, base), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ name, body }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** The comments the site shows on a post (its JSON API). */
export async function commentBodies(base: string, slug: string): Promise<string[]> {
  const response = await fetch(new URL(`/posts/${slug}/comments`, base), { headers: { accept: "application/json" } });
  const json = (await response.json()) as { comments?: { body: string }[] };
  return (json.comments ?? []).map((c) => c.body);
}
