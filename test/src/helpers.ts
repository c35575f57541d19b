import { createExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { app } from "../../src/index.ts";

export const SLUG = "kpop-in-north-korea";
export const OTHER_SLUG = "welcome-to-our-kpop";
export const BASE = "http://localhost";

let ipCounter = 0;
/** A fresh client address per call: the rate limiter is keyed by it and shared by every test. */
export function freshIp(): string {
  ipCounter += 1;
  return `2001:db8:${crypto.getRandomValues(new Uint16Array(1))[0]?.toString(16)}::${ipCounter.toString(16)}`;
}

/** A marker unique to one test, to find its comments among those other tests stored. */
export const marker = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

export interface PostOptions {
  ip?: string;
  cookie?: string;
  headers?: Record<string, string>;
  /** Send the worker's fetch to an app with these bindings replaced (real D1/KV otherwise). */
  envOverrides?: Record<string, unknown>;
}

/** Fetches through the deployed entry point, or through the app with some bindings replaced. */
export function fetchApp(input: string, init: RequestInit = {}, envOverrides?: PostOptions["envOverrides"]) {
  if (!envOverrides) return exports.default.fetch(new Request(new URL(input, BASE), { redirect: "manual", ...init }));
  const request = new Request(new URL(input, BASE), { redirect: "manual", ...init });
  return app.fetch(request, { ...env, ...envOverrides } as Env, createExecutionContext());
}

/** A form POST of a comment, as a browser on the site sends it. */
export function postForm(slug: string, fields: Record<string, string>, options: PostOptions = {}) {
  return fetchApp(
    `/posts/${encodeURIComponent(slug)}/comments`,
    {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: BASE,
        "sec-fetch-site": "same-origin",
        "cf-connecting-ip": options.ip ?? freshIp(),
        ...(options.cookie && { cookie: options.cookie }),
        ...options.headers,
      },
      body: new URLSearchParams(fields),
    },
    options.envOverrides,
  );
}

/** A JSON POST of a comment, as an API client sends it. */
export function postJson(slug: string, body: unknown, options: PostOptions = {}) {
  return fetchApp(
    `/posts/${encodeURIComponent(slug)}/comments`,
    {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "cf-connecting-ip": options.ip ?? freshIp(),
        ...(options.cookie && { cookie: options.cookie }),
        ...options.headers,
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    },
    options.envOverrides,
  );
}

/** The `name=value` pairs of a response's Set-Cookie headers, ready for a Cookie header. */
export function cookiesOf(res: Response, previous = ""): string {
  const jar = new Map(
    previous
      .split("; ")
      .filter(Boolean)
      .map((pair) => [pair.split("=")[0] ?? "", pair] as const),
  );
  for (const header of res.headers.getSetCookie()) {
    const pair = header.split(";")[0] ?? "";
    jar.set(pair.split("=")[0] ?? "", pair);
  }
  return [...jar.values()].join("; ");
}

export interface CommentJson {
  id: number;
  post: string;
  parent: number | null;
  thread: number;
  depth: number;
  author: string;
  body: string;
  html: string;
  status: string;
  created: string;
  url: string;
}

/** Every visible comment of a post via the JSON API (all pages). */
export async function allComments(slug: string, cookie?: string): Promise<CommentJson[]> {
  const out: CommentJson[] = [];
  let after: string | null = null;
  do {
    const query: string = after ? `?limit=100&after=${after}` : "?limit=100";
    const res = await fetchApp(`/posts/${encodeURIComponent(slug)}/comments${query}`, {
      headers: { accept: "application/json", ...(cookie && { cookie }) },
    });
    if (res.status !== 200) throw new Error(`list answered ${res.status}`);
    const page = await res.json<{ comments: CommentJson[]; next: string | null }>();
    out.push(...page.comments);
    after = page.next;
  } while (after);
  return out;
}

/** How many comments by `author` D1 holds, whatever their status. */
export async function countRows(author: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE author = ?1")
    .bind(author)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** The comment of a 201 answer (and checks that it is one). */
export async function created(res: Response): Promise<CommentJson> {
  if (res.status !== 201) throw new Error(`expected 201, got ${res.status}: ${await res.text()}`);
  return (await res.json<{ comment: CommentJson }>()).comment;
}

/** Posts a comment that waits for approval (it holds a link) and returns its id. */
export async function heldComment(): Promise<number> {
  const res = await postJson(SLUG, { name: marker("Held"), body: "held https://example.com" });
  return (await created(res)).id;
}

/** A comment's status in D1. */
export async function statusOf(id: number): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT status FROM comments WHERE id = ?1").bind(id).first<{ status: string }>();
  return row?.status;
}

/** An element as the HTML parser saw it: tag name and attributes. */
export interface ParsedElement {
  tag: string;
  attributes: [string, string][];
}

/** Parses HTML with workerd's HTMLRewriter (a real HTML tokenizer) and lists the elements matching `selector`. */
export async function elementsOf(html: string, selector = "*"): Promise<ParsedElement[]> {
  const found: ParsedElement[] = [];
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        found.push({
          tag: el.tagName,
          attributes: [...el.attributes].map((pair): [string, string] => [pair[0] ?? "", pair[1] ?? ""]),
        });
      },
    })
    .transform(new Response(html))
    .text();
  return found;
}

/** The text inside elements matching `selector`, entities decoded as a browser would for these. */
export async function textOf(html: string, selector: string): Promise<string[]> {
  const texts: string[] = [];
  let current = "";
  await new HTMLRewriter()
    .on(selector, {
      element(el) {
        current = "";
        el.onEndTag(() => {
          texts.push(decodeEntities(current));
        });
      },
      text(chunk) {
        current += chunk.text;
      },
    })
    .transform(new Response(html))
    .text();
  return texts;
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&");
}

/** A D1 binding whose every call fails, as when D1 is unreachable: the one stand-in these tests use. */
export const brokenDb = new Proxy(
  {},
  {
    get() {
      return () => {
        throw new Error("D1_ERROR: Network connection lost.");
      };
    },
  },
);
