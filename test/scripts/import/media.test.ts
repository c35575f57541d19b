import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MediaFinder, mediaName } from "../../../scripts/import/media.ts";

const uploads = join(import.meta.dirname, "..", "..", "fixtures", "import", "uploads");
const png = readFileSync(join(uploads, "2024", "05", "lightstick.png"));

/** A local web server: /ok.png answers, /flaky.png fails twice with 503, /big.png is over the cap, /text.png is no image. */
let server: Server;
let base = "";
const hits = new Map<string, number>();
let open = 0;
let mostOpen = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? "";
    hits.set(path, (hits.get(path) ?? 0) + 1);
    open++;
    mostOpen = Math.max(mostOpen, open);
    const reply = (status: number, body: Buffer | string) =>
      setTimeout(() => {
        open--;
        res.writeHead(status).end(body);
      }, 20);
    if (path.startsWith("/ok")) reply(200, png);
    else if (path === "/flaky.png") reply((hits.get(path) ?? 0) <= 2 ? 503 : 200, png);
    else if (path === "/big.png") reply(200, Buffer.alloc(4096));
    else if (path === "/text.png") reply(200, "not an image");
    else reply(404, "no");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((done) => server.close(done)));

describe("media", () => {
  it("takes files from the uploads folder by the path after /uploads/", async () => {
    const finder = new MediaFinder({ folder: uploads });
    const found = await finder.find("https://oldblog.example/wp-content/uploads/2024/05/lightstick.png");
    expect("bytes" in found && found.bytes.equals(png)).toBe(true);
    expect(await finder.find("https://oldblog.example/wp-content/uploads/2024/05/none.png")).toEqual({
      missing: `not in ${uploads}`,
    });
    expect(finder.downloads).toBe(0);
  });

  it("downloads with retries, a size cap and bounded concurrency, each URL once", async () => {
    const finder = new MediaFinder({ fetch: true, concurrency: 2, maxBytes: 1024 });
    const urls = [...Array.from({ length: 6 }, (_, i) => `${base}/ok-${i}.png`), `${base}/ok-0.png`];
    const results = await Promise.all(urls.map((u) => finder.find(u)));
    expect(results.every((r) => "bytes" in r)).toBe(true);
    expect(mostOpen).toBeLessThanOrEqual(2);
    expect(hits.get("/ok-0.png")).toBe(1);

    expect("bytes" in (await finder.find(`${base}/flaky.png`))).toBe(true);
    expect(hits.get("/flaky.png")).toBe(3);
    expect(await finder.find(`${base}/big.png`)).toEqual({ missing: "larger than 1 KB" });
    expect(await finder.find(`${base}/text.png`)).toEqual({ missing: "not an image whose size can be read" });
    expect(await finder.find(`${base}/gone.png`)).toEqual({ missing: "answered 404" });
    expect(hits.get("/gone.png")).toBe(1);
  });

  it("names files from their URL, unique beside the post", () => {
    const taken = new Set<string>();
    expect(mediaName("https://x.example/a/%EB%AC%B4%EB%8C%80%20photo.JPG", taken)).toBe("무대-photo.jpg");
    expect(mediaName("https://y.example/b/%EB%AC%B4%EB%8C%80%20photo.jpg", taken)).toBe("무대-photo-2.jpg");
    expect(mediaName("https://x.example/", taken)).toBe("image.img");
  });
});
