import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, normalize } from "node:path";

/** Where images come from: a copy of the old blog's uploads folder, and/or downloads. */
export interface MediaOptions {
  /** A folder holding the old blog's files (WordPress's `wp-content/uploads/`). */
  folder?: string | undefined;
  /** Download what the folder does not hold. */
  fetch?: boolean | undefined;
  /** Largest file taken (bytes); default 20 MB. */
  maxBytes?: number;
  /** Downloads at once; default 4. */
  concurrency?: number;
  /** Attempts per download; default 3. */
  attempts?: number;
  /** The fetch to use (tests give a local server's); default the global one. */
  fetcher?: typeof fetch;
}

/** A file found for an old URL, or why there is none. */
export type Found = { bytes: Buffer } | { missing: string };

const MB = 1024 * 1024;
const sizeText = (bytes: number): string =>
  bytes >= MB ? `${Math.round(bytes / MB)} MB` : `${Math.ceil(bytes / 1024)} KB`;
const require = createRequire(import.meta.url);

/**
 * Finds the files posts refer to, each URL once however many posts use it: first in the media
 * folder (by the path after `/uploads/`, then by the whole path), then, with `fetch`, on the web
 * (bounded concurrency, retries with backoff on network errors and 5xx/429, a size cap, a timeout).
 * Only images whose size the build can read are taken, so an import never breaks the build.
 */
export class MediaFinder {
  readonly #options: MediaOptions;
  readonly #found = new Map<string, Promise<Found>>();
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  /** Downloads tried, for the report and the tests. */
  downloads = 0;

  constructor(options: MediaOptions) {
    this.#options = options;
  }

  get enabled(): boolean {
    return Boolean(this.#options.folder || this.#options.fetch);
  }

  find(url: string): Promise<Found> {
    let found = this.#found.get(url);
    if (!found) {
      found = this.#find(url);
      this.#found.set(url, found);
    }
    return found;
  }

  async #find(url: string): Promise<Found> {
    const parsed = URL.parse(url.startsWith("//") ? `https:${url}` : url);
    if (!parsed || !/^https?:$/.test(parsed.protocol)) return { missing: "not a web address" };
    const fromFolder = this.#options.folder ? await this.#fromFolder(parsed) : undefined;
    const found = fromFolder ?? (this.#options.fetch ? await this.#limited(() => this.#download(parsed)) : undefined);
    if (!found)
      return {
        missing: this.#options.folder ? `not in ${this.#options.folder}` : "no --media folder or --fetch-media",
      };
    if ("missing" in found) return found;
    return isImage(found.bytes) ? found : { missing: "not an image whose size can be read" };
  }

  async #fromFolder(url: URL): Promise<Found | undefined> {
    const folder = this.#options.folder as string;
    const path = decode(url.pathname);
    const after = path.includes("/uploads/") ? path.slice(path.indexOf("/uploads/") + "/uploads/".length) : undefined;
    for (const relative of [after, path.replace(/^\/+/, "")]) {
      if (!relative) continue;
      const file = join(folder, normalize(relative).replace(/^(\.\.(\/|$))+/, ""));
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      if (info.size > this.#max) return { missing: `larger than ${sizeText(this.#max)}` };
      return { bytes: await readFile(file) };
    }
    return undefined;
  }

  get #max(): number {
    return this.#options.maxBytes ?? 20 * MB;
  }

  async #limited<T>(work: () => Promise<T>): Promise<T> {
    const limit = this.#options.concurrency ?? 4;
    while (this.#running >= limit) await new Promise<void>((resume) => this.#waiting.push(resume));
    this.#running++;
    try {
      return await work();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }

  async #download(url: URL): Promise<Found> {
    const attempts = this.#options.attempts ?? 3;
    const fetcher = this.#options.fetcher ?? fetch;
    let why = "";
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 2)));
      this.downloads++;
      try {
        const res = await fetcher(url, { signal: AbortSignal.timeout(30_000), redirect: "follow" });
        if (res.status === 429 || res.status >= 500) {
          why = `answered ${res.status}`;
          await res.body?.cancel();
          continue;
        }
        if (!res.ok) {
          await res.body?.cancel();
          return { missing: `answered ${res.status}` };
        }
        return await this.#body(res);
      } catch (error) {
        why = (error as Error).message;
      }
    }
    return { missing: `download failed ${attempts} times (${why})` };
  }

  /** The response's bytes, stopping as soon as they pass the size cap. */
  async #body(res: Response): Promise<Found> {
    const declared = Number(res.headers.get("content-length") ?? "0");
    const tooBig = { missing: `larger than ${sizeText(this.#max)}` };
    if (declared > this.#max) {
      await res.body?.cancel();
      return tooBig;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    for await (const chunk of res.body ?? []) {
      size += chunk.byteLength;
      if (size > this.#max) return tooBig;
      chunks.push(chunk);
    }
    return { bytes: Buffer.concat(chunks) };
  }
}

function isImage(bytes: Buffer): boolean {
  const { imageSize } = require("image-size") as typeof import("image-size");
  try {
    const size = imageSize(bytes);
    return Boolean(size.width && size.height);
  } catch {
    return false;
  }
}

const decode = (path: string): string => {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/**
 * A file name for `url` beside a post: its last path segment, letters (any script), digits, `.`,
 * `-`, `_` kept, made unique among `taken` (`a.jpg`, `a-2.jpg`).
 */
export function mediaName(url: string, taken: Set<string>): string {
  const segment = decode(URL.parse(url, "http://x")?.pathname.split("/").pop() ?? "");
  const ext =
    extname(segment)
      .toLowerCase()
      .replace(/[^.a-z0-9]/g, "") || ".img";
  const stem =
    segment
      .slice(0, segment.length - extname(segment).length)
      .normalize("NFC")
      .replace(/[^\p{L}\p{N}._-]+/gu, "-")
      .replace(/^[-.]+|-+$/g, "")
      .slice(0, 80) || "image";
  let name = `${stem}${ext}`;
  for (let n = 2; taken.has(name) || name === "index.md"; n++) name = `${stem}-${n}${ext}`;
  taken.add(name);
  return name;
}
