/**
 * One sample of every kind of page and feed the blog serves, fetched from a running blog the way
 * readers get them, for validators that nobody here wrote (scripts/validate-pages.ts). Comments
 * are posted first, so the article shows a thread, a reply and its author's held comment.
 */

/** A fetched document: what it is, where it came from, its status and its text. */
export interface Sample {
  name: string;
  path: string;
  status: number;
  text: string;
}

const SLUG = "kpop-in-north-korea";
const KOREAN = `/posts/${encodeURIComponent("케이팝이란")}`;

/** A one-time form token of the shape the form carries (22 base64url characters). */
const token = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");

/** A tiny cookie jar: the `name=value` pairs the blog set, sent back as one Cookie header. */
class Jar {
  readonly #pairs = new Map<string, string>();
  take(res: Response): void {
    for (const header of res.headers.getSetCookie()) {
      const pair = header.split(";")[0] ?? "";
      this.#pairs.set(pair.split("=")[0] ?? "", pair);
    }
  }
  get header(): string {
    return [...this.#pairs.values()].join("; ");
  }
}

/**
 * Fetches every page type from `base` (the blog must run with `PAGE_SIZE=2`, so the home page has
 * a page 2, and with `adminToken` as its ADMIN_TOKEN). Throws when a page does not answer as
 * expected, so a validator never passes on an error page by accident.
 */
export async function samplePages(base: string, adminToken: string): Promise<{ pages: Sample[]; feeds: Sample[] }> {
  const author = new Jar();
  const get = async (name: string, path: string, status = 200, jar?: Jar): Promise<Sample> => {
    const res = await fetch(`${base}${path}`, { headers: jar ? { cookie: jar.header } : {}, redirect: "manual" });
    const text = await res.text();
    if (res.status !== status) throw new Error(`${name}: GET ${path} answered ${res.status}, not ${status}`);
    jar?.take(res);
    return { name, path, status, text };
  };
  const post = async (path: string, fields: Record<string, string>, jar: Jar): Promise<Response> => {
    const res = await fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: base, cookie: jar.header },
      body: new URLSearchParams(fields),
      redirect: "manual",
    });
    jar.take(res);
    return res;
  };
  const comment = async (fields: Record<string, string>, on = `/posts/${SLUG}`): Promise<number> => {
    const res = await post(`${on}/comments`, { token: token(), ...fields }, author);
    const id = /#comment-(\d+)$/.exec(res.headers.get("location") ?? "")?.[1];
    if (res.status !== 303 || !id) throw new Error(`posting a comment answered ${res.status}: ${await res.text()}`);
    return Number(id);
  };

  const first = await comment({ name: "Validator", body: "A first comment.\n\nWith a second paragraph." });
  await comment({ name: "Validator", body: "A reply.", parent: String(first) });
  await comment({ name: "Validator", body: "Held for its link: https://example.com/a" });
  const refused = await post(`/posts/${SLUG}/comments`, { name: " ", body: " ", token: token() }, author);
  if (refused.status !== 422) throw new Error(`an empty comment answered ${refused.status}, not 422`);
  // The Korean post's own chrome around a thread, its form refused, its writer's delete page.
  const korean = await comment({ name: "검사기", body: "첫 댓글입니다." }, KOREAN);
  await comment({ name: "검사기", body: "답글입니다.", parent: String(korean) }, KOREAN);
  const refusedKo = await post(`${KOREAN}/comments`, { name: " ", body: " ", token: token() }, author);
  if (refusedKo.status !== 422) throw new Error(`an empty Korean comment answered ${refusedKo.status}, not 422`);

  const admin = new Jar();
  const signedIn = await post("/admin/login", { token: adminToken }, admin);
  if (signedIn.status !== 303) throw new Error(`signing in to /admin answered ${signedIn.status}`);

  const pages = [
    await get("home", "/"),
    await get("home, page 2", "/page/2"),
    await get("article", `/posts/${SLUG}`),
    await get("article with its author's held comment", `/posts/${SLUG}`, 200, author),
    await get("reply form", `/posts/${SLUG}?reply=${first}`, 200, author),
    { name: "comment refused (422)", path: `/posts/${SLUG}/comments`, status: 422, text: await refused.text() },
    await get("Korean article", KOREAN),
    await get("Korean article with its author's comments", KOREAN, 200, author),
    { name: "Korean comment refused (422)", path: `${KOREAN}/comments`, status: 422, text: await refusedKo.text() },
    await get("Korean delete page", `${KOREAN}/comments/${korean}/delete`, 200, author),
    await get("Korean 404", `${KOREAN}/comments/999999999/delete`, 404),
    await get("Korean translation (a language switcher)", `/posts/${encodeURIComponent("북한의-케이팝")}`),
    await get("Korean list", "/ko"),
    await get("tag", `/tags/${encodeURIComponent("k-pop")}`),
    await get("search with results", "/search?q=k-pop"),
    await get("search without results", "/search?q=zzzzqqq"),
    await get("404", "/posts/no-such-post", 404),
    await get("admin sign-in", "/admin"),
    await get("admin moderation", "/admin", 200, admin),
  ];
  // Each sample is the page it is meant to be (not, say, the sign-in page again).
  const shows: Record<string, string> = {
    "article with its author's held comment": "comment-held-note",
    "reply form": `name="parent" value="${first}"`,
    "comment refused (422)": 'class="field-error"',
    "Korean comment refused (422)": 'class="field-error"',
    "Korean delete page": 'id="delete-title"',
    "search with results": 'class="post-list"',
    "admin moderation": 'name="csrf"',
  };
  for (const [name, mark] of Object.entries(shows)) {
    if (!pages.find((page) => page.name === name)?.text.includes(mark))
      throw new Error(`${name}: the page lacks ${mark}`);
  }
  // Pages and feeds of the public contract that a build may not have yet: checked when served.
  const optional = async (name: string, path: string): Promise<Sample[]> => {
    const res = await fetch(`${base}${path}`, { redirect: "manual" });
    return res.status === 200 ? [{ name, path, status: 200, text: await res.text() }] : [];
  };
  pages.push(...(await optional("archive", "/archive")));
  const feeds = [
    await get("feed", "/feed.xml"),
    await get("Korean feed", "/ko/feed.xml"),
    ...(await optional("tag feed", "/tags/k-pop/feed.xml")),
    ...(await optional("recent comments feed", "/comments.xml")),
    ...(await optional("article's comments feed", `/posts/${SLUG}/comments.xml`)),
    ...(await optional("Korean article's comments feed", `${KOREAN}/comments.xml`)),
  ];
  return { pages, feeds };
}
