/**
 * The first control of `npm run bench`: the header list a real cached-article hit answers with,
 * captured from the blog in the same run, for a hello-world that sends the same bytes with the
 * same headers. A hit ÷ that control is the Worker's own cost on a hit: what the runtime spends
 * on the headers themselves (about 5 µs a header in local workerd) is in both.
 */

/**
 * Headers the runtime writes itself, whatever the Worker says: the body's framing and the date.
 * (Miniflare's entry Worker would also gzip a text body for a client that accepts it, as
 * Cloudflare does: the capture asks for `identity`, as the load generators do by sending no
 * Accept-Encoding, so no Content-Encoding is captured.)
 */
const RUNTIME_SET = new Set(["content-length", "transfer-encoding", "date", "connection", "keep-alive"]);

/**
 * The response's header list as a plain object, without what the runtime sets itself. Repeated
 * names (only Set-Cookie is not folded by Headers) make it throw: a shared cache hit sets no cookie.
 */
export function hitHeaderList(headers: Headers): Record<string, string> {
  const list: Record<string, string> = {};
  for (const [name, value] of headers) {
    if (RUNTIME_SET.has(name)) continue;
    if (name in list) throw new Error(`the hit repeats the ${name} header: the control cannot send it as one object`);
    list[name] = value;
  }
  return list;
}

/** A hit as the load generators see it: its body and its header list (see `hitHeaderList`). */
export async function captureHit(url: string): Promise<{ page: string; headers: Record<string, string> }> {
  const response = await fetch(url, { headers: { "accept-encoding": "identity" } });
  const page = await response.text();
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}, not a cached page`);
  return { page, headers: hitHeaderList(response.headers) };
}
