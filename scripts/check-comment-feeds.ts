/**
 * `npm run check:feeds` (CI): the comment feeds read by a real feed reader's parser. Starts the
 * blog (`wrangler dev`, throw-away local KV and D1), posts a thread (with markup and Hangul) and a
 * held comment, then has Python's feedparser (Debian's python3-feedparser) read the post's feed,
 * the thread's and the site's: each must be Atom 1.0, well-formed (not "bozo"), hold the published
 * comments and never the held one. Exits non-zero otherwise.
 */
import { spawnSync } from "node:child_process";
import { startLocalWorker } from "./local-worker.ts";

const SLUG = "kpop-in-north-korea";

const READ = `
import feedparser, json, sys
d = feedparser.parse(sys.stdin.buffer.read())
print(json.dumps({"version": d.version, "bozo": bool(d.bozo), "error": str(d.get("bozo_exception", "")),
  "contents": [e.content[0].value for e in d.entries], "authors": [e.author for e in d.entries]}))
`;

interface Parsed {
  version: string;
  bozo: boolean;
  error: string;
  contents: string[];
  authors: string[];
}

function feedparser(xml: string): Parsed {
  const out = spawnSync("/usr/bin/python3", ["-c", READ], { input: xml, encoding: "utf8" });
  if (out.status !== 0) throw new Error(`feedparser failed (apt-get install python3-feedparser): ${out.stderr}`);
  return JSON.parse(out.stdout) as Parsed;
}

const worker = await startLocalWorker();
let failures = 0;
try {
  const post = async (body: Record<string, unknown>, ip: string): Promise<number> => {
    const res = await fetch(`${worker.url}/posts/${SLUG}/comments`, {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": ip },
      body: JSON.stringify(body),
    });
    if (res.status !== 201) throw new Error(`posting answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { comment: { id: number } }).comment.id;
  };
  const root = await post(
    { name: "Mina & <Jun>", body: "First! <script>alert(1)</script>\n\nA second paragraph." },
    "198.51.100.1",
  );
  await post({ name: "Held", body: "buy at https://spam.example" }, "198.51.100.2");
  await post({ name: "소라", body: "케이팝 reply", parent: root }, "198.51.100.3");
  const feeds = [`/posts/${SLUG}/comments.xml`, `/posts/${SLUG}/comments.xml?thread=${root}`, "/comments.xml"];
  for (const path of feeds) {
    const res = await fetch(`${worker.url}${path}`);
    const parsed = feedparser(await res.text());
    const problems = [
      res.status !== 200 && `status ${res.status}`,
      parsed.version !== "atom10" && `version ${parsed.version}`,
      parsed.bozo && `not well-formed: ${parsed.error}`,
      parsed.contents.length !== 2 && `${parsed.contents.length} entries, expected 2`,
      parsed.contents.some((html) => html.includes("spam.example")) && "a held comment is in the feed",
      !parsed.contents.some((html) => html.includes("&lt;script&gt;")) && "the markup is not escaped text",
      !parsed.authors.includes("소라") && "the Korean name is lost",
    ].filter(Boolean);
    console.log(`${problems.length ? "FAIL" : "ok  "} ${path} ${problems.join("; ")}`);
    failures += problems.length;
  }
} finally {
  await worker.stop();
}
process.exit(failures ? 1 : 0);
